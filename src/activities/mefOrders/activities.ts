import { ApplicationFailure } from '@temporalio/activity';
import type { Orm } from '../../db/orm';
import {
  MefCancellationSchema,
  MefBuyerEndpointSchema,
  MefEnniSchema,
  MefNotificationSchema,
  MefOrderRecordSchema,
  MefProductSpecSchema,
} from '../../db/entities';
import type { FulfilmentStep } from '../../domain/mefOrders/lifecycle';
import { notificationView } from '../../db/mefOrders/notificationView';
import type { BuyerNotifier } from '../../external/mefOrders/buyerNotifications';
import { MefSellerRefusedError, MefSellerSystem, StepOutcome } from '../../external/mefOrders/seller';
import {
  MefFailure,
  MefOrderDocument,
  MefOrderItem,
  MefOrderView,
  NotificationType,
  OrderItemProgress,
} from '../../workflows/mefOrders/contract';
import { PublicIdWrite, writeWithPublicId } from '../shared/publicIds';
import { addHubDeliveries, MefHubEventRecord } from './hub';
import type { MefCancellation } from '../../domain/mefOrders/cancellation';

export interface MefNotificationRecord {
  id: string;
  orderId: string;
  tenantId: string;
  seq: number;
  notificationType: NotificationType;
  orderStatus: string;
  buyerOrderVersion: string;
  message: string;
  detail: Record<string, unknown> | null;
  delivery: 'PENDING' | 'NOT_APPLICABLE';
}

export interface MefOrderSnapshot {
  view: MefOrderView;
  tenantId: string;
  correlationId: string;
  orderDate: string;
  statusMessage: string;
  items: OrderItemProgress[];
  notifications: MefNotificationRecord[];
  /** Events for the hub's listeners alone (item state changes); absent in orders started before them. */
  hubEvents?: MefHubEventRecord[];
  /** Every cancellation the order took, as it stands; absent in orders started before cancellations were resources. */
  cancellations?: MefCancellation[];
  publicId?: PublicIdWrite;
}

const specCode = (item: MefOrderItem): string | undefined => {
  const spec = item.orderItemDetail.productSpecification;
  return typeof spec === 'string' ? spec : spec?.code;
};

