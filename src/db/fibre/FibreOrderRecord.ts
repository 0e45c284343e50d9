import { EntitySchema } from '@mikro-orm/core';

/** Read model of a fibre order (seed 002 §5), kept current by its workflow; `view` is the seed's body. */
export interface FibreOrderRecord {
  orderId: string;
  tenantId: string;
  inquiryId: string;
  state: string;
  view: string;
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export const FibreOrderRecordSchema = new EntitySchema<FibreOrderRecord>({
  name: 'FibreOrderRecord',
  tableName: 'fibre_orders',
  properties: {
    orderId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    inquiryId: { type: 'string' },
    state: { type: 'string' },
    view: { type: 'text' },
    correlationId: { type: 'string' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
