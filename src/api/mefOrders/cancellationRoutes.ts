import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import { MefCancellationRecord, MefCancellationSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { CANCELLATION_STATES } from '../../domain/mefOrders/cancellation';
import { cancelOrderUpdate } from '../../workflows/mefOrders/contract';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { CANCELLATIONS_PATH, publicBaseUrl } from './links';
import { mefOrderReads } from './readModel';
import { actor } from './actor';
import { updateOrder } from './workflowCalls';

const tag = 'MEF cancellations';
const access = { roles: ['BUYER'] } as const;
const notFound = { 404: { description: 'NOT_FOUND: no such cancellation (or order) for this buyer; another buyer\'s is answered alike' } };

const CancellationBodySchema = z.strictObject({
  productOrder: z.strictObject({ id: z.string().max(64).describe('The order to cancel (ORD-…)'), href: z.string().max(2000).optional() }),
  cancellationReason: z.string().min(1).max(500).optional(),
});

const CancellationSchema = z.object({
  id: z.string(),
  href: z.string(),
  productOrder: z.object({ id: z.string(), href: z.string() }),
  cancellationReason: z.string(),
  requestedBy: z.enum(['buyer', 'operator']),
  state: z.enum(CANCELLATION_STATES),
  stateReason: z.string().optional().describe('Why it ended in terminatedWithError: the seller\'s reason'),
  creationDate: z.string(),
  lastUpdate: z.string(),
});

const ListQuerySchema = z.object({
  orderId: z.string().max(64).optional(),
  state: z.enum(CANCELLATION_STATES).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * Cancellation as a resource (TMF622 CancelProductOrder): POST /cancelOrder cancels an order
 * and answers the cancellation it created, which the buyer then follows by id. The order's
 * workflow decides and keeps the cancellation's state (src/workflows/mefOrders/orderState.ts).
 */
export function declareMefCancellationRoutes(routes: RouteTable, deps: { config: Config; client: Client; orm: Orm }): void {
  routes.name({ MefCancellationRequest: CancellationBodySchema, MefCancellation: CancellationSchema });
  const reads = mefOrderReads(deps.orm);
  const em = () => deps.orm.em.fork();
  const viewOf = (c: MefCancellationRecord, base: string) => ({
    id: c.id,
    href: `${base}${CANCELLATIONS_PATH}/${c.id}`,
    productOrder: { id: c.orderId, href: `${base}/orders/${c.orderId}` },
    cancellationReason: c.reason,
    requestedBy: c.requestedBy as 'buyer' | 'operator',
    state: c.state as (typeof CANCELLATION_STATES)[number],
    ...(c.stateReason ? { stateReason: c.stateReason } : {}),
    creationDate: c.createdAt.toISOString(),
    lastUpdate: c.updatedAt.toISOString(),
  });
  const find = async (tenantId: string, id: string) => {
    const c = await em().findOne(MefCancellationSchema, { id, tenantId });
    if (!c) throw new HttpError(404, 'NOT_FOUND', `Cancellation ${id} not found`);
    return c;
  };

  routes.declare({
    operationId: 'createCancellation',
    method: 'post',
    path: CANCELLATIONS_PATH,
    tag,
    summary: 'Cancel an order and get the cancellation to follow: done at once before installation, else inProgress while the seller assesses it',
    access,
    headers: z.object({
      'Idempotency-Key': IdempotencyKeyHeader.describe('Names the cancellation: a retry with the same key and body answers the same one, never a second cancel'),
    }),
    body: CancellationBodySchema,
    responses: {
      201: { description: 'The cancellation, as the order took it', schema: CancellationSchema, headers: ['Location'] },
      400: { description: 'INVALID_REQUEST_PARAMS: a malformed body, each field named' },
      ...notFound,
      409: { description: 'INVALID_STATE: the order cannot be cancelled in its state (the message names it); IDEMPOTENCY_KEY_REUSED: the key named another cancellation' },
    },
    handle: async ({ headers, body, principal }, res, req) => {
      const base = publicBaseUrl(deps.config, req);
      const key = headers['Idempotency-Key'];
      const id = `CAN-${key ? deriveId(principal.tenantId, 'mef-cancellation', key) : randomUUID()}`;
      const reason = body.cancellationReason;
      const earlier = key ? await em().findOne(MefCancellationSchema, { id, tenantId: principal.tenantId }) : null;
      if (earlier) {
        if (earlier.orderId !== body.productOrder.id || (reason !== undefined && earlier.reason !== reason)) {
          throw new HttpError(409, 'IDEMPOTENCY_KEY_REUSED', 'The Idempotency-Key was used for another cancellation');
        }
        return void res.status(201).location(`${CANCELLATIONS_PATH}/${id}`).json(viewOf(earlier, base));
      }
      const order = await reads.orderOf(principal.tenantId, body.productOrder.id);
      // The workflow writes the cancellation with the order before the update answers.
      await updateOrder(deps.client, order, cancelOrderUpdate, { reason, by: actor(principal), cancellationId: id });
      const made = await find(principal.tenantId, id);
      // Two requests raced with one key for two orders: this order is cancelled, but the key names the other's cancellation.
      if (made.orderId !== order.id) throw new HttpError(409, 'IDEMPOTENCY_KEY_REUSED', 'The Idempotency-Key was used for another cancellation');
      res.status(201).location(`${CANCELLATIONS_PATH}/${id}`).json(viewOf(made, base));
    },
  });

  routes.declare({
    operationId: 'listCancellations',
    method: 'get',
    path: CANCELLATIONS_PATH,
    tag,
    summary: 'The buyer\'s cancellations, newest first, by order and state, paged',
    access,
    query: ListQuerySchema,
    responses: {
      200: { description: 'The cancellations', schema: z.array(CancellationSchema) },
      400: { description: 'INVALID_REQUEST_PARAMS: an unknown or malformed query parameter, each named' },
    },
    handle: async ({ query, principal }, res, req) => {
      const where = { tenantId: principal.tenantId, ...(query.orderId ? { orderId: query.orderId } : {}), ...(query.state ? { state: query.state } : {}) };
      const rows = await em().find(MefCancellationSchema, where, { orderBy: { createdAt: 'desc', id: 'asc' }, offset: query.offset, limit: query.limit });
      res.json(rows.map((c) => viewOf(c, publicBaseUrl(deps.config, req))));
    },
  });

  routes.declare({
    operationId: 'getCancellation',
    method: 'get',
    path: `${CANCELLATIONS_PATH}/{id}`,
    tag,
    summary: 'Get a cancellation: where it stands',
    access,
    params: z.object({ id: z.string().max(128).describe('The cancellation id (CAN-…)') }),
    responses: { 200: { description: 'The cancellation', schema: CancellationSchema }, ...notFound },
    handle: async ({ params, principal }, res, req) => {
      res.json(viewOf(await find(principal.tenantId, params.id), publicBaseUrl(deps.config, req)));
    },
  });
}
