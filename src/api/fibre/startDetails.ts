import type { FibreOrderInput } from '../../workflows/fibre/orderContract';
import type { OfferInquiryInput } from '../../workflows/fibre/inquiryContract';
import { detailsMarkdown, StartDetails, summaryLine } from '../shared/startDetails';

/**
 * What the Temporal UI shows of offer inquiries and fibre orders. The business
 * reference of both is the inquiryNumber (SP-nnnnnn, seed 002's "incident number in
 * CRM"), the number a client quotes: one search finds the inquiry and the order
 * placed on it. The inquiry's workflow allocates its number (the API writes nothing)
 * and then sets `BusinessReference` to it; until that moment, milliseconds after the
 * start, the attribute holds the inquiryId. The order's responsiblePerson and
 * endCustomer stay out: they are people.
 */
export function offerInquiryStartDetails(input: OfferInquiryInput): StartDetails {
  const { inquiry } = input;
  const product = inquiry.product.name ? `${inquiry.product.productId} (${inquiry.product.name})` : inquiry.product.productId;
  const answer = inquiry.comment ? 'async (the inquiry carries a comment)' : 'at once';
  return {
    summary: summaryLine(
      `Offer inquiry${inquiry.referenceId ? ` ref ${inquiry.referenceId}` : ''}: ${inquiry.supplier} ${inquiry.product.name ?? inquiry.product.productId}${inquiry.comment ? ', async' : ''}`,
    ),
    details: detailsMarkdown('Offer inquiry (seed 002 §4)', [
      ['inquiryNumber', 'allocated by the workflow: the BusinessReference search attribute'],
      ['inquiryId', input.inquiryId],
      ['referenceId', inquiry.referenceId],
      ['supplier', inquiry.supplier],
      ['product', product],
      ['answer', answer],
    ]),
    businessReference: input.inquiryId,
  };
}

/**
 * The order's offer is taken by its workflow after the start, so the API shows
 * it as the inquiry's read model has it (`offerShown` in orders.ts); without one (an
 * unknown or another client's inquiry, one that did not succeed) the order is named by
 * its inquiryId, and its BusinessReference is the inquiryId.
 */
export function fibreOrderStartDetails(input: FibreOrderInput): StartDetails {
  const { offer } = input;
  if (!offer) {
    const { inquiryId } = input.order;
    return {
      summary: summaryLine(`Fibre order on inquiry ${inquiryId}`),
      details: detailsMarkdown('Fibre order (seed 002 §5)', [
        ['orderId', input.orderId],
        ['inquiryId', inquiryId],
      ]),
      businessReference: inquiryId,
    };
  }
  return {
    summary: summaryLine(
      `Fibre order on inquiry ${offer.inquiryNumber}: ${offer.supplier} ${offer.product.name || offer.product.productId}, delivery in ${offer.deliveryDurationDays} days`,
    ),
    details: detailsMarkdown('Fibre order (seed 002 §5)', [
      ['orderId', input.orderId],
      ['inquiryNumber', offer.inquiryNumber],
      ['inquiryId', offer.inquiryId],
      ['supplier', offer.supplier],
      ['product', offer.product.name ? `${offer.product.productId} (${offer.product.name})` : offer.product.productId],
      ['deliveryDurationDays', offer.deliveryDurationDays],
      ['connectionId', offer.connectionId],
    ]),
    businessReference: offer.inquiryNumber,
  };
}
