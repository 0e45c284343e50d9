import { EntitySchema } from '@mikro-orm/core';

/**
 * Every public id we ever accepted (sales lead, eSIM order, inquiry, fibre order, MEF
 * order), keyed by the workflow id it names, with the hash of the request that created
 * it and when it finished. Temporal forgets a closed workflow after its retention; this
 * row is kept forever, so a resend is answered from here (answeredByDatabase in src/api/shared/updateWithStart.ts)
 * and a finished order is never started again or overwritten (src/activities/shared/publicIds.ts).
 */
export interface PublicId {
  workflowId: string;
  tenantId: string;
  requestHash: string;
  acceptedAt: Date;
  finishedAt: Date | null;
  /** The client that really sent the request, when it acted for the tenant's client (impersonation); null otherwise. */
  impersonatedBy?: string | null;
}

export const PublicIdSchema = new EntitySchema<PublicId>({
  name: 'PublicId',
  tableName: 'public_ids',
  properties: {
    workflowId: { type: 'string', primary: true },
    tenantId: { type: 'string' },
    requestHash: { type: 'string' },
    acceptedAt: { type: 'datetime' },
    finishedAt: { type: 'datetime', nullable: true },
    impersonatedBy: { type: 'string', nullable: true },
  },
});
