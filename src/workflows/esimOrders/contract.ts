import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import { type Accountable, IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';
import type { EsimOrderRequest, ResolvedPlan, EsimOrderView, EsimOrderAccepted } from '../../domain/esimOrders/esimOrder';
export * from '../../domain/esimOrders/esimOrder';

/**
 * The eSIM order workflow's public contract (seed 001): what the API, the ops
 * tools and the Temporal UI may send to it. Nothing here may import worker-only code.
 */
export const ESIM_ORDER_WORKFLOW_TYPE = 'esimOrderWorkflow';

export const esimOrderWorkflowId = (externalId: string): string => `esim-order-${externalId}`;

export interface EsimOrderInput extends Accountable {
  externalId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical request: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  order: EsimOrderRequest;
}

/** Activations per child workflow when the settings name none (orders started before the setting existed). */
export const DEFAULT_BULK_BATCH_SIZE = 500;

export interface EsimOrderSettings {
  /** First wait between polls of the eSIM platform; doubles up to pollMaxInterval. */
  pollInitialInterval: Duration;
  pollMaxInterval: Duration;
  /** A profile not ready within this is "stuck": the order ends FAILED. */
  profileReadyLimit: Duration;
  /** BULK_ACTIVATION: how many ICCIDs are activated at once. */
  bulkConcurrency: number;
  /** BULK_ACTIVATION: activations per child workflow (absent in orders started before it existed). */
  bulkBatchSize?: number | undefined;
}

/**
 * Ops: stop plans still waiting for their activationDate. Orders run since plans are
 * reported (esim-completed-when-installable) are COMPLETED by then: those subscriptions become CANCELLED, the order stays COMPLETED and
 * its active plans stay. Orders started before: undo what the order activated (FAILED).
 */
export const CancelEsimOrder = z.strictObject({ reason: z.optional(opsText), by: actor });
export type CancelEsimOrder = z.infer<typeof CancelEsimOrder>;
/** Ops: try the failed compensation step again (the platform is back). */
export const RetryEsimStep = z.strictObject({ by: actor });
export type RetryEsimStep = z.infer<typeof RetryEsimStep>;
/** Ops: the failed compensation step was done by hand; say what was done. */
export const SkipEsimStep = z.strictObject({ reason: opsText.check(z.trim(), z.minLength(1)), by: actor });
export type SkipEsimStep = z.infer<typeof SkipEsimStep>;

/** Each ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const cancelEsimSignal = defineSignal<[CancelEsimOrder]>('cancel');
export const retryEsimStepSignal = defineSignal<[RetryEsimStep]>('retry');
export const skipEsimStepSignal = defineSignal<[SkipEsimStep]>('skip');
export const cancelEsimOrderUpdate = defineUpdate<OpsAnswer, [CancelEsimOrder]>('cancelEsimOrder');
export const retryEsimStepUpdate = defineUpdate<OpsAnswer, [RetryEsimStep]>('retryStep');
export const skipEsimStepUpdate = defineUpdate<OpsAnswer, [SkipEsimStep]>('skipStep');

/** Sent with Update-with-Start: answers once the 422 checks ran, or fails with their code. */
export const submitEsimOrderUpdate = defineUpdate<EsimOrderAccepted, [SubmitRequest]>('submit');
export const esimOrderStatusQuery = defineQuery<EsimOrderView>('status');

/**
 * ApplicationFailure types; the API maps them to HTTP in one place
 * (src/api/esimOrders/failures.ts). The first four are the seed's codes.
 */
export const EsimFailure = {
  productNotFound: 'PRODUCT_NOT_FOUND',
  emailAndIccidDoNotMatch: 'EMAIL_AND_ICCID_DO_NOT_MATCH',
  customerMustExist: 'CUSTOMER_MUST_EXIST',
  invalidRequestParams: 'INVALID_REQUEST_PARAMS',
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
  /** The eSIM platform refused for good (activity → workflow, never to HTTP). */
  platformRejected: 'EsimPlatformRejected',
  /** Benign: the profile is still being prepared; the poll activity is retried. */
  profileNotReady: 'ProfileNotReady',
} as const;

export type EsimRejectionCode =
  | typeof EsimFailure.productNotFound
  | typeof EsimFailure.emailAndIccidDoNotMatch
  | typeof EsimFailure.customerMustExist
  | typeof EsimFailure.invalidRequestParams;

/**
 * BULK_ACTIVATION runs its activations in child workflows, a batch each, so no
 * history grows with the order (Temporal caps one at 50k events / 50 MB). Their ids
 * derive from the order's workflow id and the batch's number: a batch started again
 * (a replayed or reset parent) meets its first run and is refused, never run twice.
 */
export const esimBulkBatchWorkflowId = (orderWorkflowId: string, batch: number): string => `${orderWorkflowId}-batch-${batch}`;
export const esimBulkUndoWorkflowId = (orderWorkflowId: string, step: number): string => `${orderWorkflowId}-undo-${step}`;

/** One ICCID of a batch and the order's plans (indexes into `plans`) it gets, in that order. */
export interface BulkItem {
  iccid: string;
  plans: number[];
}

/**
 * A batch child's input: which batch of the order it runs. Its ICCIDs are read from
 * the order's work list (esim_bulk_activations), not passed here: 20 inputs of 500
 * ICCIDs each would have put the order's ICCIDs in its history once more.
 */
export interface BulkBatchInput {
  externalId: string;
  batch: number;
  plans: ResolvedPlan[];
  settings: EsimOrderSettings;
}

/** What one activation came to, as a batch child records it. */
export interface BulkActivationResult {
  iccid: string;
  productId: string;
  status: 'ACTIVATED' | 'FAILED';
  matchingId?: string;
  smdpUrl?: string;
  reason?: string;
}

/**
 * What a batch did, in counts: the per-activation results are in the database. The
 * order needs only whether to go on and, if not, what to say (its first failure).
 */
export interface BulkBatchOutcome {
  activated: number;
  failed: number;
  failure?: { iccid: string; reason: string };
}

/** An undo child deactivates up to `limit` of the order's activated plans, last activated first, read from the work list. */
export interface BulkUndoInput {
  externalId: string;
  limit: number;
  settings: EsimOrderSettings;
}

/**
 * The first `undone` plans it read are deactivated; when `stuck` is set, the next one
 * failed for good. `more`: plans wait after those it read.
 */
export interface BulkUndoOutcome {
  undone: number;
  stuck?: { planId: string; reason: string };
  more: boolean;
}