export function createMefOrderActivities(orm: Orm, seller: MefSellerSystem, notifier: BuyerNotifier) {
  return {
    /** Validation against the seller's data: the buyer's ENNIs and the product catalogue. */
    async validateMefOrder({ tenantId, order }: { tenantId: string; order: MefOrderDocument }): Promise<{ valid: boolean; reasons: string[] }> {
      const em = orm.em.fork();
      const ennis = new Set((await em.find(MefEnniSchema, { tenantId })).map((e) => e.sellerEnniId));
      const specs = new Set((await em.find(MefProductSpecSchema, {})).map((s) => s.code));
      const reasons: string[] = [];
      for (const item of order.orderItems) {
        const enni = item.orderItemDetail.enniReference?.sellerEnniId;
        if (enni !== undefined && !ennis.has(enni)) {
          reasons.push(`Order item ${item.orderItemReference}: ENNI ${enni} is not an ENNI of this buyer.`);
        }
        const code = specCode(item);
        if (code !== undefined && !specs.has(code)) {
          reasons.push(`Order item ${item.orderItemReference}: product specification ${code} is not offered by the seller.`);
        }
      }
      return { valid: reasons.length === 0, reasons };
    },

    /**
     * The read model, new notifications and their hub deliveries in one transaction; replays
     * write the same rows. Returns the notifications that hub listeners are to get.
     */
    async recordMefOrder(s: MefOrderSnapshot): Promise<{ hubEventIds: string[] }> {
      const now = new Date();
      let hubEventIds: string[] = [];
      await writeWithPublicId(orm, s.tenantId, s.publicId, async (em) => {
        await em.upsert(
          MefOrderRecordSchema,
          {
            id: s.view.id,
            tenantId: s.tenantId,
            buyerId: s.view.buyerId,
            sellerId: s.view.sellerId,
            buyerPurchaseOrderNumber: s.view.buyerPurchaseOrderNumber,
            orderType: s.view.orderType,
            orderStatus: s.view.orderStatus,
            statusMessage: s.statusMessage,
            buyerOrderVersion: Number(s.view.buyerOrderVersion),
            orderDate: new Date(s.orderDate),
            document: JSON.stringify(s.view),
            itemProgress: JSON.stringify(s.items),
            correlationId: s.correlationId,
            jeopardyReason: s.view.jeopardyReason ?? null,
            createdAt: now,
            updatedAt: now,
          },
          { onConflictFields: ['id'], onConflictExcludeFields: ['createdAt'] },
        );
        if (s.notifications.length) {
          await em.upsertMany(
            MefNotificationSchema,
            s.notifications.map((n) => ({
              ...n,
              detail: n.detail ? JSON.stringify(n.detail) : null,
              deliveredAt: null,
              deliveryAttempts: 0,
              createdAt: now,
            })),
            { onConflictFields: ['id'], onConflictAction: 'ignore' },
          );
        }
        if (s.cancellations?.length) {
          // An id is the caller's (an operator's signal may carry any): never take over another order's cancellation.
          const others = await em.find(MefCancellationSchema, { id: { $in: s.cancellations.map((c) => c.id) }, orderId: { $ne: s.view.id } }, { fields: ['id'] });
          const taken = new Set(others.map((c) => c.id));
          const own = s.cancellations.filter((c) => !taken.has(c.id));
          if (own.length) {
            await em.upsertMany(
              MefCancellationSchema,
              own.map((c) => ({ ...c, tenantId: s.tenantId, createdAt: now, updatedAt: now })),
              { onConflictFields: ['id'], onConflictExcludeFields: ['createdAt'] },
            );
          }
        }
        hubEventIds = await addHubDeliveries(em, { tenantId: s.tenantId, orderId: s.view.id, href: s.view.link.href }, s.notifications, s.hubEvents ?? [], now);
      });
      return { hubEventIds };
    },

    /** One delivery attempt to the buyer's URL; throws (and is retried) until it answers 2xx. */
    async deliverMefNotification({ notificationId }: { notificationId: string }): Promise<{ delivery: string }> {
      const em = orm.em.fork();
      const n = await em.findOneOrFail(MefNotificationSchema, { id: notificationId });
      if (n.delivery === 'DELIVERED') return { delivery: n.delivery };
      const endpoint = await em.findOne(MefBuyerEndpointSchema, { tenantId: n.tenantId });
      if (!endpoint?.notificationUrl) {
        await em.nativeUpdate(MefNotificationSchema, { id: notificationId }, { delivery: 'NO_ENDPOINT' });
        return { delivery: 'NO_ENDPOINT' };
      }
      await em.nativeUpdate(MefNotificationSchema, { id: notificationId }, { deliveryAttempts: n.deliveryAttempts + 1 });
      // A failure throws: the worker logs it and the retry policy tries again.
      await notifier.deliver(endpoint.notificationUrl, notificationView({ ...n, delivery: 'DELIVERED', deliveryAttempts: n.deliveryAttempts + 1 }), endpoint.signingSecret);
      await em.nativeUpdate(MefNotificationSchema, { id: notificationId }, { delivery: 'DELIVERED', deliveredAt: new Date() });
      return { delivery: 'DELIVERED' };
    },

    async markMefNotificationUndeliverable({ notificationId }: { notificationId: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(MefNotificationSchema, { id: notificationId }, { delivery: 'FAILED' });
    },

    async performMefSellerStep(req: { orderId: string; item: MefOrderItem; step: FulfilmentStep; buyerAnswered?: boolean }): Promise<StepOutcome> {
      try {
        return await seller.startStep(req);
      } catch (err) {
        if (err instanceof MefSellerRefusedError) throw ApplicationFailure.nonRetryable(err.message, MefFailure.sellerStepFailed);
        throw err;
      }
    },

    assessMefCancellation: (req: Parameters<MefSellerSystem['assessCancellation']>[0]) => seller.assessCancellation(req),
    releaseMefResources: (req: { orderId: string }) => seller.releaseResources(req),
  };
}

/** What the MEF order workflows may call: their own activities, typed apart from the other families'. */
export type MefOrderActivities = ReturnType<typeof createMefOrderActivities>;
