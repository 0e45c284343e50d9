import type { Orm } from '../orm';
import { luhnCheckDigit } from '../../domain/esimOrders/iccid';
import { emailKey } from '../../domain/esimOrders/ownership';
import {
  EsimCustomer,
  EsimCustomerEsim,
  EsimCustomerEsimSchema,
  EsimCustomerSchema,
  EsimProduct,
  EsimProductSchema,
  EsimStock,
  EsimStockSchema,
} from '../entities';

/** The seed's customer (NEW_ESIM and TOPUP examples). */
export const SEED_ESIM_EMAIL = 'john@doe.com';
/**
 * The seed's TOPUP example names ICCID "123456789", which fails the ICCID form
 * check; this is the well-formed eSIM john@doe.com owns in the demo data instead.
 */
export const DEMO_JOHN_ICCID = '8944474600000101829';
/** Owned by another customer: a TOPUP for john@doe.com naming it does not match. */
export const DEMO_JANE_EMAIL = 'jane@doe.com';
export const DEMO_JANE_ICCID = '8944474600000202809';
/** The simulated platform refuses to activate this one for good: shows bulk compensation. */
export const DEMO_UNACTIVATABLE_ICCID = '8944474600000999990';

/** The seed's BULK_ACTIVATION example names this one: demo stock, so the example is accepted. */
export const SEED_BULK_ICCID = '8944474600000101811';

const withCheckDigit = (body: string) => `${body}${luhnCheckDigit(body)}`;
/** Stock no customer owns yet: what a bulk order may give a customer (ten per demo tenant). */
export const DEMO_STOCK_ICCIDS: Record<'demo' | 'other', string[]> = {
  demo: Array.from({ length: 10 }, (_, i) => withCheckDigit(`89444746000030${String(i).padStart(4, '0')}`)),
  other: Array.from({ length: 10 }, (_, i) => withCheckDigit(`89444746000040${String(i).padStart(4, '0')}`)),
};

const product = (tenantId: string, productId: string, name: string, dataValue: number, dataUnit: string, price: number, currency: string): EsimProduct =>
  ({ tenantId, productId, name, dataValue, dataUnit, price, currency });

export const DEMO_ESIM_PRODUCTS: EsimProduct[] = [
  product('demo', 'a3u3z000000PZBhAAO', 'Travel 1 GB / 7 days', 1, 'GB', 10, 'USD'),
  product('demo', 'a3mM0000000Dcmr', 'Europe 5 GB / 30 days', 5, 'GB', 20, 'EUR'),
  product('demo', 'a3mM0000000Dcmw', 'Europe 10 GB / 30 days', 10, 'GB', 30, 'EUR'),
  // Another tenant sells only one of them: catalogues are per tenant.
  product('other', 'a3u3z000000PZBhAAO', 'Travel 1 GB / 7 days', 1, 'GB', 9, 'EUR'),
];

const created = new Date('2026-01-01T00:00:00Z');

export const DEMO_ESIM_CUSTOMERS: EsimCustomer[] = [
  { tenantId: 'demo', email: SEED_ESIM_EMAIL, emailKey: emailKey(SEED_ESIM_EMAIL), firstName: 'John', lastName: 'Doe', language: 'EN', countryOfResidence: 'US', currencies: 'USD,EUR', createdAt: created },
  { tenantId: 'demo', email: DEMO_JANE_EMAIL, emailKey: emailKey(DEMO_JANE_EMAIL), firstName: 'Jane', lastName: 'Doe', language: 'EN', countryOfResidence: 'PT', currencies: 'EUR', createdAt: created },
];

export const DEMO_ESIM_OWNERSHIP: EsimCustomerEsim[] = [
  { tenantId: 'demo', iccid: DEMO_JOHN_ICCID, email: SEED_ESIM_EMAIL, matchingId: 'M-DEMO-JOHN', smdpUrl: 'rsp.truphone.com', externalId: 'demo-data', createdAt: created },
  { tenantId: 'demo', iccid: DEMO_JANE_ICCID, email: DEMO_JANE_EMAIL, matchingId: 'M-DEMO-JANE', smdpUrl: 'rsp.truphone.com', externalId: 'demo-data', createdAt: created },
];

const stock = (tenantId: string, iccid: string): EsimStock => ({ tenantId, iccid, createdAt: created });
export const DEMO_ESIM_STOCK: EsimStock[] = [
  stock('demo', SEED_BULK_ICCID),
  // In stock, so a bulk order reaches the platform, which refuses it.
  stock('demo', DEMO_UNACTIVATABLE_ICCID),
  ...DEMO_STOCK_ICCIDS.demo.map((iccid) => stock('demo', iccid)),
  ...DEMO_STOCK_ICCIDS.other.map((iccid) => stock('other', iccid)),
];

/** Idempotent: loading twice leaves the same rows. */
export async function loadEsimDemoData(orm: Orm): Promise<void> {
  const em = orm.em.fork();
  await em.upsertMany(EsimProductSchema, DEMO_ESIM_PRODUCTS, { onConflictFields: ['tenantId', 'productId'] });
  await em.upsertMany(EsimCustomerSchema, DEMO_ESIM_CUSTOMERS, { onConflictFields: ['tenantId', 'email'] });
  await em.upsertMany(EsimCustomerEsimSchema, DEMO_ESIM_OWNERSHIP, { onConflictFields: ['tenantId', 'iccid'] });
  await em.upsertMany(EsimStockSchema, DEMO_ESIM_STOCK, { onConflictFields: ['iccid'] });
}
