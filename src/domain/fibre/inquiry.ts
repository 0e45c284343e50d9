import type { InvoiceAccounts, NameValue, Price, PriceRequest } from './pricing';

/**
 * What an offer inquiry is (seed 002 §4): the request, its states, the offer an order
 * takes, and the supplier's answers. The workflow's messages are in
 * src/workflows/fibre/inquiryContract.ts.
 */

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

/** The offer may be ordered until the end of its last valid day (UTC). */
/**
 * The offer an order takes, as an inquiry's view states it: what the inquiry's workflow
 * hands over, and what the API shows of an order before its workflow took it.
 */
export function offerOf(inquiryId: string, view: InquiryView & { offerValidUntilDate: string }): OfferForOrder {
  return {
    inquiryId,
    inquiryNumber: view.inquiryNumber,
    supplier: view.supplier,
    product: view.product,
    deliveryDurationDays: view.deliveryDurationDays ?? 0,
    connectionId: view.connectionId,
    offerValidUntilDate: view.offerValidUntilDate,
    ...(view.invoiceGroupId ? { invoiceGroupId: view.invoiceGroupId, frameworkAgreementId: view.frameworkAgreementId } : {}),
  };
}

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
