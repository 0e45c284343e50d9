import type { Orm } from '../../db/orm';
import type { EntityManager } from '@mikro-orm/core';
import { MefHubDelivery, MefHubDeliverySchema, MefHubListenerSchema } from '../../db/entities';
import { HubEventType, hubEventTypeOf, listensTo } from '../../domain/mefOrders/hub';
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

/** An event for the hub alone (no notification of the order tells it): an item's state change. */
export interface MefHubEventRecord {
  /** `<orderId>-I0001`, numbered per order by its workflow. */
  id: string;
  eventType: HubEventType;
  /** What the event says beyond the order's id and href. */
  event: Record<string, unknown>;
}

/**
 * The hub's deliveries of what the order's write stores, in the same transaction (the
 * outbox): each new notification that is an event, and each hub-only event, to every listener
 * of the buyer whose query admits it, one row each. Returns the events that have deliveries,
 * in order (a retry of the transaction finds the same rows), so the workflow calls the hub
 * only for those: a buyer without listeners costs nothing.
 */
export async function addHubDeliveries(
  em: EntityManager,
  order: { tenantId: string; orderId: string; href: string },
  notifications: { id: string; notificationType: string; orderStatus: string; buyerOrderVersion: string; delivery: string }[],
  hubOnly: MefHubEventRecord[],
  now: Date,
): Promise<string[]> {
  const events = [
    ...notifications.flatMap((n) => {
      const eventType = n.delivery === 'PENDING' ? hubEventTypeOf(n.notificationType) : undefined;
      return eventType ? [{ id: n.id, eventType, event: { orderStatus: n.orderStatus, buyerOrderVersion: n.buyerOrderVersion } }] : [];
    }),
    ...hubOnly,
  ];
  if (!events.length) return [];
  const listeners = (await em.find(MefHubListenerSchema, { tenantId: order.tenantId, deletedAt: null })).map((l) => ({
    id: l.id,
    eventTypes: l.eventTypes ? (JSON.parse(l.eventTypes) as string[]) : null,
  }));
  const rows = events.flatMap((e) => {
    const payload = JSON.stringify({ eventId: e.id, eventTime: now.toISOString(), eventType: e.eventType, event: { id: order.orderId, href: order.href, ...e.event } });
    return listeners
      .filter((l) => listensTo(l.eventTypes, e.eventType))
      .map((l) => ({
        id: `${e.id}~${l.id}`,
        listenerId: l.id,
        tenantId: order.tenantId,
        eventId: e.id,
        eventType: e.eventType,
        orderId: order.orderId,
        payload,
        state: 'PENDING' as const,
        attempts: 0,
        lastError: null,
        createdAt: now,
        deliveredAt: null,
      }));
  });
  if (rows.length) await em.upsertMany(MefHubDeliverySchema, rows, { onConflictFields: ['id'], onConflictAction: 'ignore' });
  const stored = new Set((await em.find(MefHubDeliverySchema, { eventId: { $in: events.map((e) => e.id) } }, { fields: ['eventId'] })).map((d) => d.eventId));
  return events.map((e) => e.id).filter((id) => stored.has(id));
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
