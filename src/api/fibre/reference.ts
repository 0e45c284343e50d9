import { z } from 'zod';
import { Router } from 'express';
import type { Orm } from '../../db/orm';
import { FibreFrameworkAgreementSchema, FibreInvoiceGroupSchema, FibrePointSchema } from '../../db/entities';
import { matchesAddress, searchKey } from '../../domain/fibre/addressSearch';
import { NetworkPoint, pointsRequired, priceEstimate } from '../../domain/fibre/pricing';
import { loadCatalogue, pointsForRequest, resolveClientAccounts, toNetworkPoint } from '../../domain/fibre/referenceData';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import type { OpenApiRegistry } from '../shared/openapi';
import { badRequest, problemsOf, validateBody } from '../shared/validate';
import { CauseErrorSchema } from '../salesLeads/schema';
import {
  AvailabilityPointSchema,
  AvailabilityQuerySchema,
  FeasibilityPointSchema,
  FrameworkAgreementListSchema,
  InvoiceGroupListSchema,
  PriceEstimateInput,
  PriceEstimateRequestSchema,
  PriceEstimateResponseSchema,
} from './referenceSchema';

export interface FibreReferenceDeps {
  orm: Orm;
  auth: Authenticator;
  openapi: OpenApiRegistry;
}

/** Seed §2 shows a point without pointInfo; §1 with it. `freeFibers` is internal and never served. */
function servedPoint(p: NetworkPoint, withPointInfo: boolean) {
  const { pointInfo, suppliers, ...rest } = p;
  return {
    ...rest,
    suppliers: suppliers.map(({ name, fiberStatus, statusValidationRequired }) => ({ name, fiberStatus, statusValidationRequired })),
    ...(withPointInfo ? { pointInfo } : {}),
  };
}

/** Something a request names that does not exist, or is another client's: answered alike, so ids never leak. */
const notFound = (field: string, message: string) => new HttpError(404, `${field}: ${message}`, message, { errors: [{ field, message }] });

/**
 * Reference data of the fibre price API (seed 002 §1, §2, §3, §6, §7): read-only
 * endpoints over the database. Points and prices are the same for every client;
 * invoice groups and framework agreements are the calling client's (the
 * impersonated client's, when the token impersonates).
 */
export function fibreReferenceRouter(deps: FibreReferenceDeps): Router {
  const { orm, auth, openapi } = deps;
  const router = Router();
  const needsClient = auth.require('CLIENT');

  router.get('/feasibility', needsClient, async (req, res) => {
    const em = orm.em.fork();
    const [latest] = await em.find(FibrePointSchema, { deliverable: true }, { orderBy: { updatedAt: 'desc' }, limit: 1, fields: ['updatedAt'] });
    // HTTP dates have whole seconds: compare at that precision or a client never gets its 304.
    const lastModified = new Date(Math.floor((latest?.updatedAt.getTime() ?? 0) / 1000) * 1000);
    res.setHeader('Last-Modified', lastModified.toUTCString());
    const since = Date.parse(req.get('if-modified-since') ?? '');
    if (!Number.isNaN(since) && lastModified.getTime() <= since) {
      res.status(304).end();
      return;
    }
    const rows = await em.find(FibrePointSchema, { deliverable: true }, { orderBy: { pointId: 'asc' } });
    res.json(rows.map((r) => servedPoint(toNetworkPoint(r), true)));
  });

  router.get(['/availability', '/availability/'], needsClient, async (req, res) => {
    const parsed = AvailabilityQuerySchema.safeParse(req.query);
    if (!parsed.success) throw badRequest(problemsOf(parsed.error));
    const q = parsed.data;
    const rows = await orm.em
      .fork()
      .find(FibrePointSchema, { streetKey: searchKey(q.street), ...(q.city ? { cityKey: searchKey(q.city) } : {}) }, { orderBy: { pointId: 'asc' } });
    res.json(rows.filter((r) => matchesAddress(r, q)).map((r) => servedPoint(toNetworkPoint(r), false)));
  });

  router.get('/availability/:pointId', needsClient, async (req, res) => {
    const pointId = String(req.params.pointId);
    const row = await orm.em.fork().findOne(FibrePointSchema, { pointId });
    if (!row) throw notFound('pointId', `No network point ${pointId}`);
    res.json(servedPoint(toNetworkPoint(row), false));
  });

  router.post('/priceEstimate', needsClient, validateBody(PriceEstimateRequestSchema), async (_req, res) => {
    const principal = res.locals.principal as Principal;
    res.json(await estimate(orm, principal.tenantId, res.locals.body as PriceEstimateInput));
  });

  router.get('/invoiceGroup', needsClient, async (_req, res) => {
    const principal = res.locals.principal as Principal;
    const rows = await orm.em.fork().find(FibreInvoiceGroupSchema, { tenantId: principal.tenantId }, { orderBy: { invoiceGroupNumber: 'asc' } });
    res.json(
      rows.map((g) => ({
        name: g.name,
        clientNumber: g.clientNumber,
        invoiceGroupid: g.invoiceGroupId,
        invoiceGroupId: g.invoiceGroupId,
        invoiceGroupNumber: g.invoiceGroupNumber,
      })),
    );
  });

  router.get('/frameworkAgreement', needsClient, async (_req, res) => {
    const principal = res.locals.principal as Principal;
    const rows = await orm.em
      .fork()
      .find(FibreFrameworkAgreementSchema, { tenantId: principal.tenantId }, { orderBy: { isStandard: 'desc', name: 'asc' } });
    res.json(
      rows.map((a) => ({ name: a.name, isStandard: a.isStandard, frameworkAgreementId: a.frameworkAgreementId, masterSystemId: a.masterSystemId })),
    );
  });

  registerOpenApi(openapi);
  return router;
}

