import { EntitySchema } from '@mikro-orm/core';
import type { EsimBulkActivationStatus } from '../../domain/esimOrders/bulkOutput';

export interface EsimBulkActivation {
  externalId: string;
  iccid: string;
  productId: string;
  /** Index into the order's subscriptions (and resolved plans). */
  planIndex: number;
  /** The platform's idempotency key for this activation. */
  planId: string;
  /** The ICCID's place in the order's output (first named first). */
  position: number;
  /** The batch child that activates it, numbered across phases in the order they run. */
  batch: number;
  status: EsimBulkActivationStatus;
  matchingId: string | null;
  smdpUrl: string | null;
  reason: string | null;
  /** Set once the undo is done with it: DEACTIVATED, or SKIPPED (an operator did it by hand). */
  undone: 'DEACTIVATED' | 'SKIPPED' | null;
  updatedAt: Date;
}

export const EsimBulkActivationSchema = new EntitySchema<EsimBulkActivation>({
  name: 'EsimBulkActivation',
  tableName: 'esim_bulk_activations',
  properties: {
    externalId: { type: 'string', primary: true },
    iccid: { type: 'string', primary: true },
    productId: { type: 'string', primary: true },
    planIndex: { type: 'integer' },
    planId: { type: 'string' },
    position: { type: 'integer' },
    batch: { type: 'integer' },
    status: { type: 'string' },
    matchingId: { type: 'string', nullable: true },
    smdpUrl: { type: 'string', nullable: true },
    reason: { type: 'text', nullable: true },
    undone: { type: 'string', nullable: true },
    updatedAt: { type: 'datetime' },
  },
});
