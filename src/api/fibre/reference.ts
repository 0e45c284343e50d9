import { z } from 'zod';
import type { Orm } from '../../db/orm';
import { FibreFrameworkAgreementSchema, FibreInvoiceGroupSchema, FibrePointRemovalSchema, FibrePointSchema } from '../../db/entities';
import { matchesAddress, searchKey } from '../../domain/fibre/addressSearch';
import { NetworkPoint, pointsRequired, priceEstimate } from '../../domain/fibre/pricing';
import { loadCatalogue, pointsForRequest, resolveClientAccounts, toNetworkPoint } from '../../db/fibre/referenceData';
import { HttpError } from '../shared/errors';
import type { RouteTable } from '../shared/routes';
import { unprocessable } from './fields';
import { FIBRE_PATH } from './paths';
import {
  AvailabilityPointSchema,
  AvailabilityQuerySchema,
  FeasibilityPointSchema,
  FrameworkAgreementListSchema,
  InvoiceGroupListSchema,
  PriceEstimateInput,
  priceEstimateInput,
  priceEstimateProblems,
  PriceEstimateRequestSchema,
  PriceEstimateResponseSchema,
} from './referenceSchema';

export interface FibreReferenceDeps {
  orm: Orm;
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

const tag = 'Fibre price API';
const access = { roles: ['CLIENT'] } as const;

/**
 * Reference data of the fibre price API (seed 002 §1, §2, §3, §6, §7): read-only
 * endpoints over the database. Points and prices are the same for every client;
 * invoice groups and framework agreements are the calling client's (the
 * impersonated client's, when the token impersonates).
 */
export function declareReferenceRoutes(routes: RouteTable, deps: FibreReferenceDeps): void {
  const { orm } = deps;
  routes.name({ AvailabilityPoint: AvailabilityPointSchema, PriceEstimateRequest: PriceEstimateRequestSchema, PriceEstimate: PriceEstimateResponseSchema });

  routes.declare({
    operationId: 'getFeasibility',
    method: 'get',
    path: `${FIBRE_PATH}/feasibility`,
    tag,
    summary: 'Every deliverable point (at least one supplier); answered with 304 when no point changed, stopped being deliverable or was removed since If-Modified-Since',
    access,
    headers: z.object({
      // Not a date (or absent): the full list, as HTTP says of an If-Modified-Since it cannot read.
      'If-Modified-Since': z.string().optional().describe('An HTTP date: 304 when the list has not changed since'),
    }),
    responses: {
      200: {
        description: 'The points; Last-Modified is the last change to any point (one that stopped being deliverable included) or the last removal of one',
        schema: z.array(FeasibilityPointSchema),
        headers: ['Last-Modified'],
      },
      304: { description: 'The list has not changed since If-Modified-Since', headers: ['Last-Modified'] },
    },
    handle: async ({ headers }, res) => {
      const em = orm.em.fork();
      // Every point counts, not only deliverable ones: one that stops being deliverable
      // leaves the list. A removed point is in fibre_point_removals (a trigger writes it).
      const [changed] = await em.find(FibrePointSchema, {}, { orderBy: { updatedAt: 'desc' }, limit: 1, fields: ['updatedAt'] });
      const [removed] = await em.find(FibrePointRemovalSchema, {}, { orderBy: { removedAt: 'desc' }, limit: 1 });
      const latestMs = Math.max(changed?.updatedAt.getTime() ?? 0, removed?.removedAt.getTime() ?? 0);
      // HTTP dates have whole seconds: compare at that precision or a client never gets its 304.
      const lastModified = new Date(Math.floor(latestMs / 1000) * 1000);
      res.setHeader('Last-Modified', lastModified.toUTCString());
      const since = Date.parse(headers['If-Modified-Since'] ?? '');
      if (!Number.isNaN(since) && lastModified.getTime() <= since) {
        res.status(304).end();
        return;
      }
      const rows = await em.find(FibrePointSchema, { deliverable: true }, { orderBy: { pointId: 'asc' } });
      res.json(rows.map((r) => servedPoint(toNetworkPoint(r), true)));
    },
  });

  routes.declare({
    operationId: 'findAvailability',
    method: 'get',
    path: `${FIBRE_PATH}/availability/`,
    tag,
    summary:
      'Points at an address: query city, street (required), number, littera. Case, spacing and å/ä/ö written as a/a/o do not matter; "12B" as number also finds littera B',
    access,
    query: AvailabilityQuerySchema,
    responses: {
      200: { description: 'Every matching point (possibly none)', schema: z.array(AvailabilityPointSchema) },
      400: { description: 'street missing, or a parameter that is not one of these' },
    },
    handle: async ({ query: q }, res) => {
      const rows = await orm.em
        .fork()
        .find(FibrePointSchema, { streetKey: searchKey(q.street), ...(q.city ? { cityKey: searchKey(q.city) } : {}) }, { orderBy: { pointId: 'asc' } });
      res.json(rows.filter((r) => matchesAddress(r, q)).map((r) => servedPoint(toNetworkPoint(r), false)));
    },
  });

  routes.declare({
    operationId: 'getAvailabilityPoint',
    method: 'get',
    path: `${FIBRE_PATH}/availability/{pointId}`,
    tag,
    summary: 'One point and its suppliers\' fibre status',
    access,
    params: z.object({ pointId: z.string() }),
    responses: {
      200: { description: 'The point', schema: AvailabilityPointSchema },
      404: { description: 'No such point' },
    },
    handle: async ({ params: { pointId } }, res) => {
      const row = await orm.em.fork().findOne(FibrePointSchema, { pointId });
      if (!row) throw notFound('pointId', `No network point ${pointId}`);
      res.json(servedPoint(toNetworkPoint(row), false));
    },
  });

  routes.declare({
    operationId: 'estimatePrice',
    method: 'post',
    path: `${FIBRE_PATH}/priceEstimate`,
    tag,
    summary: 'Price estimate per supplier and product',
    access,
    body: PriceEstimateRequestSchema,
    responses: {
      200: { description: 'Per supplier, per product: status, price and price items', schema: PriceEstimateResponseSchema },
      400: { description: 'Malformed request, every wrong field named' },
      404: { description: 'A point, product, invoice group or framework agreement that does not exist for this client, named' },
      422: {
        description:
          'Well-formed, but the fields contradict each other or the catalogue, each named: two spellings of a count that differ, no fibre or more than 48, no point, a product filter that needs another number of points, or a productId whose product is not the `products` filter or connects another number of points than the request names',
      },
    },
    handle: async ({ body, principal }, res) => {
      const problems = priceEstimateProblems(body);
      if (problems.length) throw unprocessable(problems);
      res.json(await estimate(orm, principal.tenantId, priceEstimateInput(body)));
    },
  });

  routes.declare({
    operationId: 'listInvoiceGroups',
    method: 'get',
    path: `${FIBRE_PATH}/invoiceGroup`,
    tag,
    summary: 'The client\'s invoice groups',
    access,
    responses: { 200: { description: 'Invoice groups', schema: InvoiceGroupListSchema } },
    handle: async ({ principal }, res) => {
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
    },
  });

  routes.declare({
    operationId: 'listFrameworkAgreements',
    method: 'get',
    path: `${FIBRE_PATH}/frameworkAgreement`,
    tag,
    summary: 'The client\'s framework agreements',
    access,
    responses: { 200: { description: 'Framework agreements', schema: FrameworkAgreementListSchema } },
    handle: async ({ principal }, res) => {
      const rows = await orm.em
        .fork()
        .find(FibreFrameworkAgreementSchema, { tenantId: principal.tenantId }, { orderBy: { isStandard: 'desc', name: 'asc' } });
      res.json(
        rows.map((a) => ({ name: a.name, isStandard: a.isStandard, frameworkAgreementId: a.frameworkAgreementId, masterSystemId: a.masterSystemId })),
      );
    },
  });
}

/**
 * The estimate for a request whose fields agree with each other: what it names must
 * exist (404), and a productId must fit the filter and the points named, which only
 * the catalogue knows (422).
 */
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
      throw unprocessable([{ field: 'products', message: `is ${selection.products}, but productId ${product.productId} is a ${product.name}` }]);
    }
    const count = [request.from, request.to].filter(Boolean).length;
    if (pointsRequired(product.name) !== count) {
      throw unprocessable([{ field: 'to', message: `${product.name} connects ${pointsRequired(product.name)} point(s); the request names ${count}` }]);
    }
  }
  return priceEstimate(request, selection, catalogue, { points, frameworkDiscountPercent: accounts.frameworkAgreement.discountPercent });
}
