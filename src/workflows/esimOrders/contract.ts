import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import { IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';

/**
 * The eSIM order workflow's public contract (seed 001): what the API, the ops
 * tools and the Temporal UI may send to it. Nothing here may import worker-only code.
 */
export const ESIM_ORDER_WORKFLOW_TYPE = 'esimOrderWorkflow';

export const esimOrderWorkflowId = (externalId: string): string => `esim-order-${externalId}`;

/** `TOPUP_ACTIVATION` is the seed's deprecated alias; the API turns it into `TOPUP`. */
export type OperationType = 'NEW_ESIM' | 'TOPUP' | 'BULK_ACTIVATION';

/** The seed's public status values. */
export type EsimOrderStatus = 'ACCEPTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/**
 * Where the workflow is; what the `OrderStatus` search attribute shows ops.
 * CHECKING → (not public: a 422 leaves no order behind), ACCEPTED → ACCEPTED,
 * PROVISIONING / WAITING_FOR_PROFILE / SCHEDULED / ACTIVATING / COMPENSATING → IN_PROGRESS,
 * NEEDS_OPERATOR → IN_PROGRESS (a compensation step failed; an operator retries or skips it),
 * COMPLETED, FAILED; CANCELLED (by an operator) → FAILED; REJECTED is the 422 end.
 * Issue 16: once a NEW_ESIM or TOPUP is COMPLETED (the eSIM installable, every plan
 * active or booked) its status never goes back, whatever the stage: SCHEDULED and
 * ACTIVATING then mean a later plan waits or starts, and PLAN_FAILED (kept to the end)
 * that one failed: the order stays COMPLETED, that subscription is FAILED, ops look.
 */
export type EsimOrderStage =
  | 'CHECKING'
  | 'ACCEPTED'
  | 'PROVISIONING'
  | 'WAITING_FOR_PROFILE'
  | 'SCHEDULED'
  | 'ACTIVATING'
  | 'COMPENSATING'
  | 'NEEDS_OPERATOR'
  | 'PLAN_FAILED'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'REJECTED';

export interface EsimSubscription {
  id: string;
  type: string;
  /** Absent means "now" (the seed's default), resolved by the workflow at acceptance. */
  activationDate?: string | undefined;
  autoRenew: boolean;
  dataValue?: number | undefined;
  dataUnit?: string | undefined;
  price?: number | undefined;
  currency?: string | undefined;
  /** BULK_ACTIVATION only: the ICCIDs this product is activated on. */
  iccid?: string[] | undefined;
}

export interface EsimOrderRequest {
  operationType: OperationType;
  countryCode: string;
  subscriptions: EsimSubscription[];
  device: { type: 'iot' | 'ios' | 'android'; id: string; model?: string | undefined; uicc?: string | undefined; imei?: string | undefined };
  customer: {
    email: string;
    firstName: string;
    lastName?: string | undefined;
    language: string;
    countryOfResidence?: string | undefined;
  };
  esim?: { iccid?: string | undefined } | undefined;
}

export interface EsimOrderInput {
  externalId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical request: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  order: EsimOrderRequest;
}

/**
 * BULK_ACTIVATION's maximum: activations (ICCID and product pairs) per order, i.e. the
 * ICCIDs of all subscriptions together, an ICCID named by two subscriptions counting
 * twice. The order runs its activations in child workflows of ESIM_BULK_BATCH_SIZE,
 * which keep their results in the database, so no history comes near Temporal's
 * limits; what bounds it is the order's input (about 22 bytes per ICCID, which must
 * stay under Temporal's 2 MB per payload, and which the order's history holds twice:
 * as its input and as the check's). The benchmark `npm run bench -- esimBulk` runs
 * an order of this size.
 */
export const MAX_BULK_ACTIVATIONS = 10_000;

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

/** A data plan with the seed's defaults filled in from the product's allowance. */
export interface ResolvedPlan {
  /** Stable per order and plan: the platform's idempotency key. */
  planId: string;
  productId: string;
  type: string;
  activationDate: string;
  autoRenew: boolean;
  dataValue: number;
  dataUnit: string;
  price: number;
  currency: string;
}

export interface EsimProfile {
  iccid: string;
  matchingId: string;
  smdpUrl: string;
}

/**
 * Issue 16: a data plan of a NEW_ESIM or TOPUP, as `output.subscriptions` shows it.
 * SCHEDULED (booked for its activationDate) → ACTIVE, or CANCELLED (an operator
 * cancelled it before its date) or FAILED (the platform refused it); never back.
 */
export type SubscriptionState = 'SCHEDULED' | 'ACTIVE' | 'CANCELLED' | 'FAILED';

export interface SubscriptionView {
  productId: string;
  activationDate: string;
  state: SubscriptionState;
  /** Why it was CANCELLED or FAILED. */
  reason?: string;
}

/** A NEW_ESIM's or TOPUP's output: what installs the eSIM, and (orders since issue 16) its plans. */
export interface EsimOrderOutput extends EsimProfile {
  subscriptions?: SubscriptionView[];
}

export type IccidResultStatus = 'ACTIVATED' | 'FAILED' | 'ROLLED_BACK' | 'NOT_ATTEMPTED';

/** BULK_ACTIVATION: one entry per ICCID. */
export interface IccidResult extends Partial<EsimProfile> {
  iccid: string;
  status: IccidResultStatus;
  reason?: string;
}

/**
 * What GET answers; the `status` query and the workflow's result return it too, but
 * for a BULK_ACTIVATION without `output`: its up to 10,000 entries (1 MiB) would make
 * the result a payload over the SDK's warning limit and the order's history grow with
 * its ICCIDs. GET builds a bulk order's output from the database (esim_bulk_activations).
 */
export interface EsimOrderView {
  externalId: string;
  status: EsimOrderStatus;
  output?: EsimOrderOutput | IccidResult[];
  reason?: string;
}

export interface EsimOrderAccepted {
  externalId: string;
  status: 'ACCEPTED';
}

/**
 * Ops: stop plans still waiting for their activationDate. Orders since issue 16 are
 * COMPLETED by then: those subscriptions become CANCELLED, the order stays COMPLETED and
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
export const ESIM_BULK_BATCH_WORKFLOW_TYPE = 'esimBulkBatchWorkflow';
export const ESIM_BULK_UNDO_WORKFLOW_TYPE = 'esimBulkUndoWorkflow';
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
