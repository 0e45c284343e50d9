import { EntitySchema } from '@mikro-orm/core';

/**
 * Read model of a sales lead, kept current by its workflow. The GET endpoint and
 * the ops listing read it, because visibility (search attributes) is only
 * eventually consistent and disappears with retention.
 */
export interface SalesLeadRecord {
  orderId: string;
  tenantId: string;
  status: string;
  stage: string;
  message: string;
  accessId: string;
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export const SalesLeadRecordSchema = new EntitySchema<SalesLeadRecord>({
  name: 'SalesLeadRecord',
  tableName: 'sales_leads',
  properties: {
    orderId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    status: { type: 'string' },
    stage: { type: 'string' },
    message: { type: 'text' },
    accessId: { type: 'string' },
    correlationId: { type: 'string' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
