import { EntitySchema } from '@mikro-orm/core';

/** An eSIM end customer of one tenant, known by e-mail (the seed's key for TOPUP). */
export interface EsimCustomer {
  tenantId: string;
  /** As the order that created the customer gave it. */
  email: string;
  /**
   * emailKey(email) (src/domain/esimOrders/ownership.ts), unique per tenant: what every lookup
   * compares. Null only on a customer that, before the key existed, duplicated an earlier one's
   * address in another case (Migration20261210000000_esimCustomerEmailKey).
   */
  emailKey?: string | null;
  firstName: string;
  lastName?: string | null;
  language: string;
  countryOfResidence?: string | null;
  /** Comma-separated ISO 4217 codes the customer may be charged in. */
  currencies: string;
  createdAt: Date;
}

export const EsimCustomerSchema = new EntitySchema<EsimCustomer>({
  name: 'EsimCustomer',
  tableName: 'esim_customers',
  properties: {
    tenantId: { type: 'string', primary: true },
    email: { type: 'string', primary: true },
    emailKey: { type: 'string', nullable: true },
    firstName: { type: 'string' },
    lastName: { type: 'string', nullable: true },
    language: { type: 'string' },
    countryOfResidence: { type: 'string', nullable: true },
    currencies: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
