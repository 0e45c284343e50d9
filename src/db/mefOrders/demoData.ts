import type { Orm } from '../orm';
import { MefBuyerEndpoint, MefBuyerEndpointSchema, MefEnni, MefEnniSchema, MefProductSpec, MefProductSpecSchema } from '../entities';

/**
 * The seller's data for MEF orders in the embedded default: the ENNIs each demo
 * buyer has with us (the seed's ENNI-123-abc belongs to `demo`), the product
 * specifications the seed names, and no notification URL (notifications are stored
 * and shown; set `mef_buyer_endpoints.notification_url` to have them delivered).
 */
export const DEMO_MEF_ENNIS: MefEnni[] = [
  { tenantId: 'demo', sellerEnniId: 'ENNI-123-abc' },
  { tenantId: 'demo', sellerEnniId: 'ENNI-124-abc' },
  { tenantId: 'other', sellerEnniId: 'ENNI-900-oth' },
];

export const DEMO_MEF_PRODUCT_SPECS: MefProductSpec[] = [
  { code: 'accessEpl-Superfast', name: 'Access EPL Superfast' },
  { code: 'AEVPL100', name: 'Access EVPL 100' },
  { code: 'AEPL1G', name: 'Access EPL 1G' },
];

export const DEMO_MEF_BUYER_ENDPOINTS: MefBuyerEndpoint[] = [
  { tenantId: 'demo', notificationUrl: null },
  { tenantId: 'other', notificationUrl: null },
];

/** Idempotent; a notification URL set by hand is kept. */
export async function loadMefDemoData(orm: Orm): Promise<void> {
  const em = orm.em.fork();
  await em.upsertMany(MefEnniSchema, DEMO_MEF_ENNIS, { onConflictFields: ['tenantId', 'sellerEnniId'] });
  await em.upsertMany(MefProductSpecSchema, DEMO_MEF_PRODUCT_SPECS, { onConflictFields: ['code'] });
  await em.upsertMany(MefBuyerEndpointSchema, DEMO_MEF_BUYER_ENDPOINTS, { onConflictFields: ['tenantId'], onConflictAction: 'ignore' });
}
