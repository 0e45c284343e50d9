import { EntitySchema } from '@mikro-orm/core';

/**
 * A product of one tenant's eSIM catalogue with its allowance: the seed's defaults
 * for `dataValue`, `dataUnit`, `price` and `currency` come from here.
 */
export interface EsimProduct {
  tenantId: string;
  productId: string;
  name: string;
  dataValue: number;
  dataUnit: string;
  price: number;
  currency: string;
}

export const EsimProductSchema = new EntitySchema<EsimProduct>({
  name: 'EsimProduct',
  tableName: 'esim_products',
  properties: {
    tenantId: { type: 'string', primary: true },
    productId: { type: 'string', primary: true },
    name: { type: 'string' },
    dataValue: { type: 'double' },
    dataUnit: { type: 'string' },
    price: { type: 'double' },
    currency: { type: 'string' },
  },
});
