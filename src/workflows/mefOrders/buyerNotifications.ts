import type { MefNotificationRecord } from '../../activities/mefOrders/activities';
import type { Outbox } from '../shared/outbox';
import type { NotificationType } from './contract';
import type { MefOrderState } from './orderState';

/** Queues a notification for the buyer (delivered unless `deliver` is false); returns its id. */
export type BuyerNotify = (type: NotificationType, message: string, detail?: Record<string, unknown>, deliver?: boolean) => string;

/** Numbered per order (`<orderId>-N0001`), each stamped with the order's state and version when it was made. */
export function buyerNotifications(ids: { orderId: string; tenantId: string }, state: MefOrderState, outbox: Outbox<MefNotificationRecord>): BuyerNotify {
  const { orderId, tenantId } = ids;
  return (type, message, detail, deliver = true) =>
    outbox.add(
      (seq) => ({
        id: `${orderId}-N${String(seq).padStart(4, '0')}`,
        orderId,
        tenantId,
        seq,
        notificationType: type,
        orderStatus: state.status,
        buyerOrderVersion: String(state.version),
        message,
        detail: detail ?? null,
        delivery: deliver ? 'PENDING' : 'NOT_APPLICABLE',
      }),
      deliver,
    );
}
