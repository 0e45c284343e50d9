import { z } from 'zod';
import { FibreOrderRecordSchema, PublicIdSchema } from '../../db/entities';
import { inquiryViewOf } from '../../db/fibre/inquiryViews';
import type { Orm } from '../../db/orm';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import { InquiryState, OfferForOrder, offerOf, SUCCESS_STATES } from '../../domain/fibre/inquiry';
import {
  FIBRE_ORDER_WORKFLOW_TYPE,
  FibreOrderInput,
  fibreOrderWorkflowId,
  ORDER_TAKING_OFFER,
  OrderView,
  submitOrderUpdate,
} from '../../workflows/fibre/orderContract';
import type { fiberOrderWorkflow } from '../../workflows/fibre/orderWorkflow';
import { HttpError, unavailable } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { startOrJoin, Started } from '../shared/updateWithStart';
import type { FibreOrderingDeps } from './inquiries';
import { httpErrorOf } from './failures';
import { serveFeed } from './feeds';
import { setResourceHeaders } from './resourceHeaders';
import { FeedQuerySchema } from './inquiriesSchema';
import { FibreOrderSchema, OrderFeedItemSchema, OrderViewSchema } from './ordersSchema';
import { FIBRE_PATH, orderLocation } from './paths';
import { fibreOrderStartDetails } from './startDetails';
import { actingFor } from '../shared/auth';

/** A POST answered before the workflow did: durably accepted, read its Location. */
const OrderAcceptedSchema = z.object({ orderId: z.string(), message: z.string() });

const tag = 'Fibre orders';
const access = { roles: ['CLIENT'] } as const;

/** Seed 002 §5: orders on answered offers, delivered by `fiber-order-<orderId>`, and their `since` feed. */
export function declareOrderRoutes(routes: RouteTable, deps: FibreOrderingDeps): void {
  const { orm } = deps;
  routes.name({ FibreOrder: FibreOrderSchema, FibreOrderView: OrderViewSchema });

  routes.declare({
    operationId: 'placeOrder',
    method: 'post',
    path: `${FIBRE_PATH}/orders`,
    tag,
    summary: 'Order an answered offer (an inquiry of this client that succeeded and is still valid)',
    access,
    headers: z.object({ 'Idempotency-Key': IdempotencyKeyHeader }),
    body: FibreOrderSchema,
    responses: {
      201: {
        description: 'The order, WAIT_DELIVERY until the supplier delivers or rejects it; Last-Modified is its last change',
        schema: OrderViewSchema,
        headers: ['Location', 'Last-Modified'],
      },
      202: { description: 'Accepted but not answered in time; GET Location for its state', schema: OrderAcceptedSchema, headers: ['Location'] },
      400: { description: 'Malformed order, every wrong field named' },
      409: {
        description:
          'The inquiry is not this client\'s, did not succeed, is still waiting, has expired or is already ordered; or the Idempotency-Key was reused with another body',
      },
      422: { description: 'invoiceGroupId is not one of this client\'s invoice groups (the offer stays open)' },
    },
    handle: async ({ body: order, headers, principal, correlationId }, res) => {
      const hash = requestHash(order);
      // Without an Idempotency-Key the body is the key; either way one offer takes one order (its inquiry workflow says so).
      const orderId = deriveId(principal.tenantId, 'fiber-order', headers['Idempotency-Key'] ?? `body:${hash}`);
      const started = await submitOrder(deps, { orderId, tenantId: principal.tenantId, correlationId, requestHash: hash, order, ...actingFor(principal) });
      if (started.kind === 'pending') {
        res.status(202).location(orderLocation(orderId)).json({ orderId, message: 'The order is received; GET its Location for its state.' });
        return;
      }
      // Closed: the order finished before, started by this same body; its read model is what it became.
      const view = started.kind === 'answered' ? started.answer : await orderOf(orm, orderId, principal.tenantId);
      setResourceHeaders(res, orderLocation(orderId), view.status);
      res.status(201).json(view);
    },
  });

  routes.declare({
    operationId: 'getFibreOrder',
    method: 'get',
    path: `${FIBRE_PATH}/orders/{orderId}`,
    tag,
    summary: 'The current state of an order',
    access,
    params: z.object({ orderId: z.string() }),
    responses: {
      200: { description: 'The order; Last-Modified is its last change', schema: OrderViewSchema, headers: ['Last-Modified'] },
      404: { description: 'No such order for this client' },
    },
    handle: async ({ params: { orderId }, principal }, res) => {
      const view = await orderOf(orm, orderId, principal.tenantId);
      setResourceHeaders(res, undefined, view.status);
      res.json(view);
    },
  });

  routes.declare({
    operationId: 'listCompletedOrders',
    method: 'get',
    path: `${FIBRE_PATH}/orders`,
    tag,
    summary:
      'Orders DELIVERED or REJECTED after `?since=` (exclusive; ISO date-time), oldest first, at most `?limit=` (default 1000, max 10000); immutable: page with since = the last doneDateTime',
    access,
    query: FeedQuerySchema,
    responses: {
      200: { description: 'Completed orders', schema: OrderFeedItemSchema.array() },
      400: { description: '`since` is not an ISO date-time, `limit` is out of range, or a parameter that is not one of these' },
    },
    handle: async ({ query, principal }, res) => {
      await serveFeed(res, orm, 'orders', principal.tenantId, query);
    },
  });
}

