import { EntitySchema } from '@mikro-orm/core';

/** A cancellation of a MEF order (POST /cancelOrder, POST /orders/{id}/cancel, an operator's cancel), written by the order's workflow with the order. */
export interface MefCancellationRecord {
  id: string;
  tenantId: string;
  orderId: string;
  reason: string;
  requestedBy: string;
  /** acknowledged | inProgress | done | terminatedWithError (src/domain/mefOrders/cancellation.ts) */
  state: string;
  stateReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export const MefCancellationSchema = new EntitySchema<MefCancellationRecord>({
  name: 'MefCancellation',
  tableName: 'mef_cancellations',
  properties: {
    id: { type: 'string', primary: true },
    tenantId: { type: 'string' },
    orderId: { type: 'string' },
    reason: { type: 'text' },
    requestedBy: { type: 'string' },
    state: { type: 'string' },
    stateReason: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
