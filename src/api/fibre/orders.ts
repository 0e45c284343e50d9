import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/client';
import { FibreInquiryRecordSchema, FibreInvoiceGroupSchema, FibreOrderRecordSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import {
  InquiryState,
  InquiryView,
  OfferForOrder,
  offerInquiryWorkflowId,
  placeOrderUpdate,
  SUCCESS_STATES,
} from '../../workflows/fibre/inquiryContract';
import { FIBRE_ORDER_WORKFLOW_TYPE, FibreOrderInput, fibreOrderWorkflowId, OrderView, submitOrderUpdate } from '../../workflows/fibre/orderContract';
import type { fiberOrderWorkflow } from '../../workflows/fibre/orderWorkflow';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { answeredByDatabase, closedBySameRequest, Started, updateWithStart } from '../shared/updateWithStart';
import { workflowExists } from '../shared/workflowStarts';
import type { FibreOrderingDeps } from './inquiries';
import { unprocessable } from './fields';
import { fibreFailures, jsonWithField, serveFeed, setResourceHeaders } from './inquiriesAndOrders';
import { FeedQuerySchema } from './inquiriesSchema';
import { FibreOrderSchema, OrderFeedItemSchema, OrderViewSchema } from './ordersSchema';
import { FIBRE_PATH, orderLocation } from './paths';
import { fibreOrderStartDetails } from './startDetails';

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
      const started = await submitOrder(deps, { orderId, tenantId: principal.tenantId, correlationId, requestHash: hash, order });
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
      res.type('json').send(await serveFeed(orm, 'orders', principal.tenantId, query, (payload, doneDateTime) => jsonWithField(payload, 'doneDateTime', doneDateTime)));
    },
  });
}

async function orderOf(orm: Orm, orderId: string, tenantId: string): Promise<OrderView> {
  const row = await orm.em.fork().findOne(FibreOrderRecordSchema, { orderId, tenantId });
  if (!row) throw new HttpError(404, `Order ${orderId} not found`);
  return JSON.parse(row.view) as OrderView;
}

type OrderBase = Omit<FibreOrderInput, 'offer'>;

/**
 * Two steps, each idempotent, so a retry after a crash between them completes the
 * order: (1) the inquiry workflow hands over its offer to this orderId (or refuses:
 * 409); (2) Update-with-Start of `fiber-order-<orderId>`. A retry of an order that
 * already exists skips (1): its offer may have expired since, which must not undo it.
 */
async function submitOrder(deps: FibreOrderingDeps, base: OrderBase): Promise<Started<OrderView>> {
  const { client } = deps;
  const workflowId = fibreOrderWorkflowId(base.orderId);
  // Before the offer is asked for: a finished order's offer is long gone.
  const recorded = await answeredByDatabase({ orm: deps.orm, workflowId, requestHash: base.requestHash, what: orderWhat(base), style: 'cause' });
  if (recorded) return recorded;
  if (await workflowExists(client, workflowId)) return joinOrder(deps, base);
  // Before the offer is taken, so a wrong group leaves it open for a corrected order.
  await checkInvoiceGroup(deps.orm, base);
  const input: FibreOrderInput = { ...base, offer: await takeOffer(deps, base) };
  return updateWithStart<typeof fiberOrderWorkflow, OrderView>({
    client,
    orm: deps.orm,
    workflowType: FIBRE_ORDER_WORKFLOW_TYPE,
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input, { deliverySpeedUp: deps.config.env.FIBRE_DELIVERY_SPEEDUP }],
    requestHash: base.requestHash,
    family: API_FAMILIES.fibre,
    firstStatus: 'WAIT_DELIVERY',
    tenantId: base.tenantId,
    correlationId: base.correlationId,
    ui: fibreOrderStartDetails(input),
    update: submitOrderUpdate,
    reuse: 'REJECT_DUPLICATE',
    answerTimeoutMs: deps.config.env.FIBRE_ANSWER_TIMEOUT_MS,
    failures: fibreFailures,
    what: orderWhat(base),
    style: 'cause',
  });
}

