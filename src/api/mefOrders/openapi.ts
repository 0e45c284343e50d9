import type { OpenApiRegistry } from '../shared/openapi';
import {
  ActionAnswerSchema,
  ActionBodySchema,
  BuyerNoteSchema,
  CodeErrorSchema,
  MergePatchSchema,
  NotificationListSchema,
  NotificationSchema,
  OrderListSchema,
  OrderSchema,
  OrderStatusSchema,
  OrderViewSchema,
  StatusRequestAnswerSchema,
  StatusRequestSchema,
  StatusResponseSchema,
} from './schema';

const tag = 'MEF wholesale orders';
const common = {
  401: { description: 'Missing or invalid token', schema: CodeErrorSchema },
  403: { description: 'The token lacks the BUYER role', schema: CodeErrorSchema },
};
const notFound = { 404: { description: 'No such order for this buyer', schema: CodeErrorSchema } };
const refused = { 409: { description: 'Not allowed in the order\'s current state (the message names it), or a stale version', schema: CodeErrorSchema } };

/** Seed 003's thirteen endpoints, from the zod schemas the router validates with. */
export function registerMefOpenApi(openapi: OpenApiRegistry, base: string): void {
  const op = (o: Omit<Parameters<OpenApiRegistry['add']>[0], 'tag' | 'security'>) => openapi.add({ ...o, tag, security: 'bearer' });
  op({
    method: 'get',
    path: base,
    summary: 'List the buyer\'s orders (filters: buyerId, sellerId, orderStatus, buyerPurchaseOrderNumber, orderType, orderDateFrom, orderDateTo; offset, limit)',
    query: {
      buyerId: 'Exact match',
      sellerId: 'Exact match',
      orderStatus: 'One of the lifecycle states, e.g. IN_PROGRESS',
      buyerPurchaseOrderNumber: 'Exact match',
      orderType: 'e.g. ACCESS_EPL',
      orderDateFrom: 'ISO 8601; orderDate on or after',
      orderDateTo: 'ISO 8601; orderDate on or before',
      offset: 'Items to skip (default 0)',
      limit: 'Page size',
    },
    responses: { 200: { description: 'The seed\'s envelope', schema: OrderListSchema }, 400: { description: 'A bad filter, named', schema: CodeErrorSchema }, ...common },
  });
  op({
    method: 'post',
    path: base,
    summary: 'Create an order; answers after the seller validated it (ACKNOWLEDGED or REJECTED)',
    headers: { 'Idempotency-Key': 'Retries with the same key and body return the same order', 'X-Correlation-ID': 'Echoed; set on the workflow' },
    body: OrderSchema,
    responses: {
      201: { description: 'The stored order with its id and orderStatus', schema: OrderViewSchema },
      400: { description: 'Malformed order, every wrong field named', schema: CodeErrorSchema },
      409: { description: 'Idempotency-Key (or buyer PO number) already used for another order', schema: CodeErrorSchema },
      ...common,
    },
  });
  op({ method: 'get', path: `${base}/{id}`, summary: 'Get an order', responses: { 200: { description: 'The order (ETag: its version)', schema: OrderViewSchema }, ...notFound, ...common } });
  op({
    method: 'put',
    path: `${base}/{id}`,
    summary: 'Replace an order while it is open; If-Match or buyerOrderVersion must be current',
    headers: { 'If-Match': 'The buyerOrderVersion the change is made against' },
    body: OrderSchema,
    responses: { 200: { description: 'The order at its next version', schema: OrderViewSchema }, 400: { description: 'Malformed order', schema: CodeErrorSchema }, ...refused, 422: { description: 'The seller cannot deliver the changed order', schema: CodeErrorSchema }, ...notFound, ...common },
  });
  op({
    method: 'patch',
    path: `${base}/{id}`,
    summary: 'Change an order with a JSON merge patch (RFC 7396) while it is open',
    headers: { 'If-Match': 'The buyerOrderVersion the change is made against' },
    body: MergePatchSchema,
    responses: { 200: { description: 'The order at its next version', schema: OrderViewSchema }, 400: { description: 'The merged order is malformed', schema: CodeErrorSchema }, ...refused, 422: { description: 'The seller cannot deliver the changed order', schema: CodeErrorSchema }, ...notFound, ...common },
  });
  op({
    method: 'get',
    path: `${base}/{id}/status`,
    summary: 'Status of an order; query orderId, buyerId, sellerId, buyerPurchaseOrderNumber (any one identifies it)',
    query: { orderId: 'The order id', buyerId: 'Buyer id', sellerId: 'Seller id', buyerPurchaseOrderNumber: 'The buyer\'s purchase order number' },
    responses: { 200: { description: 'Status and per-item progress', schema: OrderStatusSchema }, ...notFound, ...common },
  });
  op({
    method: 'post',
    path: `${base}/status-request`,
    summary: 'Ask for the order\'s status; the response is delivered to the buyer\'s notification URL and listed on the order',
    body: StatusRequestSchema,
    responses: { 202: { description: 'Accepted', schema: StatusRequestAnswerSchema }, ...notFound, ...common },
  });
  op({
    method: 'post',
    path: `${base}/status-response`,
    summary: 'Record an upstream seller\'s status response for an order (idempotent per responseId)',
    body: StatusResponseSchema,
    responses: { 201: { description: 'Stored as a notification of the order', schema: NotificationSchema }, 409: { description: 'responseId already recorded with another body', schema: CodeErrorSchema }, ...notFound, ...common },
  });
  op({ method: 'get', path: `${base}/{id}/notifications`, summary: 'The order\'s notifications, oldest first', responses: { 200: { description: 'Notifications', schema: NotificationListSchema }, ...notFound, ...common } });
  op({
    method: 'post',
    path: `${base}/{id}/notifications`,
    summary: 'Add a buyer note (also answers a PENDING order\'s request, e.g. site access)',
    body: BuyerNoteSchema,
    responses: { 201: { description: 'The stored note', schema: NotificationSchema }, ...refused, ...notFound, ...common },
  });
  for (const [action, summary] of [
    ['cancel', 'Cancel an order: at once before installation, else the seller assesses it (ASSESSING_CANCELLATION)'],
    ['hold', 'Hold an order (ACKNOWLEDGED or IN_PROGRESS): fulfilment and its timers pause'],
    ['release', 'Release a held order: fulfilment resumes with the remaining time'],
  ] as const) {
    op({
      method: 'post',
      path: `${base}/{id}/${action}`,
      summary,
      body: ActionBodySchema,
      responses: { 200: { description: 'The order\'s new state', schema: ActionAnswerSchema }, ...refused, ...notFound, ...common },
    });
  }
}
