import { EntitySchema } from '@mikro-orm/core';

/**
 * The audit trail of ops actions (DESIGN: Operators): who did what to which order,
 * when, why, and the state before and after; also what was sent and ignored. Written
 * by the workflows, kept forever (Temporal's own record of signals ends with retention).
 */
export interface OpsAction {
  runId: string;
  /** Per run, assigned by the workflow: a retried write is the same row. */
  seq: number;
  workflowId: string;
  family: string;
  publicId: string;
  action: string;
  via: 'signal' | 'update';
  by: string | null;
  reason: string | null;
  before: string;
  after: string;
  outcome: 'done' | 'ignored';
  detail: string;
  at: Date;
}

export const OpsActionSchema = new EntitySchema<OpsAction>({
  name: 'OpsAction',
  tableName: 'ops_actions',
  properties: {
    runId: { type: 'string', primary: true },
    seq: { type: 'integer', primary: true },
    workflowId: { type: 'string', index: true },
    family: { type: 'string' },
    publicId: { type: 'string' },
    action: { type: 'string' },
    via: { type: 'string' },
    by: { type: 'string', nullable: true, fieldName: 'actor' },
    reason: { type: 'text', nullable: true },
    before: { type: 'string', fieldName: 'state_before' },
    after: { type: 'string', fieldName: 'state_after' },
    outcome: { type: 'string' },
    detail: { type: 'text' },
    at: { type: 'datetime' },
  },
});
