import type { MefNotification } from './MefOrder';

/** One notification as GET /orders/{id}/notifications shows it and as the buyer's endpoint receives it. */
export function notificationView(n: MefNotification): Record<string, unknown> {
  return {
    objectType: 'notification',
    id: n.id,
    orderId: n.orderId,
    notificationType: n.notificationType,
    orderStatus: n.orderStatus,
    buyerOrderVersion: n.buyerOrderVersion,
    message: n.message,
    createdAt: new Date(n.createdAt).toISOString(),
    delivery: n.delivery,
    deliveredAt: n.deliveredAt ? new Date(n.deliveredAt).toISOString() : null,
    deliveryAttempts: n.deliveryAttempts,
    ...(n.detail ? { detail: JSON.parse(n.detail) as Record<string, unknown> } : {}),
  };
}
