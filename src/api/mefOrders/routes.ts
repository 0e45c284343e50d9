import express, { Request, Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FilterQuery } from '@mikro-orm/core';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { MefNotificationSchema, MefOrderRecord, MefOrderRecordSchema } from '../../db/entities';
import { mergePatch, parseVersion } from '../../domain/mefOrder/lifecycle';
import { notificationView } from '../../domain/mefOrder/views';
import {
  addBuyerNoteUpdate,
  cancelOrderUpdate,
  holdOrderUpdate,
  MefOrderDocument,
  MefOrderView,
  recordStatusResponseUpdate,
  releaseOrderUpdate,
  replaceOrderUpdate,
  requestStatusUpdate,
} from '../../workflows/mefOrder/contract';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, idempotencyKeyOf, idempotencyKeyReused, requestHash } from '../shared/idempotency';
import type { OpenApiRegistry } from '../shared/openapi';
import { badRequest, problemsOf, validateBody } from '../shared/validate';
import { startedBySameRequest } from '../shared/workflowStarts';
import { registerMefOpenApi } from './openapi';
import {
  ActionBodySchema,
  BuyerNoteSchema,
  ListQuerySchema,
  MefOrderBody,
  MergePatchSchema,
  OrderSchema,
  StatusQuerySchema,
  StatusRequestSchema,
  StatusResponseSchema,
} from './schema';
import { settingsOf, submitOrder, updateOrder } from './workflowCalls';

export const MEF_ORDERS_PATH = '/orders';

export interface MefOrderDeps {
  config: Config;
  client: Client;
  orm: Orm;
  auth: Authenticator;
  taskQueue: string;
  openapi: OpenApiRegistry;
}

type Query = Record<string, unknown>;

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(problemsOf(result.error));
  return result.data;
}

/** The seller's fields a body may carry (the seed's example does); the buyer cannot set them. */
function buyerPart(body: MefOrderBody | Record<string, unknown>): MefOrderDocument {
  const { id: _id, link: _link, orderStatus: _status, buyerOrderVersion: _version, ...order } = body as Record<string, unknown>;
  return order as MefOrderDocument;
}