const orderWhat = (base: OrderBase) => `order (orderId ${base.orderId})`;

/**
 * An order's own invoiceGroupId must be one of the client's groups (the impersonated
 * client's, when the token impersonates). Well-formed but not usable with this client's
 * data: 422 naming the field (docs/http-conventions.md). Another client's group is
 * answered like an unknown one, so ids do not leak.
 */
async function checkInvoiceGroup(orm: Orm, base: OrderBase): Promise<void> {
  const { invoiceGroupId } = base.order;
  if (!invoiceGroupId) return;
  if (await orm.em.fork().findOne(FibreInvoiceGroupSchema, { invoiceGroupId, tenantId: base.tenantId })) return;
  throw unprocessable([{ field: 'invoiceGroupId', message: `Invoice group ${invoiceGroupId} not found for this client` }]);
}

/**
 * The retry of an order whose workflow exists: a running one answers its `submit`
 * update (and refuses another body, 409); a finished one was started by this same
 * body, or the key was reused (409) — the same answers startOrJoin gives.
 */
async function joinOrder(deps: FibreOrderingDeps, base: OrderBase): Promise<Started<OrderView>> {
  const { client } = deps;
  const workflowId = fibreOrderWorkflowId(base.orderId);
  const handle = client.workflow.getHandle(workflowId);
  if ((await handle.describe()).status.name !== 'RUNNING') {
    return closedBySameRequest({ client, workflowId, requestHash: base.requestHash, what: orderWhat(base), style: 'cause' });
  }
  try {
    const answer = await withinAnswerTimeout(deps, () => handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: base.requestHash }] }));
    return { kind: 'answered', answer };
  } catch (err) {
    throw fibreFailures(err) ?? err;
  }
}

/** Asks the inquiry's own workflow for its offer; it alone decides whether it may be ordered. */
async function takeOffer(deps: FibreOrderingDeps, base: OrderBase): Promise<OfferForOrder> {
  const { inquiryId } = base.order;
  try {
    return await withinAnswerTimeout(deps, () =>
      deps.client.workflow
        .getHandle(offerInquiryWorkflowId(inquiryId))
        .executeUpdate(placeOrderUpdate, { args: [{ orderId: base.orderId, tenantId: base.tenantId }] }),
    );
  } catch (err) {
    const mapped = fibreFailures(err);
    if (mapped) throw mapped;
    // No inquiry workflow, or one that has ended: a failed inquiry, or an offer past its validity.
    if (err instanceof WorkflowNotFoundError) throw new HttpError(409, await whyNotOpen(deps.orm, inquiryId, base.tenantId));
    throw err;
  }
}

/** The inquiry's workflow has ended (or never was): say which, from its read model. */
async function whyNotOpen(orm: Orm, inquiryId: string, tenantId: string): Promise<string> {
  const row = await orm.em.fork().findOne(FibreInquiryRecordSchema, { inquiryId, tenantId });
  if (!row) return `Inquiry ${inquiryId} not found for this client.`;
  const view = JSON.parse(row.view) as InquiryView;
  if (!SUCCESS_STATES.includes(view.status.state as InquiryState)) {
    return `Inquiry ${inquiryId} did not succeed (state ${view.status.state}); only a successful offer can be ordered.`;
  }
  return `The offer of inquiry ${inquiryId} was valid until ${view.offerValidUntilDate} and can no longer be ordered.`;
}

/**
 * An update waits for a worker; with none running it would hang the request. Past
 * FIBRE_ANSWER_TIMEOUT_MS the gRPC deadline ends it and the API answers 503 with
 * Retry-After; a retry with the same body (or key) is the same order, so an update
 * the workflow takes later does no harm.
 */
function withinAnswerTimeout<T>(deps: FibreOrderingDeps, call: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + deps.config.env.FIBRE_ANSWER_TIMEOUT_MS, call);
}
