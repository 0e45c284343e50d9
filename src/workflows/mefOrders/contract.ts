import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, opsText } from '../shared/opsInput';
import { MEF_ORDER_STATUSES, type FulfilmentStep, type MefOrderStatus, type OrderItemState } from '../../domain/mefOrders/lifecycle';
import { type Accountable, IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';
import type { MefOrderDocument, MefOrderView, OrderItemProgress, ActionAnswer } from '../../domain/mefOrders/mefOrder';
export * from '../../domain/mefOrders/mefOrder';

/**
 * The MEF order workflow's public contract: what the API, the ops tools and the
 * Temporal UI may send to it. Nothing here may import worker-only code.
 */
export const MEF_ORDER_WORKFLOW_TYPE = 'mefOrderWorkflow';

export const mefOrderWorkflowId = (orderId: string): string => `mef-order-${orderId}`;

export interface MefOrderInput extends Accountable {
  orderId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical POST body: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  /** When the API received the order; orderDate when the buyer gave none. */
  receivedAt: string;
  order: MefOrderDocument;
}

export interface MefOrderSettings {
  /** Simulated seller step durations, in ms (durable timers, paused while held). */
  stepDurations: Record<FulfilmentStep, number>;
  /** MEF_SELLER_STEP_ALLOWANCE: how long the seller may take to take a step on before the order is in jeopardy; absent in orders started before it (a minute). */
  sellerStepAllowanceMs?: number;
  /** How long the seller takes to decide on a cancellation after installation started. */
  cancellationAssessmentMs: number;
  /** After a final state the order still answers status requests and notes for this long. */
  closedOrderWindowMs: number;
  /** The order's own URL is `${publicBaseUrl}/orders/<id>`. */
  publicBaseUrl: string;
  /** MEF_HUB_RETRY_FOR: how long an event is retried per hub listener; absent in orders started before the hub (a day). */
  hubRetryForMs?: number;
}

/**
 * hold / release / cancel, from the buyer's HTTP call or an operator: the why, and who
 * (the API sends `buyer <clientId>`, the ops CLI `user@host`).
 */
export const ActionRequest = z.strictObject({ reason: z.optional(opsText), by: actor });
export type ActionRequest = z.infer<typeof ActionRequest>;

/** A cancel names the cancellation it creates (`CAN-…`, the API's); without one (an operator's) the workflow numbers its own. */
export const CancelRequest = z.extend(ActionRequest, { cancellationId: z.optional(z.string().check(z.regex(/^CAN-[A-Za-z0-9-]{1,80}$/))) });
export type CancelRequest = z.infer<typeof CancelRequest>;

export interface ReplaceOrder {
  kind: 'PUT' | 'PATCH';
  /** The whole new order (for PATCH: the merge result the API validated). */
  order: MefOrderDocument;
  /** The version the change was made against; stale → refused. */
  baseVersion: number;
}

/**
 * The API's own updates, parsed by their validators all the same (anyone with UI access
 * can send them): the shape the workflow reads; the API validated the whole document.
 */
export const ReplaceOrderInput = z.strictObject({
  kind: z.enum(['PUT', 'PATCH']),
  order: z.looseObject({ orderItems: z.array(z.looseObject({ orderItemReference: z.string() })).check(z.minLength(1)) }),
  baseVersion: z.int(),
});
export const BuyerNoteInput = z.strictObject({ note: z.string().check(z.minLength(1), z.maxLength(4000)) });
export const StatusRequest = z.strictObject({ requestId: z.string().check(z.minLength(1), z.maxLength(128)) });
export type StatusRequest = z.infer<typeof StatusRequest>;
export const UpstreamStatusResponse = z.strictObject({
  responseId: z.string().check(z.minLength(1), z.maxLength(128)),
  requestHash: z.string(),
  orderStatus: z.enum(MEF_ORDER_STATUSES),
  sellerId: z.optional(z.string()),
  statusMessage: z.optional(z.string()),
  statusDate: z.optional(z.string()),
});
export type UpstreamStatusResponse = z.infer<typeof UpstreamStatusResponse>;

/** The synchronous first answer: the order as validated against the seller's data. */
export const submitOrderUpdate = defineUpdate<MefOrderView, [SubmitRequest]>('submit');
export const holdOrderUpdate = defineUpdate<ActionAnswer, [ActionRequest]>('holdOrder');
export const releaseOrderUpdate = defineUpdate<ActionAnswer, [ActionRequest]>('releaseOrder');
export const cancelOrderUpdate = defineUpdate<ActionAnswer, [CancelRequest]>('cancelOrder');
export const replaceOrderUpdate = defineUpdate<MefOrderView, [ReplaceOrder]>('replaceOrder');
export const addBuyerNoteUpdate = defineUpdate<{ notificationId: string }, [{ note: string }]>('addBuyerNote');
export const requestStatusUpdate = defineUpdate<{ requestId: string; notificationId: string }, [StatusRequest]>('requestStatus');
export const recordStatusResponseUpdate = defineUpdate<{ notificationId: string }, [UpstreamStatusResponse]>('recordStatusResponse');

/** Ops: the same actions as the HTTP endpoints (DESIGN.md); a refused one is logged and ignored. */
export const holdSignal = defineSignal<[ActionRequest]>('hold');
export const releaseSignal = defineSignal<[ActionRequest]>('release');
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');

export const statusQuery = defineQuery<MefOrderView>('status');
export const progressQuery = defineQuery<{ orderStatus: MefOrderStatus; statusMessage: string; items: OrderItemProgress[] }>('progress');

/** ApplicationFailure types; the router maps them to HTTP in one place. */
export const MefFailure = {
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
  invalidState: 'InvalidState',
  versionConflict: 'VersionConflict',
  invalidOrder: 'InvalidOrder',
  itemsFrozen: 'ItemsFrozen',
  statusResponseConflict: 'StatusResponseConflict',
  sellerStepFailed: 'SellerStepFailed',
} as const;
