import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/**
 * The search attributes every workflow sets so operators can filter in the Web UI.
 * The dev-server launcher, the tests and docker-compose.yml register exactly these.
 */
export const ApiFamily = defineSearchAttributeKey('ApiFamily', SearchAttributeType.KEYWORD);
export const OrderStatus = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CorrelationId = defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD);
/**
 * The reference a partner quotes when they call about an order, so an operator finds it
 * with `BusinessReference = '<ref>'` (docs/operations.md, "In the Temporal Web UI": which field per family).
 * Never personal data: it is stored and indexed in clear.
 */
export const BusinessReference = defineSearchAttributeKey('BusinessReference', SearchAttributeType.KEYWORD);

/**
 * 'true' once an order is in jeopardy (a step overran its plan, MEF), so operators find late
 * orders with `Jeopardy = 'true'`; unset on every other order.
 */
export const Jeopardy = defineSearchAttributeKey('Jeopardy', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [ApiFamily, OrderStatus, TenantId, CorrelationId, BusinessReference, Jeopardy];

export const API_FAMILIES = {
  salesLeads: 'sales-leads',
  esim: 'esim',
  fibre: 'fibre',
  mef: 'mef',
} as const;

/**
 * What every family's API sets when it starts a workflow (DESIGN: search attributes):
 * its family, OrderStatus at the first stage (the workflow keeps it current), tenant,
 * correlation id and the business reference partners quote.
 */
export function startSearchAttributes(
  family: (typeof API_FAMILIES)[keyof typeof API_FAMILIES],
  firstStatus: string,
  ids: { tenantId: string; correlationId: string; businessReference: string },
): SearchAttributePair[] {
  return [
    { key: ApiFamily, value: family },
    { key: OrderStatus, value: firstStatus },
    { key: TenantId, value: ids.tenantId },
    { key: CorrelationId, value: ids.correlationId },
    { key: BusinessReference, value: ids.businessReference },
  ];
}
