import type { Orm } from '../../db/orm';
import { OfferPricing, priceOffer } from '../../db/fibre/referenceData';
import type { InquiryAssessment, OfferInquiryRequest } from '../../workflows/fibre/inquiryContract';

/** Pricing failures that mean the inquiry names something that is not there (or not the client's). */
const INVALID_REASONS = new Set<Extract<OfferPricing, { ok: false }>['reason']>([
  'UNKNOWN_POINT',
  'POINTS_MISMATCH',
  'UNKNOWN_PRODUCT',
  'UNKNOWN_INVOICE_GROUP',
  'UNKNOWN_FRAMEWORK_AGREEMENT',
]);

/**
 * Seed 002 §4 with the price model of §3 (domain/fibre): prices the named supplier's
 * product for the client. An async inquiry is priced as an ESTIMATED price that the
 * supplier's answer turns into an OFFER; a sync one is the offer at once.
 */
export async function assessOfferInquiry(orm: Orm, tenantId: string, inquiry: OfferInquiryRequest): Promise<InquiryAssessment> {
  const wantsAsync = !!inquiry.comment;
  const pricing = await priceOffer(orm, {
    tenantId,
    invoiceGroupId: inquiry.invoiceGroupId,
    frameworkAgreementId: inquiry.frameworkAgreementId,
    supplier: inquiry.supplier,
    productId: inquiry.product.productId,
    from: inquiry.from,
    to: inquiry.to,
    redundancy: inquiry.redundancy,
    customerType: inquiry.customerType,
    serviceLevel: inquiry.serviceLevel,
    contractPeriodMonths: inquiry.contractPeriodMonths,
    noOfFiberPairs: inquiry.noOfFiberPairs,
    noOfSingleFibers: inquiry.noOfSingleFibers,
    priceStatus: wantsAsync ? 'ESTIMATED' : 'OFFER',
  });
  if (!pricing.ok) {
    return INVALID_REASONS.has(pricing.reason)
      ? { outcome: 'invalid', message: pricing.message }
      : {
          outcome: 'unavailable',
          message: pricing.message,
          product: { productId: inquiry.product.productId, name: inquiry.product.name ?? '' },
          ...(pricing.accounts ? { accounts: pricing.accounts } : {}),
        };
  }
  return {
    outcome: 'priced',
    accounts: pricing.accounts,
    product: pricing.product,
    deliveryDurationDays: pricing.deliveryDurationDays,
    connectionId: null,
  };
}
