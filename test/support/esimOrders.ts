import { EsimStockSchema } from '../../src/db/entities';
import { DEMO_JOHN_ICCID } from '../../src/db/esimOrders/demoData';
import type { Orm } from '../../src/db/orm';
import { luhnCheckDigit } from '../../src/domain/esimOrders/iccid';

/** A date `days` ahead: the seed's examples ask for 2019, which the rules now refuse. */
export const future = (days = 0, ms = 0): string => new Date(Date.now() + days * 24 * 3600 * 1000 + ms).toISOString();

/** Seed 001's NEW_ESIM example, its activationDate moved from 2019 to `activationDate`. */
export const seedNewEsim = (activationDate = future(0, 2000)) => ({
  input: {
    operationType: 'NEW_ESIM',
    countryCode: 'PT',
    customer: { email: 'john@doe.com', countryOfResidence: 'US' },
    device: { id: '123456789', model: 'iPhone', type: 'ios' },
    subscriptions: [{ id: 'a3u3z000000PZBhAAO', activationDate, price: 10, currency: 'USD' }],
  },
});

/**
 * Seed 001's TOPUP example (deprecated TOPUP_ACTIVATION and all), date moved; its
 * ICCID placeholder "123456789" fails the ICCID form check, so it names john's eSIM.
 */
export const seedTopup = (activationDate = future(0, 2000), iccid = DEMO_JOHN_ICCID) => ({
  input: {
    operationType: 'TOPUP_ACTIVATION',
    countryCode: 'PT',
    customer: { email: 'john@doe.com', countryOfResidence: 'US' },
    device: { id: '123456789', model: 'iPhone', type: 'ios' },
    subscriptions: [{ id: 'a3u3z000000PZBhAAO', activationDate, price: 10, currency: 'USD' }],
    esim: { iccid },
  },
});

/** Seed 001's BULK_ACTIVATION example, one comma-separated string per list as written, dates moved. */
export const seedBulk = (activationDate = future(0, 2000)) => ({
  input: {
    countryCode: 'PT',
    operationType: 'BULK_ACTIVATION',
    customer: {
      type: 'PERSONAL',
      countryOfResidence: 'PT',
      email: 'test_customer_e2e@gmail.com',
      firstName: 'tests',
      lastName: 'truphone',
      language: 'PT',
    },
    device: { id: '123456789', model: 'iPhone', type: 'ios', imei: '1234' },
    subscriptions: [
      { iccid: ['8944474600000101811, 8944474600000101811'], id: 'a3mM0000000Dcmr', activationDate },
      { iccid: ['8944474600000101811, 8944474600000101811'], id: 'a3mM0000000Dcmw', activationDate },
    ],
    payment: { token: '1234' },
  },
});

/** Well-formed ICCIDs (Luhn-valid), distinct per call. */
let next = 500;
export function freshIccid(): string {
  next += 1;
  const body = `894447460000${String(next).padStart(6, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** Puts ICCIDs in a tenant's stock, as a delivery to a reseller would: what a bulk order may hand out. */
export async function stocked(orm: Orm, iccids: string[], tenantId = 'demo'): Promise<string[]> {
  const createdAt = new Date();
  for (let i = 0; i < iccids.length; i += 1000) {
    const rows = iccids.slice(i, i + 1000).map((iccid) => ({ iccid, tenantId, createdAt }));
    await orm.em.fork().upsertMany(EsimStockSchema, rows, { onConflictFields: ['iccid'] });
  }
  return iccids;
}

/** `n` fresh ICCIDs in the tenant's stock. */
export const freshStock = (orm: Orm, n: number, tenantId = 'demo'): Promise<string[]> =>
  stocked(orm, Array.from({ length: n }, () => freshIccid()), tenantId);