export function mefOrdersRouter(deps: MefOrderDeps): Router {
  const { client, orm, auth, config } = deps;
  const router = Router();
  const needsBuyer = auth.require('BUYER');
  const settings = settingsOf(config);
  // RFC 7396 bodies arrive as application/merge-patch+json, which the app's JSON parser skips.
  router.use(express.json({ type: 'application/merge-patch+json', limit: '1mb' }));

  const principalOf = (res: { locals: Record<string, unknown> }) => res.locals.principal as Principal;

  /** Tenant-scoped: another buyer's order is answered exactly like a missing one. */
  async function orderOf(tenantId: string, id: string): Promise<MefOrderRecord> {
    const row = await orm.em.fork().findOne(MefOrderRecordSchema, { id, tenantId });
    if (!row) throw new HttpError(404, 'NOT_FOUND', `Order ${id} not found`);
    return row;
  }

  async function findOneBy(tenantId: string, q: { orderId?: string | undefined; buyerId?: string | undefined; sellerId?: string | undefined; buyerPurchaseOrderNumber?: string | undefined }) {
    const where: FilterQuery<MefOrderRecord> = { tenantId };
    if (q.orderId) where.id = q.orderId;
    if (q.buyerId) where.buyerId = q.buyerId;
    if (q.sellerId) where.sellerId = q.sellerId;
    if (q.buyerPurchaseOrderNumber) where.buyerPurchaseOrderNumber = q.buyerPurchaseOrderNumber;
    const rows = await orm.em.fork().find(MefOrderRecordSchema, where, { limit: 2 });
    if (rows.length > 1) throw new HttpError(409, 'AMBIGUOUS_ORDER', 'More than one order matches; name it by orderId or buyerPurchaseOrderNumber.');
    if (!rows[0]) throw new HttpError(404, 'NOT_FOUND', 'No order matches the given identifiers');
    return rows[0];
  }

  const viewOf = (row: MefOrderRecord) => JSON.parse(row.document) as MefOrderView;

  router.get(['/', ''], needsBuyer, async (req, res) => {
    const q = parsed(ListQuerySchema, req.query);
    const where: FilterQuery<MefOrderRecord> = { tenantId: principalOf(res).tenantId };
    for (const key of ['buyerId', 'sellerId', 'orderStatus', 'buyerPurchaseOrderNumber', 'orderType'] as const) {
      if (q[key] !== undefined) where[key] = q[key];
    }
    if (q.orderDateFrom || q.orderDateTo) {
      where.orderDate = {
        ...(q.orderDateFrom ? { $gte: new Date(q.orderDateFrom) } : {}),
        ...(q.orderDateTo ? { $lte: new Date(q.orderDateTo) } : {}),
      };
    }
    const [rows, available] = await orm.em
      .fork()
      .findAndCount(MefOrderRecordSchema, where, { orderBy: { orderDate: 'desc', id: 'asc' }, offset: q.offset, limit: q.limit });
    res.json({ link: { href: req.originalUrl }, available, returned: rows.length, items: rows.map(viewOf) });
  });

  router.post(['/', ''], needsBuyer, validateBody(OrderSchema), async (req, res) => {
    const principal = principalOf(res);
    const order = buyerPart(res.locals.body as MefOrderBody);
    const hash = requestHash(order);
    // Without an Idempotency-Key the buyer's purchase order number is the key: one
    // PO from one buyer is one order, and resending it never creates a second.
    const key = idempotencyKeyOf(req) ?? `po:${order.buyerId}:${order.buyerPurchaseOrderNumber}`;
    const orderId = `ORD-${deriveId(principal.tenantId, 'mef-order', key)}`;
    const result = await submitOrder(
      client,
      { taskQueue: deps.taskQueue, settings, answerTimeoutMs: config.env.MEF_ANSWER_TIMEOUT_MS },
      { orderId, tenantId: principal.tenantId, correlationId: res.locals.correlationId as string, requestHash: hash, receivedAt: new Date().toISOString(), order },
    );
    let view: MefOrderView;
    if (result.kind === 'answered') {
      view = result.view;
    } else {
      // The order is closed: a retry with the same body reads what it became.
      const row = await orderOf(principal.tenantId, orderId);
      if (!(await startedBySameRequest(client, `mef-order-${orderId}`, hash))) throw idempotencyKeyReused('code', `Idempotency-Key was already used for another order (${orderId}).`);
      view = viewOf(row);
    }
    res.status(201).location(`${MEF_ORDERS_PATH}/${orderId}`).setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
  });

  router.post('/status-request', needsBuyer, validateBody(StatusRequestSchema), async (req, res) => {
    const principal = principalOf(res);
    const row = await findOneBy(principal.tenantId, res.locals.body as Query);
    const key = idempotencyKeyOf(req);
    const requestId = key ? `SR-${deriveId(principal.tenantId, 'mef-status-request', key)}` : `SR-${randomUUID()}`;
    await updateOrder(client, row, requestStatusUpdate, { requestId });
    res.status(202).json({ requestId, orderId: row.id, state: 'ACCEPTED' });
  });

  router.post('/status-response', needsBuyer, validateBody(StatusResponseSchema), async (_req, res) => {
    const principal = principalOf(res);
    const body = res.locals.body as import('zod').infer<typeof StatusResponseSchema>;
    const row = await orderOf(principal.tenantId, body.orderId);
    const { notificationId } = await updateOrder(client, row, recordStatusResponseUpdate, {
      responseId: body.responseId,
      requestHash: requestHash(body),
      orderStatus: body.orderStatus,
      sellerId: body.sellerId,
      statusMessage: body.statusMessage,
      statusDate: body.statusDate,
    });
    res.status(201).json(await notificationOf(notificationId));
  });

  router.get('/:id', needsBuyer, async (req, res) => {
    const row = await orderOf(principalOf(res).tenantId, String(req.params.id));
    res.setHeader('ETag', `"${row.buyerOrderVersion}"`).json(viewOf(row));
  });

  /** The version a change is made against: If-Match, else the body's buyerOrderVersion, else the current one. */
  function baseVersionOf(req: Request, row: MefOrderRecord, bodyVersion: unknown): number {
    const header = parseVersion(req.get('if-match'));
    if (Number.isNaN(header)) throw badRequest([{ field: 'If-Match', message: 'must be the order\'s buyerOrderVersion, e.g. "2"' }]);
    if (header !== undefined) return header;
    if (bodyVersion !== undefined) {
      const v = parseVersion(String(bodyVersion));
      if (v === undefined || Number.isNaN(v)) throw badRequest([{ field: 'buyerOrderVersion', message: 'must be a version number such as "1"' }]);
      return v;
    }
    return row.buyerOrderVersion;
  }

  router.put('/:id', needsBuyer, validateBody(OrderSchema), async (req, res) => {
    const row = await orderOf(principalOf(res).tenantId, String(req.params.id));
    const body = res.locals.body as MefOrderBody;
    const baseVersion = baseVersionOf(req, row, body.buyerOrderVersion);
    const view = await updateOrder(client, row, replaceOrderUpdate, { kind: 'PUT', order: buyerPart(body), baseVersion });
    res.setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
  });

  router.patch('/:id', needsBuyer, validateBody(MergePatchSchema), async (req, res) => {
    const row = await orderOf(principalOf(res).tenantId, String(req.params.id));
    const patch = res.locals.body as Record<string, unknown>;
    const sellerFields = ['id', 'link', 'orderStatus'].filter((f) => f in patch);
    if (sellerFields.length) {
      throw badRequest(sellerFields.map((field) => ({ field, message: 'is set by the seller and cannot be patched (use /cancel, /hold, /release for the status)' })));
    }
    const baseVersion = baseVersionOf(req, row, patch.buyerOrderVersion);
    const { buyerOrderVersion: _v, ...changes } = patch;
    const merged = mergePatch(buyerPart(viewOf(row)), changes);
    const order = buyerPart(parsed(OrderSchema, merged));
    const view = await updateOrder(client, row, replaceOrderUpdate, { kind: 'PATCH', order, baseVersion });
    res.setHeader('ETag', `"${view.buyerOrderVersion}"`).json(view);
  });

  router.get('/:id/status', needsBuyer, async (req, res) => {
    const tenantId = principalOf(res).tenantId;
    const q = parsed(StatusQuerySchema, req.query);
    const id = String(req.params.id);
    let row = await orm.em.fork().findOne(MefOrderRecordSchema, { id, tenantId });
    if (!row && Object.values(q).some(Boolean)) row = await findOneBy(tenantId, q);
    const contradicts =
      row &&
      ((q.orderId && q.orderId !== row.id) ||
        (q.buyerId && q.buyerId !== row.buyerId) ||
        (q.sellerId && q.sellerId !== row.sellerId) ||
        (q.buyerPurchaseOrderNumber && q.buyerPurchaseOrderNumber !== row.buyerPurchaseOrderNumber));
    if (!row || contradicts) throw new HttpError(404, 'NOT_FOUND', `Order ${id} not found`);
    res.json({
      objectType: 'orderStatus',
      orderId: row.id,
      buyerId: row.buyerId,
      sellerId: row.sellerId,
      buyerPurchaseOrderNumber: row.buyerPurchaseOrderNumber,
      buyerOrderVersion: String(row.buyerOrderVersion),
      orderStatus: row.orderStatus,
      statusMessage: row.statusMessage,
      orderItems: JSON.parse(row.itemProgress) as unknown[],
      lastUpdated: new Date(row.updatedAt).toISOString(),
    });
  });

  async function notificationOf(id: string) {
    return notificationView(await orm.em.fork().findOneOrFail(MefNotificationSchema, { id }));
  }

  router.get('/:id/notifications', needsBuyer, async (req, res) => {
    const row = await orderOf(principalOf(res).tenantId, String(req.params.id));
    const q = parsed(ListQuerySchema.pick({ offset: true, limit: true }), req.query);
    const [rows, available] = await orm.em
      .fork()
      .findAndCount(MefNotificationSchema, { orderId: row.id }, { orderBy: { seq: 'asc' }, offset: q.offset, limit: q.limit });
    res.json({ link: { href: req.originalUrl }, available, returned: rows.length, items: rows.map(notificationView) });
  });

  router.post('/:id/notifications', needsBuyer, validateBody(BuyerNoteSchema), async (req, res) => {
    const row = await orderOf(principalOf(res).tenantId, String(req.params.id));
    const { note } = res.locals.body as { note: string };
    const { notificationId } = await updateOrder(client, row, addBuyerNoteUpdate, { note });
    res.status(201).json(await notificationOf(notificationId));
  });

  const actions = { cancel: cancelOrderUpdate, hold: holdOrderUpdate, release: releaseOrderUpdate };
  for (const [name, def] of Object.entries(actions)) {
    router.post(`/:id/${name}`, needsBuyer, async (req, res) => {
      const principal = principalOf(res);
      const row = await orderOf(principal.tenantId, String(req.params.id));
      const { reason } = parsed(ActionBodySchema, req.body ?? {});
      // `buyer <clientId>`: the order's state-change notification says the buyer did it; the ops audit trail names the client.
      res.json(await updateOrder(client, row, def, { reason, by: `buyer ${principal.impersonatedBy ? `${principal.clientId} (impersonated by ${principal.impersonatedBy})` : principal.clientId}` }));
    });
  }

  registerMefOpenApi(deps.openapi, MEF_ORDERS_PATH);
  return router;
}
