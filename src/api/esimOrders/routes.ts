import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { EsimOrderRecordSchema } from '../../db/entities';
import type { Logger } from '../../log';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import {
  ESIM_ORDER_WORKFLOW_TYPE,
  EsimOrderAccepted,
  EsimOrderInput,
  EsimOrderRequest,
  EsimOrderSettings,
  esimOrderWorkflowId,
  EsimOrderView,
  MAX_BULK_ACTIVATIONS,
  submitEsimOrderUpdate,
} from '../../workflows/esimOrders/contract';
import type { esimOrderWorkflow } from '../../workflows/esimOrders/workflow';
import { HttpError, unavailable } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { startOrJoin } from '../shared/updateWithStart';
import type { FieldProblem } from '../shared/validate';
import { httpErrorOf, orderNotFound } from './failures';
import { EsimOrderAcceptedSchema, EsimOrderBodySchema, EsimOrderViewSchema } from './schema';
import { esimOrderStartDetails } from './startDetails';
import { actingFor } from '../shared/auth';

export const ESIM_PATH = '/esim/v1';

export interface EsimOrderDeps {
  config: Config;
  client: Client;
  orm: Orm;
  logger: Logger;
  taskQueue: string;
}

/**
 * The seed's 400: INVALID_REQUEST_PARAMS, the message naming every wrong field
 * (`input.esim.iccid: must be an ICCID…`) with array indexes in brackets; ICCID
 * problems first, since the ICCID's form is checked before anything else.
 */
function invalidRequestParams(found: FieldProblem[]): HttpError {
  const problems = found
    .map((p) => ({ ...p, field: p.field.replace(/\.(\d+)(?=\.|$)/g, '[$1]') }))
    .sort((a, b) => Number(b.field.includes('iccid')) - Number(a.field.includes('iccid')));
  return new HttpError(400, 'INVALID_REQUEST_PARAMS', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems });
}

const tag = 'eSIM orders';
// Seed 001: resellers order; account managers order for their resellers.
const access = { roles: ['RESELLER', 'ACCOUNT_MANAGER'] } as const;

export function declareEsimOrderRoutes(routes: RouteTable, deps: EsimOrderDeps): void {
  const { orm, logger } = deps;
  routes.name({ EsimOrderBody: EsimOrderBodySchema, EsimOrderAccepted: EsimOrderAcceptedSchema, EsimOrderView: EsimOrderViewSchema });

  routes.declare({
    operationId: 'createEsimOrder',
    method: 'post',
    path: `${ESIM_PATH}/order`,
    tag,
    summary: 'Order a new eSIM, a topup or a bulk activation; answers once the order is accepted',
    access,
    headers: z.object({
      'Idempotency-Key': IdempotencyKeyHeader.describe(
        'Names the order this request creates: a retry with the same key and body answers the same order; the same key with another body is 409. Without it every POST is a new order (seed 001: a second equal TOPUP is a second purchase), so send one to retry safely',
      ),
    }),
    body: EsimOrderBodySchema,
    badRequest: invalidRequestParams,
    responses: {
      201: { description: 'Order created (ACCEPTED); a TOPUP_ACTIVATION answer carries a Deprecation header', schema: EsimOrderAcceptedSchema, headers: ['Deprecation'] },
      400: {
        description: `INVALID_REQUEST_PARAMS: every wrong field named, among them a product repeated on one ICCID and an ICCID past the ${MAX_BULK_ACTIVATIONS} a BULK_ACTIVATION may hold; also a currency the customer does not support (seed 001)`,
      },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: the key was used for another body' },
      422: {
        description:
          'PRODUCT_NOT_FOUND, EMAIL_AND_ICCID_DO_NOT_MATCH (TOPUP: an eSIM the customer does not own; BULK_ACTIVATION: an ICCID neither the customer owns nor in the caller\'s stock unowned, named with its field) or CUSTOMER_MUST_EXIST',
      },
      503: { description: 'Temporal unreachable, or the order is accepted but its checks did not finish in time: send the same request again (same Idempotency-Key) after Retry-After seconds' },
    },
    handle: async ({ body: { input }, headers, principal, correlationId }, res) => {
      if (input.operationType === 'TOPUP_ACTIVATION') {
        // Seed: TOPUP_ACTIVATION still works but is deprecated (RFC 9745 header).
        logger.warn({ correlationId, tenantId: principal.tenantId }, 'deprecated operationType TOPUP_ACTIVATION used; use TOPUP');
        res.setHeader('Deprecation', 'true');
      }
      const order: EsimOrderRequest = { ...input, operationType: input.operationType === 'TOPUP_ACTIVATION' ? 'TOPUP' : input.operationType };
      const hash = requestHash(order);
      // Seed 001: the externalId "is always unique to each order", and a second equal
      // TOPUP is a second purchase. So without an Idempotency-Key every POST is a new
      // order; the key is how a client makes its retries safe.
      const externalId = deriveId(principal.tenantId, 'esim-order', headers['Idempotency-Key'] ?? `once:${randomUUID()}`);
      logger.info({ correlationId, tenantId: principal.tenantId, externalId, workflowId: esimOrderWorkflowId(externalId) }, 'esim order submitted');
      res.status(201).json(await submitOrder(deps, { externalId, tenantId: principal.tenantId, correlationId, requestHash: hash, order, ...actingFor(principal) }));
    },
  });

  routes.declare({
    operationId: 'getEsimOrder',
    method: 'get',
    path: `${ESIM_PATH}/order/{orderId}`,
    tag,
    summary: 'Status and, once COMPLETED, the output of an eSIM order',
    access,
    params: z.object({ orderId: z.string() }),
    responses: {
      200: { description: 'Order information', schema: EsimOrderViewSchema },
      404: { description: 'ORDER_NOT_FOUND (also for another client\'s order)' },
    },
    handle: async ({ params: { orderId }, principal }, res) => {
      const row = await orm.em.fork().findOne(EsimOrderRecordSchema, { externalId: orderId, tenantId: principal.tenantId });
      // Another tenant's order is answered exactly like a missing one: ids must not leak.
      if (!row) throw orderNotFound(orderId);
      const view: EsimOrderView = { externalId: row.externalId, status: row.status as EsimOrderView['status'] };
      if (row.output) view.output = JSON.parse(row.output) as EsimOrderView['output'];
      if (row.reason) view.reason = row.reason;
      res.json(view);
    },
  });
}

