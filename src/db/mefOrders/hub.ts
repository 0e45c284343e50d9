import { EntitySchema } from '@mikro-orm/core';

/** A buyer's listener on the notification hub (POST /hub): where events go, which ones, signed with what. */
export interface MefHubListener {
  id: string;
  tenantId: string;
  callback: string;
  /** As registered (`eventType=a,b`), or null: every event. */
  query: string | null;
  /** JSON array of the event types the query admits, or null: every type. */
  eventTypes: string | null;
  /** `whsec_…`: shown once, in the answer to the registration. */
  signingSecret: string;
  createdAt: Date;
  /** DELETE /hub/{id}: no event goes to it from then on; the row stays (the application's role deletes nothing, and deliveries name it). */
  deletedAt: Date | null;
}
export const MefHubListenerSchema = new EntitySchema<MefHubListener>({
  name: 'MefHubListener',
  tableName: 'mef_hub_listeners',
  properties: {
    id: { type: 'string', primary: true },
    tenantId: { type: 'string' },
    callback: { type: 'text' },
    query: { type: 'text', nullable: true },
    eventTypes: { type: 'text', nullable: true },
    signingSecret: { type: 'text' },
    createdAt: { type: 'datetime' },
    deletedAt: { type: 'datetime', nullable: true },
  },
});

/**
 * One event for one listener: PENDING until the callback answers 2xx (DELIVERED), or until
 * its retries are spent (FAILED: the dead-letter list ops read and redeliver from). The
 * event is kept whole, so a redelivery needs nothing else, whatever Temporal still holds.
 */
export interface MefHubDelivery {
  /** `<eventId>~<listenerId>` */
  id: string;
  listenerId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  orderId: string;
  /** The event as POSTed (JSON). */
  payload: string;
  /** DROPPED: the listener was deleted before it was reached. */
  state: 'PENDING' | 'DELIVERED' | 'FAILED' | 'DROPPED';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}
export const MefHubDeliverySchema = new EntitySchema<MefHubDelivery>({
  name: 'MefHubDelivery',
  tableName: 'mef_hub_deliveries',
  properties: {
    id: { type: 'string', primary: true },
    listenerId: { type: 'string' },
    tenantId: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    orderId: { type: 'string' },
    payload: { type: 'text' },
    state: { type: 'string' },
    attempts: { type: 'integer' },
    lastError: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
    deliveredAt: { type: 'datetime', nullable: true },
  },
});

export const MEF_HUB_ENTITIES = [MefHubListenerSchema, MefHubDeliverySchema];
