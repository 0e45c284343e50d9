import type { EsimOrderInput } from '../../workflows/esimOrders/contract';
import { count, detailsMarkdown, listOf, StartDetails, summaryLine } from '../shared/startDetails';

/**
 * What the Temporal UI shows of an eSIM order. The business reference is the
 * externalId, the one id a reseller gets back. The customer, the device and the
 * ICCIDs themselves stay out (personal data, and an ICCID names a subscriber's SIM):
 * the details count the ICCIDs instead.
 */
export function esimOrderStartDetails(input: EsimOrderInput): StartDetails {
  const { order } = input;
  const productIds = [...new Set(order.subscriptions.map((s) => s.id))];
  const iccids = new Set([...(order.esim?.iccid ? [order.esim.iccid] : []), ...order.subscriptions.flatMap((s) => s.iccid ?? [])]);
  return {
    summary: summaryLine(`${order.operationType} in ${order.countryCode}: ${count(productIds.length, 'product')}, ${count(iccids.size, 'ICCID')}`),
    details: detailsMarkdown('eSIM order (seed 001)', [
      ['externalId', input.externalId],
      ['operationType', order.operationType],
      ['product ids', listOf(productIds)],
      ['ICCIDs', iccids.size],
      ['countryCode', order.countryCode],
    ]),
    businessReference: input.externalId,
  };
}
