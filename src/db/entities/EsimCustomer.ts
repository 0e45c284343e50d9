import { EntitySchema } from '@mikro-orm/core';

/** An eSIM end customer of one tenant, known by e-mail (the seed's key for TOPUP). */
export interface EsimCustomer {
  tenantId: string;
  email: string;
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
    firstName: { type: 'string' },
    lastName: { type: 'string', nullable: true },
    language: { type: 'string' },
    countryOfResidence: { type: 'string', nullable: true },
    currencies: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
