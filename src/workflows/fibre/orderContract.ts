import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import type { OfferForOrder, InquiryProduct } from './inquiryContract';
import type { SubmitRequest } from '../shared/sameRequest';
import type { FibreOrderRequest, OrderView } from '../../domain/fibre/order';
export * from '../../domain/fibre/order';

/**
 * The fibre-order workflow's public contract (seed 002, section 5): what the API and
 * ops may send to it. Nothing here may import worker-only code.
 */
export const FIBRE_ORDER_WORKFLOW_TYPE = 'fiberOrderWorkflow';

export const fibreOrderWorkflowId = (orderId: string): string => `fiber-order-${orderId}`;

export interface FibreOrderInput {
  orderId: string;
  tenantId: string;
  correlationId: string;
  requestHash: string;
  order: FibreOrderRequest;
  /** The offer as its inquiry workflow handed it over when the order was placed. */
  offer: OfferForOrder;
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

export const submitOrderUpdate = defineUpdate<OrderView, [SubmitRequest]>('submit');
/** Each ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const deliverSignal = defineSignal<[DeliverOrder]>('deliver');
export const rejectOrderSignal = defineSignal<[RejectOrder]>('reject');
export const deliverOrderUpdate = defineUpdate<OpsAnswer, [DeliverOrder]>('deliverOrder');
export const rejectOrderUpdate = defineUpdate<OpsAnswer, [RejectOrder]>('rejectOrder');
export const orderStatusQuery = defineQuery<OrderView>('status');
