import { EntitySchema } from '@mikro-orm/core';

/**
 * Read model of an offer inquiry (seed 002 §4), kept current by its workflow.
 * `view` is the seed's body as JSON, exactly what GET returns; `state` and `stage`
 * sit beside it for ops and listings.
 */
export interface FibreInquiryRecord {
  inquiryId: string;
  tenantId: string;
  inquiryNumber: string;
  state: string;
  stage: string;
  view: string;
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export const FibreInquiryRecordSchema = new EntitySchema<FibreInquiryRecord>({
  name: 'FibreInquiryRecord',
  tableName: 'fibre_inquiries',
  properties: {
    inquiryId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    inquiryNumber: { type: 'string' },
    state: { type: 'string' },
    stage: { type: 'string' },
    view: { type: 'text' },
    correlationId: { type: 'string' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
