import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The search attributes every workflow sets so operators can filter in the Web UI.
 * The dev-server launcher, the tests and docker-compose.yml register exactly these.
 */
export const ApiFamily = defineSearchAttributeKey('ApiFamily', SearchAttributeType.KEYWORD);
export const OrderStatus = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CorrelationId = defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [ApiFamily, OrderStatus, TenantId, CorrelationId];

export const API_FAMILIES = {
  salesLeads: 'sales-leads',
  esim: 'esim',
  fibre: 'fibre',
  mef: 'mef',
} as const;
