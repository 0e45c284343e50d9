import type { SalesLeadInput } from '../../workflows/salesLeads/contract';
import { count, detailsMarkdown, listOf, StartDetails, summaryLine } from '../shared/startDetails';

/**
 * What the Temporal UI shows of a sales lead. The business reference is the
 * accessId: the lead's orderId is already in its workflow id, and the access point
 * is what the CO and the SP's own staff both name when they call about a
 * connection. Nothing from customerDetails: that is the end customer's personal data.
 */
export function salesLeadStartDetails(input: SalesLeadInput): StartDetails {
  const { lead } = input;
  const products = lead.products.map((p) => `${p.productId}/${p.offeringId}`);
  return {
    summary: summaryLine(`Sales lead from ${lead.coId} for access point ${lead.accessId}, ${count(products.length, 'product')}`),
    details: detailsMarkdown('Sales lead (seed 000)', [
      ['orderId', input.orderId],
      ['accessId', lead.accessId],
      ['coId', lead.coId],
      ['products (productId/offeringId)', listOf(products)],
      ['orderDateTime', lead.orderDateTime],
      ['requestedDateTime', lead.requestedDateTime ?? 'as soon as possible'],
    ]),
    businessReference: lead.accessId,
  };
}
