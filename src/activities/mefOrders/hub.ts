import type { Orm } from '../../db/orm';
import type { EntityManager } from '@mikro-orm/core';
import { MefHubDelivery, MefHubDeliverySchema, MefHubListenerSchema } from '../../db/entities';
import { hubEventTypeOf, listensTo } from '../../domain/mefOrders/hub';
import type { HubDeliverer } from '../../external/mefOrders/hubDelivery';

/** One attempt of one delivery; throws when the listener was not reached. Also the ops CLI's redelivery. */
export async function attemptHubDelivery(orm: Orm, deliverer: HubDeliverer, deliveryId: string): Promise<MefHubDelivery['state']> {
  const em = orm.em.fork();
  const delivery = await em.findOneOrFail(MefHubDeliverySchema, { id: deliveryId });
  if (delivery.state === 'DELIVERED' || delivery.state === 'DROPPED') return delivery.state;
  const listener = await em.findOneOrFail(MefHubListenerSchema, { id: delivery.listenerId });
  if (listener.deletedAt) {
    await em.nativeUpdate(MefHubDeliverySchema, { id: deliveryId }, { state: 'DROPPED', lastError: 'the listener was deleted' });
    return 'DROPPED';
  }
  await em.nativeUpdate(MefHubDeliverySchema, { id: deliveryId }, { attempts: delivery.attempts + 1 });
  try {
    await deliverer.deliver(listener.callback, { id: delivery.eventId, body: delivery.payload, signingSecret: listener.signingSecret });
  } catch (err) {
    await em.nativeUpdate(MefHubDeliverySchema, { id: deliveryId }, { lastError: String((err as Error).message ?? err).slice(0, 500) });
    throw err;
  }
  await em.nativeUpdate(MefHubDeliverySchema, { id: deliveryId }, { state: 'DELIVERED', deliveredAt: new Date(), lastError: null });
  return 'DELIVERED';
}

/**
 * The hub's deliveries of newly stored notifications, written in the transaction that stores
 * them (the outbox): one row per event per listener of the buyer whose query admits it.
 * Returns the events that have deliveries (a retry of the transaction finds the same rows),
 * so the workflow calls the hub only for those: a buyer without listeners costs nothing.
 */
export async function addHubDeliveries(
  em: EntityManager,
  tenantId: string,
  notifications: { id: string; orderId: string; notificationType: string; orderStatus: string; buyerOrderVersion: string; delivery: string }[],
  orderHref: string,
  now: Date,
): Promise<string[]> {
  const events = notifications.flatMap((n) => {
    const eventType = n.delivery === 'PENDING' ? hubEventTypeOf(n.notificationType) : undefined;
    return eventType ? [{ n, eventType }] : [];
  });
  if (!events.length) return [];
  const listeners = await em.find(MefHubListenerSchema, { tenantId, deletedAt: null });
  const rows = events.flatMap(({ n, eventType }) => {
    const payload = JSON.stringify({
      eventId: n.id,
      eventTime: now.toISOString(),
      eventType,
      event: { id: n.orderId, href: orderHref, orderStatus: n.orderStatus, buyerOrderVersion: n.buyerOrderVersion },
    });
    return listeners
      .filter((l) => listensTo(l.eventTypes ? (JSON.parse(l.eventTypes) as string[]) : null, eventType))
      .map((l) => ({ id: `${n.id}~${l.id}`, listenerId: l.id, tenantId, eventId: n.id, eventType, orderId: n.orderId, payload, state: 'PENDING' as const, attempts: 0, lastError: null, createdAt: now, deliveredAt: null }));
  });
  if (rows.length) await em.upsertMany(MefHubDeliverySchema, rows, { onConflictFields: ['id'], onConflictAction: 'ignore' });
  const stored = await em.find(MefHubDeliverySchema, { eventId: { $in: events.map((e) => e.n.id) } }, { fields: ['eventId'] });
  return [...new Set(stored.map((d) => d.eventId))];
}

/** The hub's activities: an event's deliveries attempted, and the dead-letter list. */
export function createMefHubActivities(orm: Orm, deliverer: HubDeliverer) {
  return {
    /** Attempts every delivery of the event not yet made, side by side; throws, and is retried, while any listener is not reached. */
    async deliverMefHubEvent({ eventId }: { eventId: string }): Promise<void> {
      const pending = await orm.em.fork().find(MefHubDeliverySchema, { eventId, state: 'PENDING' });
      const failed = (await Promise.allSettled(pending.map((d) => attemptHubDelivery(orm, deliverer, d.id)))).filter((r) => r.status === 'rejected');
      if (failed.length) throw new Error(`${failed.length} of ${pending.length} listeners not reached; first: ${String((failed[0] as PromiseRejectedResult).reason)}`);
    },

    /** The retries are spent: what is still pending goes to the dead-letter list. */
    async markMefHubDeliveriesFailed({ eventId }: { eventId: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(MefHubDeliverySchema, { eventId, state: 'PENDING' }, { state: 'FAILED' });
    },
  };
}

export type MefHubActivities = ReturnType<typeof createMefHubActivities>;
