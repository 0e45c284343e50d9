import { EntitySchema } from '@mikro-orm/core';

/**
 * Read model of a MEF order, kept current by its workflow (one activity writes it
 * with the order's notifications). GET /orders and the status endpoint read it.
 */
export interface MefOrderRecord {
  id: string;
  tenantId: string;
  buyerId: string;
  sellerId: string;
  buyerPurchaseOrderNumber: string;
  orderType: string;
  orderStatus: string;
  statusMessage: string;
  buyerOrderVersion: number;
  orderDate: Date;
  /** The order as GET answers it (JSON). */
  document: string;
  /** Per order item: fulfilment step or outcome (JSON). */
  itemProgress: string;
  correlationId: string;
  /** Why the order is in jeopardy; null while it is not. */
  jeopardyReason?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MefOrderRecordSchema = new EntitySchema<MefOrderRecord>({
  name: 'MefOrderRecord',
  tableName: 'mef_orders',
  properties: {
    id: { type: 'string', primary: true },
    tenantId: { type: 'string' },
    buyerId: { type: 'string' },
    sellerId: { type: 'string' },
    buyerPurchaseOrderNumber: { type: 'string' },
    orderType: { type: 'string' },
    orderStatus: { type: 'string' },
    statusMessage: { type: 'text' },
    buyerOrderVersion: { type: 'integer' },
    orderDate: { type: 'datetime' },
    document: { type: 'text' },
    itemProgress: { type: 'text' },
    correlationId: { type: 'string' },
    jeopardyReason: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

/** One notification of an order: state changes, accepted updates, buyer notes, status responses. */
export interface MefNotification {
  id: string;
  orderId: string;
  tenantId: string;
  seq: number;
  notificationType: string;
  orderStatus: string;
  buyerOrderVersion: string;
  message: string;
  /** JSON, or null. */
  detail: string | null;
  /** PENDING → DELIVERED | NO_ENDPOINT | FAILED; NOT_APPLICABLE for what the buyer or an upstream seller sent us. */
  delivery: string;
  deliveredAt: Date | null;
  deliveryAttempts: number;
  createdAt: Date;
}

export const MefNotificationSchema = new EntitySchema<MefNotification>({
  name: 'MefNotification',
  tableName: 'mef_order_notifications',
  properties: {
    id: { type: 'string', primary: true },
    orderId: { type: 'string' },
    tenantId: { type: 'string' },
    seq: { type: 'integer' },
    notificationType: { type: 'string' },
    orderStatus: { type: 'string' },
    buyerOrderVersion: { type: 'string' },
    message: { type: 'text' },
    detail: { type: 'text', nullable: true },
    delivery: { type: 'string' },
    deliveredAt: { type: 'datetime', nullable: true },
    deliveryAttempts: { type: 'integer' },
    createdAt: { type: 'datetime' },
  },
});

/** The seller's data the validation reads: ENNIs each buyer (tenant) has with us. */
export interface MefEnni {
  tenantId: string;
  sellerEnniId: string;
}
export const MefEnniSchema = new EntitySchema<MefEnni>({
  name: 'MefEnni',
  tableName: 'mef_ennis',
  properties: { tenantId: { type: 'string', primary: true }, sellerEnniId: { type: 'string', primary: true } },
});

export interface MefProductSpec {
  code: string;
  name: string;
}
export const MefProductSpecSchema = new EntitySchema<MefProductSpec>({
  name: 'MefProductSpec',
  tableName: 'mef_product_specs',
  properties: { code: { type: 'string', primary: true }, name: { type: 'string' } },
});

/** Where a buyer (tenant) receives its order notifications (null: store only), and the secret they are signed with. */
export interface MefBuyerEndpoint {
  tenantId: string;
  notificationUrl: string | null;
  /** `whsec_…` (Standard Webhooks); null: delivered unsigned (an endpoint set before signing existed). */
  signingSecret?: string | null;
}
export const MefBuyerEndpointSchema = new EntitySchema<MefBuyerEndpoint>({
  name: 'MefBuyerEndpoint',
  tableName: 'mef_buyer_endpoints',
  properties: {
    tenantId: { type: 'string', primary: true },
    notificationUrl: { type: 'string', nullable: true },
    signingSecret: { type: 'text', nullable: true },
  },
});

/** The simulated seller's resource reservations (one per order item), so cancel can undo them. */
export interface SimulatedMefReservation {
  orderId: string;
  orderItemReference: string;
  resourceId: string;
  reservedAt: Date;
  releasedAt: Date | null;
}
export const SimulatedMefReservationSchema = new EntitySchema<SimulatedMefReservation>({
  name: 'SimulatedMefReservation',
  tableName: 'sim_mef_reservations',
  properties: {
    orderId: { type: 'string', primary: true },
    orderItemReference: { type: 'string', primary: true },
    resourceId: { type: 'string' },
    reservedAt: { type: 'datetime' },
    releasedAt: { type: 'datetime', nullable: true },
  },
});

export const MEF_ENTITIES = [
  MefOrderRecordSchema,
  MefNotificationSchema,
  MefEnniSchema,
  MefProductSpecSchema,
  MefBuyerEndpointSchema,
  SimulatedMefReservationSchema,
];
