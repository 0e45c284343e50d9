import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import * as z from 'zod/mini';
import { actor, OpsAnswer, opsText } from '../shared/opsInput';
import type { InvoiceAccounts, NameValue, Price, PriceRequest } from '../../domain/fibre/pricing';
import { IDEMPOTENCY_KEY_REUSED, type SubmitRequest } from '../shared/sameRequest';

export type { NameValue, Price, PriceItem } from '../../domain/fibre/pricing';

/**
 * The offer-inquiry workflow's public contract (seed 002, section 4): what the API,
 * the order endpoint and ops may send to it. Nothing here may import worker-only code.
 */
export const OFFER_INQUIRY_WORKFLOW_TYPE = 'offerInquiryWorkflow';

export const offerInquiryWorkflowId = (inquiryId: string): string => `offer-inquiry-${inquiryId}`;

/** The seed's inquiry states. */
export type InquiryState = 'WAIT_ASYNC_ANSWER' | 'DONE_SUCCESS' | 'DONE_FAILED' | 'DONE_ASYNC_ANSWER_SUCCESS' | 'DONE_ASYNC_ANSWER_FAILED';

/**
 * Where the workflow is, as the `OrderStatus` search attribute shows ops: the public
 * state, plus ASSESSING (before the first answer, milliseconds) and OFFER_EXPIRED /
 * ORDERED (the offer is no longer open for an order).
 */
export type InquiryStage = 'ASSESSING' | InquiryState | 'ORDERED' | 'OFFER_EXPIRED';

export const SUCCESS_STATES: readonly InquiryState[] = ['DONE_SUCCESS', 'DONE_ASYNC_ANSWER_SUCCESS'];

/** The product as an inquiry (and an order on it) shows it: the seed's `product` with its price. */
export interface InquiryProduct {
  productId: string;
  name: string;
  price: Price | null;
}

/** The request as the API parsed and normalised it (one spelling per field). */
export interface OfferInquiryRequest extends PriceRequest {
  /** Null: the client's first invoice group / standard framework agreement. */
  invoiceGroupId: string | null;
  frameworkAgreementId: string | null;
  supplier: string;
  product: { productId: string; name?: string | undefined };
  referenceId: string;
  comment?: string | undefined;
  parameters: NameValue[];
  subProducts: { productId: string; name: string; parameters: NameValue[] }[];
  asyncAnswerAllowed: boolean;
}

/** The seed's inquiry body: what POST, GET and the `status` query return. */
export interface InquiryView {
  inquiryId: string;
  inquiryNumber: string;
  referenceId: string;
  status: {
    state: InquiryState | 'ASSESSING';
    message: string;
    orderDateTime: string;
    /** Null until done. For async answers, the instant the feed assigned (so GET and the feed agree). */
    doneDateTime: string | null;
  };
  supplier: string;
  offerValidUntilDate: string | null;
  connectionId: string | null;
  deliveryDurationDays: number | null;
  product: InquiryProduct;
  asyncStatusMessage: string;
  /** Once assessed (absent when the inquiry named an unknown group or agreement, and on inquiries made before they were kept). */
  invoiceGroupId?: string;
  frameworkAgreementId?: string;
}

export interface OfferInquiryInput {
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

/** What an order needs from the offer it is placed on. */
export interface OfferForOrder {
  inquiryId: string;
  inquiryNumber: string;
  supplier: string;
  product: InquiryProduct;
  deliveryDurationDays: number;
  connectionId: string | null;
  offerValidUntilDate: string;
  /** The inquiry's invoice information; absent on offers made before it was kept. */
  invoiceGroupId?: string;
  frameworkAgreementId?: string;
}

/** The ops signal `answer` (DESIGN.md): finishes an inquiry waiting for an async answer. */
export interface AsyncAnswer {
  success: boolean;
  message?: string;
  oneTimeFee?: number;
  monthlyFee?: number;
  offerValidUntilDate?: string;
  deliveryDurationDays?: number;
  connectionId?: string;
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
 * Sent by the order's workflow (its takeFibreOffer activity, src/activities/fibre/offerHandOver.ts;
 * before issue 17, by POST /orders before the order's start): the offer's own workflow
 * decides whether it may be ordered (succeeded, still valid, this client, not yet
 * ordered), so that rule lives in one place and is checked against workflow time.
 * Idempotent per orderId: the same order asking again gets the same offer.
 */
export const placeOrderUpdate = defineUpdate<OfferForOrder, [{ orderId: string; tenantId: string }]>('placeOrder');
/** The ops action is a signal (the UI's simple path) and an update that answers (the ops CLI's). */
export const answerSignal = defineSignal<[AnswerInquiry]>('answer');
export const answerInquiryUpdate = defineUpdate<OpsAnswer, [AnswerInquiry]>('answerInquiry');
export const inquiryStatusQuery = defineQuery<InquiryView>('status');

/** ApplicationFailure types the API maps to HTTP statuses (fibreFailures in src/api/fibre/inquiriesAndOrders.ts). */
export const InquiryFailure = {
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
  inquiryNotFound: 'InquiryNotFound',
  notOrderable: 'InquiryNotOrderable',
  offerExpired: 'OfferExpired',
  alreadyOrdered: 'OfferAlreadyOrdered',
} as const;

/** The offer may be ordered until the end of its last valid day (UTC). */
export function offerExpiresAtMs(offerValidUntilDate: string): number {
  return Date.parse(`${offerValidUntilDate}T00:00:00.000Z`) + 24 * 60 * 60 * 1000;
}

/**
 * The assessment activity's answer. `invalid`: the inquiry names something that is
 * not there or not the client's (a point, supplier, product, invoice group,
 * framework agreement): it fails at once, async or not. `unavailable`: well formed
 * but cannot be delivered as asked (no capacity, product not offered there).
 */
export type InquiryAssessment =
  | { outcome: 'invalid'; message: string }
  | { outcome: 'unavailable'; message: string; product: { productId: string; name: string }; accounts?: InvoiceAccounts }
  | { outcome: 'priced'; product: InquiryProduct; deliveryDurationDays: number; connectionId: string | null; accounts?: InvoiceAccounts };
