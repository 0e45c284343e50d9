import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import { type Accountable, IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';
import type { LeadAnswer, SalesLead } from '../../domain/salesLeads/salesLead';
export * from '../../domain/salesLeads/salesLead';

/**
 * The sales-lead workflow's public contract: what the API, the ops CLI and the
 * Temporal UI may send to it. Nothing here may import worker-only code.
 */
export const SALES_LEAD_WORKFLOW_TYPE = 'salesLeadWorkflow';

export const salesLeadWorkflowId = (orderId: string): string => `sales-lead-${orderId}`;

export interface SalesLeadInput extends Accountable {
  orderId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical request body: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  lead: SalesLead;
}


/** Ops: accept a lead waiting for review. `{}` at least: an empty input (the UI's default) is ignored. */
export const ApproveLead = z.strictObject({ message: z.optional(opsText), by: actor });
export type ApproveLead = z.infer<typeof ApproveLead>;
/** Ops: reject a lead under review or scheduled; the CO sees the message. */
export const RejectLead = z.strictObject({ message: opsText.check(z.trim(), z.minLength(1)), by: actor });
export type RejectLead = z.infer<typeof RejectLead>;

/** Sent with Update-with-Start; answers with the workflow's first decision. */
export const submitLeadUpdate = defineUpdate<LeadAnswer, [SubmitRequest]>('submit');
/** Each ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const approveSignal = defineSignal<[ApproveLead]>('approve');
export const rejectSignal = defineSignal<[RejectLead]>('reject');
export const approveLeadUpdate = defineUpdate<OpsAnswer, [ApproveLead]>('approveLead');
export const rejectLeadUpdate = defineUpdate<OpsAnswer, [RejectLead]>('rejectLead');
export const statusQuery = defineQuery<LeadAnswer>('status');

/** ApplicationFailure types the API maps to HTTP statuses. */
export const LeadFailure = {
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
  provisioningRejected: 'ProvisioningRejected',
} as const;
