import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import type { OfferForOrder, InquiryProduct } from './inquiryContract';
import type { Accountable, SubmitRequest } from '../shared/sameRequest';
import type { FibreOrderRequest, OrderView } from '../../domain/fibre/order';
export * from '../../domain/fibre/order';

/**
 * The fibre-order workflow's public contract (seed 002, section 5): what the API and
 * ops may send to it. Nothing here may import worker-only code.
 */
export const FIBRE_ORDER_WORKFLOW_TYPE = 'fiberOrderWorkflow';

export const fibreOrderWorkflowId = (orderId: string): string => `fiber-order-${orderId}`;

export interface FibreOrderInput extends Accountable {
  orderId: string;
  tenantId: string;
  correlationId: string;
  requestHash: string;
  order: FibreOrderRequest;
  /**
   * The offer as its inquiry workflow handed it over, when the API took it before the
   * start (runs started by an older API). Absent since: the order's workflow takes it.
   */
  offer?: OfferForOrder;
}

export interface FibreOrderSettings {
  /** Divides deliveryDurationDays for demos (1 = real days; 86400 = a day per second). */
  deliverySpeedUp: number;
}


/** Ops: the connection is delivered (its id defaults to the offer's, else one is made up). `{}` at least. */
export const DeliverOrder = z.strictObject({
  connectionId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  message: z.optional(opsText),
  by: actor,
});
export type DeliverOrder = z.infer<typeof DeliverOrder>;
/** Ops: the order is rejected; the client reads the message. */
export const RejectOrder = z.strictObject({ message: opsText.check(z.trim(), z.minLength(1)), by: actor });
export type RejectOrder = z.infer<typeof RejectOrder>;

/**
 * Sent with Update-with-Start: answers once the order is placed (its offer taken and the
 * order recorded), or fails with the refusal (an InquiryFailure, or OrderFailure below).
 */
export const submitOrderUpdate = defineUpdate<OrderView, [SubmitRequest]>('submit');
/** Each ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const deliverSignal = defineSignal<[DeliverOrder]>('deliver');
export const rejectOrderSignal = defineSignal<[RejectOrder]>('reject');
export const deliverOrderUpdate = defineUpdate<OpsAnswer, [DeliverOrder]>('deliverOrder');
export const rejectOrderUpdate = defineUpdate<OpsAnswer, [RejectOrder]>('rejectOrder');
export const orderStatusQuery = defineQuery<OrderView>('status');

/**
 * The order's own refusal type (the API answers it 422 naming invoiceGroupId); the
 * offer's refusals are the inquiry workflow's (InquiryFailure, 409).
 */
export const OrderFailure = {
  invoiceGroupNotFound: 'InvoiceGroupNotFound',
} as const;

/**
 * OrderStatus while the workflow takes its offer, and of a run that was refused (its
 * client got the 409 or 422; nothing was ordered: not an incident).
 */
export const ORDER_TAKING_OFFER = 'TAKING_OFFER';
export const ORDER_REFUSED = 'REFUSED';

/** What the hand-over activity answers: the offer, or why it may not be ordered (an InquiryFailure type and its message). */
export type OfferHandOver = { taken: true; offer: OfferForOrder } | { taken: false; type: string; message: string };
