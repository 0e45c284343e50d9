import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { mergePatch } from '../../domain/mefOrders/lifecycle';
import { SELLER_FIELDS } from '../../domain/mefOrders/mefOrder';
import {
  addBuyerNoteUpdate,
  cancelOrderUpdate,
  holdOrderUpdate,
  MefOrderDocument,
  recordStatusResponseUpdate,
  releaseOrderUpdate,
  requestStatusUpdate,
} from '../../workflows/mefOrders/contract';
import { actingFor, type Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { ResponseSpec, RouteTable } from '../shared/routes';
import { problemsOf } from '../shared/validate';
import { mefOrderReads, orderStatusOf, viewOf } from './readModel';
import {
  ActionAnswerSchema,
  ActionBodySchema,
  BuyerNoteSchema,
  IfMatchHeader,
  ListQuerySchema,
  MefOrderBody,
  MergePatchSchema,
  NotificationListSchema,
  NotificationSchema,
  OrderListSchema,
  OrderSchema,
  OrderStatusSchema,
  OrderViewSchema,
  OrderWithHistorySchema,
  StateChangeSchema,
  StatusQuerySchema,
  StatusRequestAnswerSchema,
  StatusRequestSchema,
  StatusResponseSchema,
} from './schema';
import { BaseVersion, replaceOrder, submitOrder, updateOrder } from './workflowCalls';
import { CANCELLATIONS_PATH, publicBaseUrl } from './links';
import { actor } from './actor';

export const MEF_ORDERS_PATH = '/orders';

export interface MefOrderDeps {
  config: Config;
  client: Client;
  orm: Orm;
  taskQueue: string;
}

const tag = 'MEF wholesale orders';
const access = { roles: ['BUYER'] } as const;
const base = MEF_ORDERS_PATH;
const orderId = z.object({ id: z.string().describe('The order id (ORD-…)') });

const notFound: Record<number, ResponseSpec> = { 404: { description: 'NOT_FOUND: no such order for this buyer (another buyer\'s order is answered alike)' } };
const refused: Record<number, ResponseSpec> = {
  409: { description: 'INVALID_STATE: not possible in the order\'s current state, or the order is closed (the message names the state)' },
};
const changeRefused: Record<number, ResponseSpec> = {
  409: {
    description:
      'INVALID_STATE: the order is no longer open (the message names its state); VERSION_CONFLICT: the body\'s buyerOrderVersion is not the current one; ORDER_ITEMS_FROZEN: items added or removed after fulfilment started',
  },
  412: { description: 'PRECONDITION_FAILED: If-Match names a version that is not the order\'s current one (RFC 9110); GET the order for its ETag' },
};

/** The seller's fields a body may carry (the seed's example does); the buyer cannot set them. */
function buyerPart(body: MefOrderBody | Record<string, unknown>): MefOrderDocument {
  const order: Record<string, unknown> = { ...body };
  for (const field of SELLER_FIELDS) delete order[field];
  const items = (order.orderItems as Record<string, unknown>[]).map(({ state: _state, ...item }) => item);
  return { ...order, orderItems: items } as unknown as MefOrderDocument;
}

/**
 * Seed 003: orderDate is when the order was placed. A buyer who leaves it out gets the
 * time we received it; a PUT or a patch that drops it keeps the order's own.
 */
function withOrderDate(order: MefOrderDocument, orderDate: string): MefOrderDocument {
  return order.orderDate ? order : { ...order, orderDate };
}

/** If-Match wins over the body's buyerOrderVersion; with neither, the change is made against the current version. */
function baseVersionOf(ifMatch: number | undefined, bodyVersion: string | undefined, current: number): BaseVersion {
  if (ifMatch !== undefined) return { version: ifMatch, from: 'If-Match' };
  if (bodyVersion !== undefined) return { version: Number(bodyVersion), from: 'buyerOrderVersion' };
  return { version: current, from: 'current' };
}

/**
 * RFC 5789: a well-formed merge patch whose result is not a valid order is an
 * unprocessable patch (422), each field of the merged order named, not a bad request.
 */
function patchedOrder(current: MefOrderDocument, changes: Record<string, unknown>): MefOrderDocument {
  const merged = OrderSchema.safeParse(mergePatch(current, changes));
  if (merged.success) return buyerPart(merged.data);
  const errors = problemsOf(merged.error);
  const fields = errors.map((p) => `${p.field}: ${p.message}`).join('; ');
  throw new HttpError(422, 'INVALID_PATCHED_ORDER', `The merge patch makes an order that is not valid: ${fields}`, { errors });
}


/** Seed 003's thirteen endpoints: the buyer's orders, each one the workflow `mef-order-<id>`. */
export function declareMefOrderRoutes(routes: RouteTable, deps: MefOrderDeps): void {
  const { client } = deps;
  const reads = mefOrderReads(deps.orm);
  routes.name({
    MefOrder: OrderSchema,
    MefOrderView: OrderViewSchema,
    MefOrderWithHistory: OrderWithHistorySchema,
    MefStateChange: StateChangeSchema,
    MefOrderList: OrderListSchema,
    MefMergePatch: MergePatchSchema,
    MefOrderStatus: OrderStatusSchema,
    MefNotification: NotificationSchema,
    MefNotificationList: NotificationListSchema,
    MefAction: ActionBodySchema,
    MefActionAnswer: ActionAnswerSchema,
  });

  routes.declare({
    operationId: 'listOrders',
    method: 'get',
    path: base,
    tag,
    summary: 'List the buyer\'s orders, newest orderDate first, filtered and paged',
    access,
    query: ListQuerySchema,
    responses: {
      200: { description: 'The seed\'s list envelope', schema: OrderListSchema },
      400: { description: 'INVALID_REQUEST_PARAMS: an unknown or malformed query parameter, each named' },
    },
    handle: async ({ query, principal }, res, req) => {
      res.json({ link: { href: `${publicBaseUrl(deps.config, req)}${req.originalUrl}` }, ...(await reads.orders(principal.tenantId, query)) });
    },
  });

  routes.declare({
    operationId: 'createOrder',
    method: 'post',
    path: base,
    tag,
    summary: 'Create an order; answers once the seller validated it (ACKNOWLEDGED or REJECTED with the reason)',
    access,
    headers: z.object({
      'Idempotency-Key': IdempotencyKeyHeader.describe(
        'Names the order: a retry with the same key and body answers the same order; the same key with another body is 409. Without it, the buyerId and buyerPurchaseOrderNumber are the key.',
      ),
    }),
    body: OrderSchema,
    responses: {
      201: { description: 'The stored order with its id, orderStatus and buyerOrderVersion', schema: OrderViewSchema, headers: ['Location', 'ETag'] },
      400: { description: 'INVALID_REQUEST_PARAMS: a malformed order, every wrong field named; nothing is started' },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key (or, without one, the buyer\'s purchase order number) was used for another order' },
      503: {
        description:
          'Temporal or the database is unreachable, or the seller did not validate the order in time: send the same request again after Retry-After seconds (it names the same order, never a second one)',
      },
    },
    handle: async ({ headers, body, principal, correlationId }, res, req) => {
      const order = buyerPart(body);
      // The hash is of what the buyer sent: a retry a second later is the same request.
      const hash = requestHash(order);
      const receivedAt = new Date().toISOString();
      // Without an Idempotency-Key the buyer's purchase order number is the key: one
      // PO from one buyer is one order, and resending it never creates a second.
      const key = headers['Idempotency-Key'] ?? `po:${order.buyerId}:${order.buyerPurchaseOrderNumber}`;
      const id = `ORD-${deriveId(principal.tenantId, 'mef-order', key)}`;
      const input = { orderId: id, tenantId: principal.tenantId, correlationId, requestHash: hash, receivedAt, order: withOrderDate(order, receivedAt), ...actingFor(principal) };
      const started = await submitOrder(deps, input, publicBaseUrl(deps.config, req));
      // Closed: a retry with the same body reads what the order became.
      const view = started.kind === 'answered' ? started.answer : viewOf(await reads.orderOf(principal.tenantId, id));
      res.status(201).location(`${MEF_ORDERS_PATH}/${id}`).setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
    },
  });

  routes.declare({
    operationId: 'getOrder',
    method: 'get',
    path: `${base}/{id}`,
    tag,
    summary: 'Get an order',
    access,
    params: orderId,
    responses: {
      200: { description: 'The order, each item with its state, and the order\'s state changes; ETag is its buyerOrderVersion', schema: OrderWithHistorySchema, headers: ['ETag'] },
      ...notFound,
    },
    handle: async ({ params, principal }, res) => {
      const row = await reads.orderOf(principal.tenantId, params.id);
      res.setHeader('ETag', `"${row.buyerOrderVersion}"`).json({ ...viewOf(row), stateChange: await reads.stateChanges(row.id) });
    },
  });

  routes.declare({
    operationId: 'replaceOrder',
    method: 'put',
    path: `${base}/{id}`,
    tag,
    summary: 'Replace an order while it is open, against the version in If-Match or the body\'s buyerOrderVersion',
    access,
    params: orderId,
    headers: z.object({ 'If-Match': IfMatchHeader }),
    body: OrderSchema,
    responses: {
      200: { description: 'The order at its next buyerOrderVersion (also its ETag)', schema: OrderViewSchema, headers: ['ETag'] },
      400: { description: 'INVALID_REQUEST_PARAMS: a malformed order or If-Match, every wrong field named' },
      ...notFound,
      ...changeRefused,
      422: { description: 'INVALID_ORDER: the seller cannot deliver the changed order (the message says why)' },
    },
    handle: async ({ params, headers, body, principal }, res) => {
      const row = await reads.orderOf(principal.tenantId, params.id);
      const against = baseVersionOf(headers['If-Match'], body.buyerOrderVersion, row.buyerOrderVersion);
      const view = await replaceOrder(client, row, { kind: 'PUT', order: withOrderDate(buyerPart(body), row.orderDate.toISOString()), base: against });
      res.setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
    },
  });

  routes.declare({
    operationId: 'patchOrder',
    method: 'patch',
    path: `${base}/{id}`,
    tag,
    summary: 'Change an order with a JSON merge patch (RFC 7396) while it is open',
    description:
      'The patch names only what changes (null removes a field). The order it makes is validated like a PUT body: a patch that is itself wrong (not an object, a seller field, a malformed version) is 400; a well-formed patch whose merged order is not valid is 422 INVALID_PATCHED_ORDER (RFC 5789), each field of the merged order named.',
    access,
    params: orderId,
    headers: z.object({ 'If-Match': IfMatchHeader }),
    body: MergePatchSchema,
    bodyTypes: ['application/merge-patch+json', 'application/json'],
    responses: {
      200: { description: 'The order at its next buyerOrderVersion (also its ETag)', schema: OrderViewSchema, headers: ['ETag'] },
      400: {
        description:
          'INVALID_REQUEST_PARAMS: the patch itself is wrong (not a JSON object; a seller field: id, link or orderStatus; a malformed buyerOrderVersion) or If-Match is malformed, each named',
      },
      ...notFound,
      ...changeRefused,
      422: {
        description:
          'INVALID_PATCHED_ORDER: the merged order is not a valid order, every wrong field named in errors; INVALID_ORDER: the seller cannot deliver the changed order',
      },
    },
    handle: async ({ params, headers, body, principal }, res) => {
      const row = await reads.orderOf(principal.tenantId, params.id);
      const { buyerOrderVersion, ...changes } = body;
      const against = baseVersionOf(headers['If-Match'], buyerOrderVersion, row.buyerOrderVersion);
      const order = withOrderDate(patchedOrder(buyerPart(viewOf(row)), changes), row.orderDate.toISOString());
      const view = await replaceOrder(client, row, { kind: 'PATCH', order, base: against });
      res.setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
    },
  });

  routes.declare({
    operationId: 'getOrderStatus',
    method: 'get',
    path: `${base}/{id}/status`,
    tag,
    summary: 'Status of an order and of each item: by its id, or (id `-`) by any one of the seed\'s query parameters',
    access,
    params: z.object({ id: z.string().describe('The order id, or - to name the order by the query parameters alone') }),
    query: StatusQuerySchema,
    responses: {
      200: { description: 'Status and per-item progress', schema: OrderStatusSchema },
      ...notFound,
      409: { description: 'AMBIGUOUS_ORDER: the query parameters match more than one order' },
    },
    handle: async ({ params, query, principal }, res) => {
      res.json(orderStatusOf(await reads.orderForStatus(principal.tenantId, params.id, query)));
    },
  });

  routes.declare({
    operationId: 'requestOrderStatus',
    method: 'post',
    path: `${base}/status-request`,
    tag,
    summary: 'Ask for an order\'s status; the response goes to the buyer\'s notification URL and is listed on the order',
    access,
    headers: z.object({
      'Idempotency-Key': IdempotencyKeyHeader.describe('Names the status request: the same key is the same requestId, so a retry asks once'),
    }),
    body: StatusRequestSchema,
    responses: {
      202: { description: 'Accepted; the status response follows as a notification', schema: StatusRequestAnswerSchema },
      400: { description: 'INVALID_REQUEST_PARAMS: no identifier of the order, or a malformed one' },
      ...notFound,
      409: { description: 'AMBIGUOUS_ORDER: the identifiers match more than one order; INVALID_STATE: the order is closed' },
    },
    handle: async ({ headers, body, principal }, res) => {
      const row = await reads.orderNamedBy(principal.tenantId, body);
      const key = headers['Idempotency-Key'];
      const requestId = key ? `SR-${deriveId(principal.tenantId, 'mef-status-request', key)}` : `SR-${randomUUID()}`;
      await updateOrder(client, row, requestStatusUpdate, { requestId });
      res.status(202).json({ requestId, orderId: row.id, state: 'ACCEPTED' });
    },
  });

  routes.declare({
    operationId: 'recordStatusResponse',
    method: 'post',
    path: `${base}/status-response`,
    tag,
    summary: 'Record an upstream seller\'s status response for an order (idempotent per responseId)',
    access,
    body: StatusResponseSchema,
    responses: {
      201: { description: 'Stored as a notification of the order (a retry answers the same one)', schema: NotificationSchema },
      ...notFound,
      409: { description: 'STATUS_RESPONSE_CONFLICT: the responseId was recorded with another body; INVALID_STATE: the order is closed' },
    },
    handle: async ({ body, principal }, res) => {
      const row = await reads.orderOf(principal.tenantId, body.orderId);
      const { notificationId } = await updateOrder(client, row, recordStatusResponseUpdate, {
        responseId: body.responseId,
        requestHash: requestHash(body),
        orderStatus: body.orderStatus,
        sellerId: body.sellerId,
        statusMessage: body.statusMessage,
        statusDate: body.statusDate,
      });
      res.status(201).json(await reads.notification(notificationId));
    },
  });

  routes.declare({
    operationId: 'listOrderNotifications',
    method: 'get',
    path: `${base}/{id}/notifications`,
    tag,
    summary: 'The order\'s notifications, oldest first, paged',
    access,
    params: orderId,
    query: ListQuerySchema.pick({ offset: true, limit: true }),
    responses: {
      200: { description: 'The seed\'s list envelope of notifications', schema: NotificationListSchema },
      400: { description: 'INVALID_REQUEST_PARAMS: an unknown or malformed query parameter, each named' },
      ...notFound,
    },
    handle: async ({ params, query, principal }, res, req) => {
      const row = await reads.orderOf(principal.tenantId, params.id);
      res.json({ link: { href: `${publicBaseUrl(deps.config, req)}${req.originalUrl}` }, ...(await reads.notifications(row.id, query)) });
    },
  });

  routes.declare({
    operationId: 'addBuyerNote',
    method: 'post',
    path: `${base}/{id}/notifications`,
    tag,
    summary: 'Add a buyer note (it also answers a PENDING order\'s request, e.g. for site access)',
    access,
    params: orderId,
    body: BuyerNoteSchema,
    responses: { 201: { description: 'The stored note', schema: NotificationSchema }, ...notFound, ...refused },
    handle: async ({ params, body, principal }, res) => {
      const row = await reads.orderOf(principal.tenantId, params.id);
      const { notificationId } = await updateOrder(client, row, addBuyerNoteUpdate, { note: body.note });
      res.status(201).json(await reads.notification(notificationId));
    },
  });

  const actions = [
    { operationId: 'cancelOrder', action: 'cancel', update: cancelOrderUpdate, summary: 'Cancel an order: at once before installation, else the seller assesses it (ASSESSING_CANCELLATION)' },
    { operationId: 'holdOrder', action: 'hold', update: holdOrderUpdate, summary: 'Hold an order (ACKNOWLEDGED or IN_PROGRESS): fulfilment and its timers pause' },
    { operationId: 'releaseOrder', action: 'release', update: releaseOrderUpdate, summary: 'Release a held order: fulfilment resumes with the remaining time' },
  ] as const;
  for (const { operationId, action, update, summary } of actions) {
    routes.declare({
      operationId,
      method: 'post',
      path: `${base}/{id}/${action}`,
      tag,
      summary,
      access,
      params: orderId,
      body: ActionBodySchema,
      bodyOptional: true,
      responses: {
        200: { description: `The state the action led to${action === 'cancel' ? '; Location names the cancellation it created (GET /cancelOrder/{id})' : ''}`, schema: ActionAnswerSchema, ...(action === 'cancel' ? { headers: ['Location'] as const } : {}) },
        ...notFound,
        ...refused,
      },
      handle: async ({ params, body, principal }, res) => {
        const row = await reads.orderOf(principal.tenantId, params.id);
        if (action !== 'cancel') return void res.json(await updateOrder(client, row, update, { reason: body.reason, by: actor(principal) }));
        // The same cancellation resource POST /cancelOrder creates; Location names it.
        const cancellationId = `CAN-${randomUUID()}`;
        const answer = await updateOrder(client, row, cancelOrderUpdate, { reason: body.reason, by: actor(principal), cancellationId });
        res.location(`${CANCELLATIONS_PATH}/${cancellationId}`).json(answer);
      },
    });
  }
}