function settingsOf(config: Config): EsimOrderSettings {
  const { env } = config;
  return {
    pollInitialInterval: env.ESIM_POLL_INITIAL_INTERVAL,
    pollMaxInterval: env.ESIM_POLL_MAX_INTERVAL,
    profileReadyLimit: env.ESIM_PROFILE_READY_LIMIT,
    bulkConcurrency: env.ESIM_BULK_CONCURRENCY,
    bulkBatchSize: env.ESIM_BULK_BATCH_SIZE,
  };
}

/**
 * Starts `esim-order-<externalId>` or joins it, and returns what its 422 checks decided.
 * ALLOW_DUPLICATE_FAILED_ONLY: a rejected order (422) fails its run and ordered nothing,
 * so the same request may be tried again; an accepted one completes (even when it ends
 * FAILED) and is never started twice; its resend reads it. The seed has no answer for
 * "accepted, still checking", so an order whose checks outlast the deadline is a 503:
 * the resend joins the same workflow and gets the decision.
 */
async function submitOrder(deps: EsimOrderDeps, input: EsimOrderInput): Promise<EsimOrderAccepted> {
  const started = await startOrJoin<typeof esimOrderWorkflow, EsimOrderAccepted>({
    client: deps.client,
    orm: deps.orm,
    workflowType: ESIM_ORDER_WORKFLOW_TYPE,
    workflowId: esimOrderWorkflowId(input.externalId),
    taskQueue: deps.taskQueue,
    args: [input, settingsOf(deps.config)],
    requestHash: input.requestHash,
    family: API_FAMILIES.esim,
    firstStatus: 'CHECKING',
    tenantId: input.tenantId,
    correlationId: input.correlationId,
    impersonatedBy: input.impersonatedBy,
    ui: esimOrderStartDetails(input),
    update: submitEsimOrderUpdate,
    reuse: 'ALLOW_DUPLICATE_FAILED_ONLY',
    answerTimeoutMs: deps.config.env.ESIM_ANSWER_TIMEOUT_MS,
    failures: httpErrorOf,
    what: `eSIM order (externalId ${input.externalId})`,
    style: 'code',
  });
  if (started.kind === 'answered') return started.answer;
  if (started.kind === 'closed') return { externalId: input.externalId, status: 'ACCEPTED' };
  throw unavailable('The order is accepted and its checks are still running; send the same request again to get the answer');
}
