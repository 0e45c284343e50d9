import type { SalesLead } from '../../src/workflows/salesLeads/contract';
import { SEED_ACCESS_ID, SEED_OFFERING_ID, SEED_PRODUCT_ID } from '../../src/db/salesLeads/demoData';

/** Seed 000's example body exactly as written (placeholders and all). */
export const SEED_EXAMPLE_BODY = {
  accessId: '8732c2f065e2490babce820e94b1011a',
  coId: 'Acme',
  orderDateTime: '2021-05-03T20:31:15Z',
  requestedDateTime: '2019-02-05T00:00:00Z',
  products: [{ productId: '8732c2f065e2490babce820e94b1011a', offeringId: 'xxx' }],
  customerDetails: {
    identifiedCustomer: true,
    personalIdentityNumber: 'string',
    customerFirstname: 'string',
    customerLastName: 'string',
    customerPhone: 'string',
    customerMobilePhone: 'string',
    customerEmail: 'string',
    invoiceDetails: { streetName: 'string', streetNumber: 'string', streetLittera: 'string', postalCode: 'string', city: 'string' },
  },
};

let counter = 0;

/** The seed's example with real values; each call a distinct lead unless overridden. */
export function validLead(overrides: Partial<SalesLead> = {}, customer: Partial<SalesLead['customerDetails']> = {}): SalesLead {
  counter += 1;
  return {
    accessId: SEED_ACCESS_ID,
    coId: 'Acme',
    orderDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    requestedDateTime: '2019-02-05T00:00:00Z',
    products: [{ productId: SEED_PRODUCT_ID, offeringId: SEED_OFFERING_ID }],
    ...overrides,
    customerDetails: {
      identifiedCustomer: true,
      personalIdentityNumber: '198507099805',
      customerFirstname: 'Anna',
      customerLastName: 'Svensson',
      customerPhone: '08-123 456 78',
      customerMobilePhone: '+46701234567',
      customerEmail: 'anna.svensson@example.se',
      invoiceDetails: { streetName: 'Testvägen', streetNumber: '100', streetLittera: '', postalCode: '123 45', city: 'Ankeborg' },
      ...customer,
    },
  };
}
