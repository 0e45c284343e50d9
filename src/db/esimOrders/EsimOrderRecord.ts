import { EntitySchema } from '@mikro-orm/core';

/**
 * Read model of an eSIM order, kept current by its workflow; GET reads it
 * (tenant-scoped) because visibility is only eventually consistent.
 */
export interface EsimOrderRecord {
  externalId: string;
  tenantId: string;
  operationType: string;
  status: string;
  stage: string;
  reason?: string | null;
  /** JSON of the public `output`, once there is one. */
  output?: string | null;
  /** Seed 001's optional device.uicc and device.imei, as the order gave them. */
  deviceUicc?: string | null;
  deviceImei?: string | null;
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export const EsimOrderRecordSchema = new EntitySchema<EsimOrderRecord>({
  name: 'EsimOrderRecord',
  tableName: 'esim_orders',
  properties: {
    externalId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    operationType: { type: 'string' },
    status: { type: 'string' },
    stage: { type: 'string' },
    reason: { type: 'text', nullable: true },
    output: { type: 'text', nullable: true },
    correlationId: { type: 'string' },
    deviceUicc: { type: 'string', nullable: true },
    deviceImei: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
