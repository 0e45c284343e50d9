import { condition, log, patched } from '@temporalio/workflow';
import type { MefHubActivities, MefHubEventRecord } from '../../activities/mefOrders/hub';
import type { HubEventType } from '../../domain/mefOrders/hub';
import { ownDatabase, partnerSystem } from '../shared/activityPresets';

/** Orders started before the notification hub existed replay without it. */
export const HUB_EVENTS = 'mef-hub-events';

const DEFAULT_RETRY_FOR_MS = 24 * 60 * 60 * 1000;

export interface HubEvents {
  /**
   * After any change of the order: each subject (an item, a cancellation) whose state moved
   * since it was last seen becomes an event of `eventType`, with `fromState` (null the first time).
   */
  observe(eventType: HubEventType, subjects: { key: string; state: string; event: Record<string, unknown> }[]): void;
  /** Each subject (an item's overrun step) becomes one event of `eventType` the first time it is seen, never again. */
  once(eventType: HubEventType, subjects: { key: string; event: Record<string, unknown> }[]): void;
  /** The hub-only events not yet stored; the order's write takes them. */
  take(): MefHubEventRecord[];
  /** What the write answered: the events it stored hub deliveries for, queued in order. */
  stored(answer: { hubEventIds?: string[] } | void): void;
  /** Starts the delivery loop: one event at a time, in order, each to all its listeners. */
  start(): void;
  /** Resolves once every queued event is delivered or in the dead-letter list. */
  drained(): Promise<void>;
}

/**
 * The hub's share of an order: its events (state-change notifications; item and cancellation state changes; jeopardy alerts)
 * written with the order (outbox) and delivered here, each retried for `retryForMs`
 * (MEF_HUB_RETRY_FOR), after which what is still undelivered goes to the dead-letter list. A
 * listener that is down delays the order's later events, never the order or its buyer's
 * notification endpoint.
 */
export function hubEvents(orderId: string, retryForMs: number | undefined): HubEvents {
  const listeners = partnerSystem<MefHubActivities>({
    summary: 'The buyer\'s hub listeners; retried with back-off for MEF_HUB_RETRY_FOR, then the dead-letter list',
    giveUpAfter: retryForMs ?? DEFAULT_RETRY_FOR_MS,
    firstRetryAfter: '1s',
    retryAtMostEvery: '10m',
  });
  const db = ownDatabase<MefHubActivities>();
  const seen = new Map<string, string>();
  const unstored: MefHubEventRecord[] = [];
  const queue: string[] = [];
  let seq = 0;

  async function deliver(eventId: string): Promise<void> {
    try {
      await listeners.deliverMefHubEvent({ eventId });
    } catch (err) {
      log.warn('hub event not delivered within MEF_HUB_RETRY_FOR: to the dead-letter list', { eventId, error: String(err) });
      await db.markMefHubDeliveriesFailed({ eventId });
    }
  }

  return {
    observe(eventType, subjects) {
      for (const { key, state, event } of subjects) {
        const before = seen.get(`${eventType} ${key}`);
        if (before === state) continue;
        seen.set(`${eventType} ${key}`, state);
        seq += 1;
        unstored.push({ id: `${orderId}-I${String(seq).padStart(4, '0')}`, eventType, event: { ...event, state, fromState: before ?? null } });
      }
    },
    once(eventType, subjects) {
      for (const { key, event } of subjects) {
        if (seen.has(`${eventType} ${key}`)) continue;
        seen.set(`${eventType} ${key}`, 'seen');
        seq += 1;
        unstored.push({ id: `${orderId}-I${String(seq).padStart(4, '0')}`, eventType, event });
      }
    },
    take: () => unstored.splice(0),
    stored(answer) {
      queue.push(...(answer?.hubEventIds ?? []));
    },
    start() {
      void (async () => {
        for (;;) {
          await condition(() => queue.length > 0);
          if (patched(HUB_EVENTS)) await deliver(queue[0]!);
          queue.shift();
        }
      })();
    },
    drained: () => condition(() => queue.length === 0),
  };
}
