import { log, patched } from '@temporalio/workflow';
import type { MefHubActivities } from '../../activities/mefOrders/hub';
import { ownDatabase, partnerSystem } from '../shared/activityPresets';

/** Orders started before the notification hub existed replay without it. */
export const HUB_EVENTS = 'mef-hub-events';

const DEFAULT_RETRY_FOR_MS = 24 * 60 * 60 * 1000;

export interface HubEvents {
  /** What the store of the read model answered: the notifications it wrote hub deliveries for. */
  stored(answer: { hubEventIds?: string[] } | void): void;
  /** The hub's share of a notification (nothing, when no listener is to get it). Never throws: a listener that is down must not hold the order. */
  deliver(notificationId: string): Promise<void>;
}

/**
 * The hub's deliveries of an order's events: written with the notification (outbox), then
 * attempted here, retried for `retryForMs` (MEF_HUB_RETRY_FOR); what is still undelivered
 * then goes to the dead-letter list.
 */
export function hubEvents(retryForMs: number | undefined): HubEvents {
  const listeners = partnerSystem<MefHubActivities>({
    summary: 'The buyer\'s hub listeners; retried with back-off for MEF_HUB_RETRY_FOR, then the dead-letter list',
    giveUpAfter: retryForMs ?? DEFAULT_RETRY_FOR_MS,
    firstRetryAfter: '1s',
    retryAtMostEvery: '10m',
  });
  const db = ownDatabase<MefHubActivities>();
  const withDeliveries = new Set<string>();
  return {
    stored(answer) {
      for (const id of answer?.hubEventIds ?? []) withDeliveries.add(id);
    },
    async deliver(eventId) {
      if (!withDeliveries.has(eventId) || !patched(HUB_EVENTS)) return;
      try {
        await listeners.deliverMefHubEvent({ eventId });
      } catch (err) {
        log.warn('hub event not delivered within MEF_HUB_RETRY_FOR: to the dead-letter list', { eventId, error: String(err) });
        await db.markMefHubDeliveriesFailed({ eventId });
      }
    },
  };
}