async function orderOf(orm: Orm, orderId: string, tenantId: string): Promise<OrderView> {
  const row = await orm.em.fork().findOne(FibreOrderRecordSchema, { orderId, tenantId });
  if (!row) throw new HttpError(404, `Order ${orderId} not found`);
  return JSON.parse(row.view) as OrderView;
}

/**
 * One Update-with-Start, like every family (startOrJoin: the database's record
 * of the id first, then Temporal). The order's workflow checks the invoice group and takes
 * the offer from the inquiry's workflow itself; its `submit` update answers once the order
 * is placed, or fails with the refusal (409, or 422 for the invoice group). A refused run
 * fails on purpose and leaves no public-id row, and ALLOW_DUPLICATE_FAILED_ONLY lets the
 * same request (its inquiry may have been answered since) or a corrected one under the
 * same key start a new run; a placed order completes and is never started twice.
 */
async function submitOrder(deps: FibreOrderingDeps, input: FibreOrderInput): Promise<Started<OrderView>> {
  const started = await startOrJoin<typeof fiberOrderWorkflow, OrderView>({
    client: deps.client,
    orm: deps.orm,
    workflowType: FIBRE_ORDER_WORKFLOW_TYPE,
    workflowId: fibreOrderWorkflowId(input.orderId),
    taskQueue: deps.taskQueue,
    args: [input, { deliverySpeedUp: deps.config.env.FIBRE_DELIVERY_SPEEDUP }],
    requestHash: input.requestHash,
    family: API_FAMILIES.fibre,
    firstStatus: ORDER_TAKING_OFFER,
    tenantId: input.tenantId,
    correlationId: input.correlationId,
    impersonatedBy: input.impersonatedBy,
    ui: fibreOrderStartDetails({ ...input, offer: await offerShown(deps.orm, input.order.inquiryId, input.tenantId) }),
    update: submitOrderUpdate,
    reuse: 'ALLOW_DUPLICATE_FAILED_ONLY',
    answerTimeoutMs: deps.config.env.FIBRE_ANSWER_TIMEOUT_MS,
    failures: httpErrorOf,
    what: `order (orderId ${input.orderId})`,
    style: 'cause',
  });
  // Not answered in time: 202 only once the order is placed (recorded, so its Location
  // answers); before, it may still be refused, and the same request later gets the answer.
  if (started.kind === 'pending' && !(await deps.orm.em.fork().findOne(PublicIdSchema, { workflowId: fibreOrderWorkflowId(input.orderId) }))) {
    throw unavailable('The ordering service is temporarily unavailable; retry later');
  }
  return started;
}

/**
 * The offer as the Temporal UI shows the order from its start (startDetails.ts): what the
 * inquiry's read model says, when it is this client's and succeeded. For display only:
 * the order's workflow takes the offer itself. A database that cannot be reached shows none.
 */
async function offerShown(orm: Orm, inquiryId: string, tenantId: string): Promise<OfferForOrder | undefined> {
  let view;
  try {
    view = await inquiryViewOf(orm, inquiryId, tenantId);
  } catch (err) {
    if (isDatabaseUnavailable(err)) return undefined;
    throw err;
  }
  if (!view) return undefined;
  if (!SUCCESS_STATES.includes(view.status.state as InquiryState) || !view.offerValidUntilDate) return undefined;
  return offerOf(inquiryId, { ...view, offerValidUntilDate: view.offerValidUntilDate });
}
