/**
 * The buyer's notification hub (the TMF630 pattern MEF LSO Sonata uses): a buyer registers
 * listeners, each a callback URL and an optional filter on the event type, and every event of
 * the buyer's orders that passes the filter is POSTed to it. The event names are Sonata's.
 */
export const HUB_EVENT_TYPES = [
  'productOrderStateChangeEvent',
  'productOrderItemStateChangeEvent',
  'cancelProductOrderStateChangeEvent',
  'productOrderJeopardyAlertEvent',
  'productSpecificProductOrderMilestoneEvent',
] as const;
export type HubEventType = (typeof HUB_EVENT_TYPES)[number];

/** The event a stored order notification is to listeners; undefined: listeners do not get it (a buyer's own note, an answer to the buyer's status request). */
export function hubEventTypeOf(notificationType: string): HubEventType | undefined {
  return notificationType === 'ORDER_STATE_CHANGE' ? 'productOrderStateChangeEvent' : undefined;
}

/**
 * A listener's `query`: `eventType=a,b` (TMF630's filter, the only one offered), or
 * nothing for every event. Returns the types, or why the query is refused.
 */
export function parseHubQuery(query: string | undefined): { eventTypes: HubEventType[] | null } | { problem: string } {
  if (query === undefined || query.trim() === '') return { eventTypes: null };
  const m = /^eventType=([^&=]+)$/.exec(query.trim());
  if (!m) return { problem: 'must be eventType=<type>[,<type>…] (the only filter offered)' };
  const types = m[1]!.split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !(HUB_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) return { problem: `unknown event type ${unknown.join(', ')}; known: ${HUB_EVENT_TYPES.join(', ')}` };
  return { eventTypes: [...new Set(types)] as HubEventType[] };
}

/** Whether a listener filtering on `eventTypes` (null: every type) gets an event of `type`. */
export const listensTo = (eventTypes: readonly string[] | null, type: HubEventType): boolean => eventTypes === null || eventTypes.includes(type);
