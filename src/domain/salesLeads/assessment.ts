import type { SalesLead } from './salesLead';

export type AssessmentDecision = 'ACCEPT' | 'REVIEW' | 'REJECT';

export interface Assessment {
  decision: AssessmentDecision;
  /** Sentences a CO can show the end customer. */
  reasons: string[];
}

export interface ReferenceData {
  accessPoint(id: string): { status: 'CONNECTABLE' | 'PLANNED' } | undefined;
  offers(productId: string, offeringId: string): boolean;
}

/**
 * Seed 000's own 400 example, `{ "cause": "Unknown service: 'INTERNET'" }`: a lead for a
 * product (service) the catalogue does not have is refused as invalid data, not
 * rejected as undeliverable. The API decides it from the catalogue before anything
 * starts; the assessment below still rejects one that slipped past (the catalogue
 * changed in between), and an offering the catalogue lacks for a known product.
 */
export const unknownServiceCause = (productId: string): string => `Unknown service: '${productId}'`;

/** Each product of the lead whose productId the catalogue does not have, with its index in `products`. */
export function unknownServices(lead: Pick<SalesLead, 'products'>, knownProductIds: ReadonlySet<string>): { index: number; productId: string }[] {
  return lead.products.flatMap((p, index) => (knownProductIds.has(p.productId) ? [] : [{ index, productId: p.productId }]));
}

/**
 * The business assessment of a well-formed lead against the network registry and
 * the catalogue. Form (personnummer, e-mail, phone, dates) is checked at the API
 * boundary and answered with 400; what is here is answered with REJECT or review.
 */
export function assessLead(lead: SalesLead, ref: ReferenceData): Assessment {
  const reasons: string[] = [];
  const point = ref.accessPoint(lead.accessId);
  if (!point) reasons.push(`The address (access point ${lead.accessId}) is not in our network.`);
  else if (point.status !== 'CONNECTABLE') reasons.push(`The address (access point ${lead.accessId}) cannot be connected yet.`);
  for (const p of lead.products) {
    if (!ref.offers(p.productId, p.offeringId)) {
      reasons.push(`Product ${p.productId} with offering ${p.offeringId} is not offered.`);
    }
  }
  if (reasons.length > 0) return { decision: 'REJECT', reasons };
  // Seed 000 lets a CO send leads for customers it has not identified; the SP
  // must then check the customer by hand before creating an order.
  if (!lead.customerDetails.identifiedCustomer) {
    return { decision: 'REVIEW', reasons: ['The customer is not identified by the CO.'] };
  }
  return { decision: 'ACCEPT', reasons: [] };
}
