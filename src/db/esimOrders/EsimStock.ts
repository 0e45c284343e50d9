import { EntitySchema } from '@mikro-orm/core';

/**
 * eSIMs a tenant holds before any customer does (a reseller's stock): what a
 * BULK_ACTIVATION may give to a new customer. One ICCID is one physical profile,
 * so it is stock of one tenant only. Who owns it is EsimCustomerEsim's business:
 * a stock row stays after a customer owns the eSIM, so "unowned" is read there.
 */
export interface EsimStock {
  iccid: string;
  tenantId: string;
  createdAt: Date;
}

export const EsimStockSchema = new EntitySchema<EsimStock>({
  name: 'EsimStock',
  tableName: 'esim_stock',
  properties: {
    iccid: { type: 'string', primary: true },
    tenantId: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
});
