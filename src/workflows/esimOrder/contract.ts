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
export const externalIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^esim-order-/, '');

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
 * twice. Issue 15 asks for at least 10,000.
 */
export const MAX_BULK_ACTIVATIONS = 10_000;

export interface EsimOrderSettings {
  /** First wait between polls of the eSIM platform; doubles up to pollMaxInterval. */
  pollInitialInterval: Duration;
  pollMaxInterval: Duration;
  /** A profile not ready within this is "stuck": the order ends FAILED. */
  profileReadyLimit: Duration;
  /** BULK_ACTIVATION: how many ICCIDs are activated at once. */
  bulkConcurrency: number;
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

export type IccidResultStatus = 'ACTIVATED' | 'FAILED' | 'ROLLED_BACK' | 'NOT_ATTEMPTED';

/** BULK_ACTIVATION: one entry per ICCID. */
export interface IccidResult extends Partial<EsimProfile> {
  iccid: string;
  status: IccidResultStatus;
  reason?: string;
}

/** What GET answers and the `status` query returns. */
export interface EsimOrderView {
  externalId: string;
  status: EsimOrderStatus;
  output?: EsimProfile | IccidResult[];
  reason?: string;
}

export interface EsimOrderAccepted {
  externalId: string;
  status: 'ACCEPTED';
}

/** Ops: stop plans still waiting for their activationDate and undo what this order activated. */
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

