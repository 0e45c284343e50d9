import { Router } from 'express';
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { FibreInquiryRecordSchema, FibreOrderRecordSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import {
  InquiryState,
  InquiryView,
  OfferForOrder,
  offerInquiryWorkflowId,
  placeOrderUpdate,
  SUCCESS_STATES,
} from '../../workflows/offerInquiry/contract';
import {
  FIBER_ORDER_WORKFLOW_TYPE,
  FiberOrderInput,
  FiberOrderRequest,
  fiberOrderWorkflowId,
  OrderView,
  submitOrderUpdate,
} from '../../workflows/fiberOrder/contract';
import type { fiberOrderWorkflow } from '../../workflows/fiberOrder/workflow';
import type { Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, idempotencyKeyOf, requestHash } from '../shared/idempotency';
import { validateBody } from '../shared/validate';
import { checkSameRequest, httpErrorOf, jsonWithField, serveFeed, setResourceHeaders, submitWithStart, Submitted } from './inquiriesAndOrders';
import { workflowExists } from '../shared/workflowStarts';
import { API_BASE, FibreInquiryDeps } from './inquiries';
import { CauseErrorSchema } from './inquiriesSchema';
import { FiberOrderSchema, OrderFeedItemSchema, OrderViewSchema } from './ordersSchema';
import { fiberOrderStartDetails } from './startDetails';

export type FibreOrderDeps = FibreInquiryDeps;

/** Seed 002 §5: orders on answered offers, delivered by `fiber-order-<orderId>`, and their `since` feed. */
export function fibreOrdersRouter(deps: FibreOrderDeps): Router {
  const { orm, auth, openapi } = deps;
  const router = Router();
  const needsClient = auth.require('CLIENT');

  router.post(['/orders', '/orders/'], needsClient, validateBody(FiberOrderSchema), async (req, res) => {
    const principal = res.locals.principal as Principal;
    const order = res.locals.body as FiberOrderRequest;
    const hash = requestHash(order);
    // Without an Idempotency-Key the body is the key; either way one offer takes one order (its inquiry workflow says so).
    const key = idempotencyKeyOf(req) ?? `body:${hash}`;
    const orderId = deriveId(principal.tenantId, 'fiber-order', key);
    const base = { orderId, tenantId: principal.tenantId, correlationId: res.locals.correlationId as string, requestHash: hash, order };
    const location = `${API_BASE}/orders/${orderId}`;
    const submitted = await submitOrder(deps, base);
    if ('pending' in submitted) {
      res.status(202).location(location).json({ orderId, message: 'The order is received; GET its Location for its state.' });
      return;
    }
    setResourceHeaders(res, location, submitted.answer.status);
    res.status(201).json(submitted.answer);
  });

  router.get('/orders/:orderId', needsClient, async (req, res) => {
    const principal = res.locals.principal as Principal;
    const view = await orderOf(orm, String(req.params.orderId), principal.tenantId);
    setResourceHeaders(res, undefined, view.status);
    res.json(view);
  });

  router.get(['/orders', '/orders/'], needsClient, async (req, res) => {
    const principal = res.locals.principal as Principal;
    res.type('json').send(await serveFeed(orm, 'orders', principal.tenantId, req, (payload, doneDateTime) => jsonWithField(payload, 'doneDateTime', doneDateTime)));
  });

  openapi.add({
    method: 'post',
    path: `${API_BASE}/orders`,
    tag: 'Fibre orders',
    summary: 'Order an answered offer (an inquiry of this client that succeeded and is still valid)',
    security: 'bearer',
    headers: { 'Idempotency-Key': 'Retries with the same key and body return the same order', 'X-Correlation-ID': 'Echoed; set on the workflow' },
    body: FiberOrderSchema,
    responses: {
      201: { description: 'The order, WAIT_DELIVERY until the supplier delivers or rejects it', schema: OrderViewSchema },
      400: { description: 'Malformed order, every wrong field named', schema: CauseErrorSchema },
      409: {
        description: 'The inquiry is not this client\'s, did not succeed, is still waiting, has expired or is already ordered; or the Idempotency-Key was reused with another body',
        schema: CauseErrorSchema,
      },
    },
  });
  openapi.add({
    method: 'get',
    path: `${API_BASE}/orders/{orderId}`,
    tag: 'Fibre orders',
    summary: 'The current state of an order',
    security: 'bearer',
    responses: {
      200: { description: 'The order; Last-Modified is its last change', schema: OrderViewSchema },
      404: { description: 'No such order for this client', schema: CauseErrorSchema },
    },
  });
  openapi.add({
    method: 'get',
    path: `${API_BASE}/orders`,
    tag: 'Fibre orders',
    summary: 'Orders DELIVERED or REJECTED after `?since=` (exclusive; ISO date-time), oldest first, at most `?limit=` (default 1000, max 10000); immutable: page with since = the last doneDateTime',
    security: 'bearer',
    query: { since: 'ISO 8601 date-time; items done strictly after it', limit: 'Page size, 1 to 10000 (default 1000)' },
    responses: {
      200: { description: 'Completed orders', schema: OrderFeedItemSchema.array() },
      400: { description: '`since` is not an ISO date-time, or `limit` is out of range', schema: CauseErrorSchema },
    },
  });
  return router;
}

async function orderOf(orm: Orm, orderId: string, tenantId: string): Promise<OrderView> {
  const row = await orm.em.fork().findOne(FibreOrderRecordSchema, { orderId, tenantId });
  if (!row) throw new HttpError(404, `Order ${orderId} not found`);
  return JSON.parse(row.view) as OrderView;
}

type OrderBase = Omit<FiberOrderInput, 'offer'>;

/**
 * Two steps, each idempotent, so a retry after a crash between them completes the
 * order: (1) the inquiry workflow hands over its offer to this orderId (or refuses:
 * 409); (2) Update-with-Start of `fiber-order-<orderId>`. A retry of an order that
 * already exists skips (1): its offer may have expired since, which must not undo it.
 */
async function submitOrder(deps: FibreOrderDeps, base: OrderBase): Promise<Submitted<OrderView>> {
  const { client } = deps;
  const workflowId = fiberOrderWorkflowId(base.orderId);
  const closed = async () => {
    await checkSameRequest(client, workflowId, base.requestHash, `order (orderId ${base.orderId})`);
    return orderOf(deps.orm, base.orderId, base.tenantId);
  };
  if (await workflowExists(client, workflowId)) {
    const handle = client.workflow.getHandle(workflowId);
    if ((await handle.describe()).status.name !== 'RUNNING') return { answer: await closed() };
    try {
      return { answer: await withinAnswerTimeout(deps, () => handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: base.requestHash }] })) };
    } catch (err) {
      throw httpErrorOf(err) ?? err;
    }
  }
  const offer = await takeOffer(deps, base);
  const ui = fiberOrderStartDetails({ ...base, offer });
  const start = new WithStartWorkflowOperation<typeof fiberOrderWorkflow>(FIBER_ORDER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [{ ...base, offer }, { deliverySpeedUp: deps.config.env.FIBRE_DELIVERY_SPEEDUP }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { requestHash: base.requestHash },
    typedSearchAttributes: startSearchAttributes(API_FAMILIES.fibre, 'WAIT_DELIVERY', { ...base, businessReference: ui.businessReference }),
    staticSummary: ui.summary,
    staticDetails: ui.details,
  });
  return submitWithStart(client, deps.config.env.FIBRE_ANSWER_TIMEOUT_MS, start, submitOrderUpdate, base.requestHash, closed);
}

/** Asks the inquiry's own workflow for its offer; it alone decides whether it may be ordered. */
async function takeOffer(deps: FibreOrderDeps, base: OrderBase): Promise<OfferForOrder> {
  const { inquiryId } = base.order;
  try {
    return await withinAnswerTimeout(deps, () =>
      deps.client.workflow
        .getHandle(offerInquiryWorkflowId(inquiryId))
        .executeUpdate(placeOrderUpdate, { args: [{ orderId: base.orderId, tenantId: base.tenantId }] }),
    );
  } catch (err) {
    const mapped = httpErrorOf(err);
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
function withinAnswerTimeout<T>(deps: FibreOrderDeps, call: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + deps.config.env.FIBRE_ANSWER_TIMEOUT_MS, call);
}
