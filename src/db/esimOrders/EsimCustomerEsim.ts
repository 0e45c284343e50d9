import { EntitySchema } from '@mikro-orm/core';

/** Which customer owns which eSIM: what a TOPUP's email and ICCID must match. */
export interface EsimCustomerEsim {
  tenantId: string;
  iccid: string;
  email: string;
  matchingId: string;
  smdpUrl: string;
  /** The order that provisioned or activated it. */
  externalId: string;
  createdAt: Date;
}

export const EsimCustomerEsimSchema = new EntitySchema<EsimCustomerEsim>({
  name: 'EsimCustomerEsim',
  tableName: 'esim_customer_esims',
  properties: {
    tenantId: { type: 'string', primary: true },
    iccid: { type: 'string', primary: true },
    email: { type: 'string' },
    matchingId: { type: 'string' },
    smdpUrl: { type: 'string' },
    externalId: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