async function estimate(orm: Orm, tenantId: string, input: PriceEstimateInput) {
  const { request, selection } = input;
  const accounts = await resolveClientAccounts(orm, tenantId, input);
  if ('problem' in accounts) throw notFound(accounts.field, accounts.message);
  const points = await pointsForRequest(orm, request);
  const named: [string, string | null | undefined][] = [
    ['from.pointId', request.from?.pointId],
    ['to.pointId', request.to?.pointId],
    ['redundancy.toPointId', request.redundancy.toPointId],
  ];
  for (const [field, pointId] of named) {
    if (pointId && !points.has(pointId)) throw notFound(field, `No network point ${pointId}`);
  }
  const catalogue = await loadCatalogue(orm);
  if (selection.productId) {
    const product = catalogue.products.find((p) => p.productId === selection.productId);
    if (!product) throw notFound('productId', `No product ${selection.productId}`);
    if (selection.products !== 'All' && selection.products !== product.name) {
      throw badRequest([{ field: 'products', message: `is ${selection.products}, but productId ${product.productId} is a ${product.name}` }]);
    }
    const count = [request.from, request.to].filter(Boolean).length;
    if (pointsRequired(product.name) !== count) {
      throw badRequest([{ field: 'to', message: `${product.name} connects ${pointsRequired(product.name)} point(s); the request names ${count}` }]);
    }
  }
  return priceEstimate(request, selection, catalogue, { points, frameworkDiscountPercent: accounts.frameworkAgreement.discountPercent });
}

function registerOpenApi(openapi: OpenApiRegistry): void {
  const tag = 'Fibre price API';
  const common = {
    401: { description: 'Missing or invalid token', schema: CauseErrorSchema },
    403: { description: 'The token lacks the CLIENT role', schema: CauseErrorSchema },
  };
  openapi.add({
    method: 'get',
    path: '/api/1.0/feasibility',
    tag,
    summary: 'Every deliverable point (at least one supplier). Last-Modified is set; If-Modified-Since is answered with 304',
    security: 'bearer',
    headers: { 'If-Modified-Since': 'An HTTP date; 304 when nothing changed since' },
    responses: { 200: { description: 'The points', schema: z.array(FeasibilityPointSchema) }, 304: { description: 'Not modified' }, ...common },
  });
  openapi.add({
    method: 'get',
    path: '/api/1.0/availability/{pointId}',
    tag,
    summary: 'One point and its suppliers\' fibre status',
    security: 'bearer',
    responses: { 200: { description: 'The point', schema: AvailabilityPointSchema }, 404: { description: 'No such point', schema: CauseErrorSchema }, ...common },
  });
  openapi.add({
    method: 'get',
    path: '/api/1.0/availability/',
    tag,
    summary:
      'Points at an address: query city, street (required), number, littera. Case, spacing and å/ä/ö written as a/a/o do not matter; "12B" as number also finds littera B',
    security: 'bearer',
    query: { street: 'Street name (required)', number: 'Street number; "12B" also matches littera B', littera: 'Letter after the number', city: 'City' },
    responses: {
      200: { description: 'Every matching point (possibly none)', schema: z.array(AvailabilityPointSchema) },
      400: { description: 'street missing', schema: CauseErrorSchema },
      ...common,
    },
  });
  openapi.add({
    method: 'post',
    path: '/api/1.0/priceEstimate',
    tag,
    summary: 'Price estimate per supplier and product',
    security: 'bearer',
    body: PriceEstimateRequestSchema,
    responses: {
      200: { description: 'Per supplier, per product: status, price and price items', schema: PriceEstimateResponseSchema },
      400: { description: 'Malformed request, every wrong field named', schema: CauseErrorSchema },
      404: { description: 'A point, product, invoice group or framework agreement that does not exist for this client', schema: CauseErrorSchema },
      ...common,
    },
  });
  openapi.add({
    method: 'get',
    path: '/api/1.0/invoiceGroup',
    tag,
    summary: 'The client\'s invoice groups',
    security: 'bearer',
    responses: { 200: { description: 'Invoice groups', schema: InvoiceGroupListSchema }, ...common },
  });
  openapi.add({
    method: 'get',
    path: '/api/1.0/frameworkAgreement',
    tag,
    summary: 'The client\'s framework agreements',
    security: 'bearer',
    responses: { 200: { description: 'Framework agreements', schema: FrameworkAgreementListSchema }, ...common },
  });
}
