import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import type { InvoiceAccounts, NameValue, Price, PriceRequest } from '../../domain/fibre/pricing';
import { type Accountable, IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';

export type { NameValue, Price, PriceItem } from '../../domain/fibre/pricing';
import type { OfferInquiryRequest, InquiryView, OfferForOrder } from '../../domain/fibre/inquiry';
export * from '../../domain/fibre/inquiry';

/**
 * The offer-inquiry workflow's public contract (seed 002, section 4): what the API,
 * the order endpoint and ops may send to it. Nothing here may import worker-only code.
 */
export const OFFER_INQUIRY_WORKFLOW_TYPE = 'offerInquiryWorkflow';

export const offerInquiryWorkflowId = (inquiryId: string): string => `offer-inquiry-${inquiryId}`;

export interface OfferInquiryInput extends Accountable {
  inquiryId: string;
  tenantId: string;
  correlationId: string;
  /** Hash of the canonical request body: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  inquiry: OfferInquiryRequest;
}

export interface OfferInquirySettings {
  /** How long the simulated supplier takes to answer an async inquiry unless ops answer first. */
  asyncAnswerDelay: string;
  /** Days an answered offer stays open for an order. */
  offerValidityDays: number;
}

/** Ops: the supplier's answer to an async inquiry, as an operator enters it (DESIGN.md). */
export const AnswerInquiry = z.strictObject({
  success: z.boolean(),
  message: z.optional(opsText),
  oneTimeFee: z.optional(z.number().check(z.gte(0))),
  monthlyFee: z.optional(z.number().check(z.gte(0))),
  offerValidUntilDate: z.optional(z.iso.date()),
  deliveryDurationDays: z.optional(z.int().check(z.gte(0), z.lte(3650))),
  connectionId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  by: actor,
});
export type AnswerInquiry = z.infer<typeof AnswerInquiry>;

export const PlaceOrder = z.strictObject({ orderId: z.string(), tenantId: z.string() });

/** Sent with Update-with-Start; answers with the inquiry as it stands after the first answer. */
export const submitInquiryUpdate = defineUpdate<InquiryView, [SubmitRequest]>('submit');
/**
 * Sent by the order's workflow (its takeFibreOffer activity, src/activities/fibre/offerHandOver.ts):
 * the offer's own workflow
 * decides whether it may be ordered (succeeded, still valid, this client, not yet
 * ordered), so that rule lives in one place and is checked against workflow time.
 * Idempotent per orderId: the same order asking again gets the same offer.
 */
export const placeOrderUpdate = defineUpdate<OfferForOrder, [{ orderId: string; tenantId: string }]>('placeOrder');
/** The ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const answerSignal = defineSignal<[AnswerInquiry]>('answer');
export const answerInquiryUpdate = defineUpdate<OpsAnswer, [AnswerInquiry]>('answerInquiry');
export const inquiryStatusQuery = defineQuery<InquiryView>('status');

/** ApplicationFailure types the API maps to HTTP statuses (src/api/fibre/failures.ts). */
export const InquiryFailure = {
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
  inquiryNotFound: 'InquiryNotFound',
  notOrderable: 'InquiryNotOrderable',
  offerExpired: 'OfferExpired',
  alreadyOrdered: 'OfferAlreadyOrdered',
} as const;
