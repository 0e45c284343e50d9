import { RequestHandler, Router } from 'express';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { EsimOrderRecordSchema } from '../../db/entities';
import type { Logger } from '../../log';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import {
  ESIM_ORDER_WORKFLOW_TYPE,
  EsimOrderAccepted,
  EsimOrderInput,
  EsimOrderRequest,
  EsimOrderSettings,
  esimOrderWorkflowId,
  EsimOrderView,
  submitEsimOrderUpdate,
} from '../../workflows/esimOrder/contract';
import type { esimOrderWorkflow } from '../../workflows/esimOrder/workflow';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, idempotencyKeyOf, requestHash } from '../shared/idempotency';
import type { OpenApiRegistry } from '../shared/openapi';
import { problemsOf } from '../shared/validate';
import { startedBySameRequest } from '../shared/workflowStarts';
import { httpErrorOfUpdateFailure, orderNotFound, reusedKey } from './failures';
import { CodeErrorSchema, EsimOrderAcceptedSchema, EsimOrderBody, EsimOrderBodySchema, EsimOrderViewSchema } from './schema';
import { esimOrderStartDetails } from './startDetails';

export const ESIM_PATH = '/esim/v1';

export interface EsimOrderDeps {
  config: Config;
  client: Client;
  orm: Orm;
  auth: Authenticator;
  logger: Logger;
  taskQueue: string;
  openapi: OpenApiRegistry;
}

/**
 * Parses `{"input": {...}}` once. The 400 message names every wrong field
 * (`input.esim.iccid: must be an ICCID…`); ICCID problems come first, since the
 * issue asks for the ICCID form to be checked before anything else.
 */
const validateOrder: RequestHandler = (req, res, next) => {
  const parsed = EsimOrderBodySchema.safeParse(req.body ?? undefined);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error)
      .map((p) => ({ ...p, field: p.field.replace(/\.(\d+)(?=\.|$)/g, '[$1]') }))
      .sort((a, b) => Number(b.field.includes('iccid')) - Number(a.field.includes('iccid')));
    const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new HttpError(400, 'INVALID_REQUEST_PARAMS', message, { errors: problems });
  }
  res.locals.body = parsed.data;
  next();
};

export function esimOrdersRouter(deps: EsimOrderDeps): Router {
  const { orm, auth, openapi, logger } = deps;
  const router = Router();
  const needsReseller = auth.require('RESELLER', 'ACCOUNT_MANAGER');

  router.post('/order', needsReseller, validateOrder, async (req, res) => {
    const principal = res.locals.principal as Principal;
    const correlationId = res.locals.correlationId as string;
    const { input } = res.locals.body as EsimOrderBody;
    if (input.operationType === 'TOPUP_ACTIVATION') {
      // Seed: TOPUP_ACTIVATION still works but is deprecated (RFC 9745 header).
      logger.warn({ correlationId, tenantId: principal.tenantId }, 'deprecated operationType TOPUP_ACTIVATION used; use TOPUP');
      res.setHeader('Deprecation', 'true');
    }
    const order: EsimOrderRequest = { ...input, operationType: input.operationType === 'TOPUP_ACTIVATION' ? 'TOPUP' : input.operationType };
    const hash = requestHash(order);
    // Without an Idempotency-Key the body is the key (as for sales leads): the same
    // order sent twice is one order. A client that wants two equal orders sends two keys.
    const key = idempotencyKeyOf(req) ?? `body:${hash}`;
    const externalId = deriveId(principal.tenantId, 'esim-order', key);
    logger.info({ correlationId, tenantId: principal.tenantId, externalId, workflowId: esimOrderWorkflowId(externalId) }, 'esim order submitted');
    const answer = await submitOrder(deps, { externalId, tenantId: principal.tenantId, correlationId, requestHash: hash, order });
    res.status(201).json(answer);
  });

  router.get('/order/:orderId', needsReseller, async (req, res) => {
    const principal = res.locals.principal as Principal;
    const orderId = String(req.params.orderId);
    const row = await orm.em.fork().findOne(EsimOrderRecordSchema, { externalId: orderId, tenantId: principal.tenantId });
    // Another tenant's order is answered exactly like a missing one: ids must not leak.
    if (!row) throw orderNotFound(orderId);
    const view: EsimOrderView = { externalId: row.externalId, status: row.status as EsimOrderView['status'] };
    if (row.output) view.output = JSON.parse(row.output) as EsimOrderView['output'];
    if (row.reason) view.reason = row.reason;
    res.json(view);
  });

  openapi.add({
    method: 'post',
    path: `${ESIM_PATH}/order`,
    tag: 'eSIM orders',
    summary: 'Order a new eSIM, a topup or a bulk activation; answers once the order is accepted',
    security: 'bearer',
    headers: { 'Idempotency-Key': 'Retries with the same key and body return the same order', 'X-Correlation-ID': 'Echoed; set on the workflow' },
    body: EsimOrderBodySchema,
    responses: {
      201: { description: 'Order created (ACCEPTED); a TOPUP_ACTIVATION answer carries a Deprecation header', schema: EsimOrderAcceptedSchema },
      400: { description: 'INVALID_REQUEST_PARAMS: every wrong field named', schema: CodeErrorSchema },
      401: { description: 'Missing or invalid token', schema: CodeErrorSchema },
      403: { description: 'The token lacks the RESELLER or ACCOUNT_MANAGER role', schema: CodeErrorSchema },
      409: { description: 'IDEMPOTENCY_KEY_REUSED: the key was used for another body', schema: CodeErrorSchema },
      422: { description: 'PRODUCT_NOT_FOUND, EMAIL_AND_ICCID_DO_NOT_MATCH or CUSTOMER_MUST_EXIST', schema: CodeErrorSchema },
      500: { description: 'INTERNAL_ERROR with an error id that is in the logs', schema: CodeErrorSchema },
      503: { description: 'Temporal unreachable or no answer in time: retry with the same Idempotency-Key', schema: CodeErrorSchema },
    },
  });
  openapi.add({
    method: 'get',
    path: `${ESIM_PATH}/order/{orderId}`,
    tag: 'eSIM orders',
    summary: 'Status and, once COMPLETED, the output of an eSIM order',
    security: 'bearer',
    responses: {
      200: { description: 'Order information', schema: EsimOrderViewSchema },
      404: { description: 'ORDER_NOT_FOUND (also for another client\'s order)', schema: CodeErrorSchema },
    },
  });
  return router;
}

function settingsOf(config: Config): EsimOrderSettings {
  const { env } = config;
  return {
    pollInitialInterval: env.ESIM_POLL_INITIAL_INTERVAL,
    pollMaxInterval: env.ESIM_POLL_MAX_INTERVAL,
    profileReadyLimit: env.ESIM_PROFILE_READY_LIMIT,
    bulkConcurrency: env.ESIM_BULK_CONCURRENCY,
  };
}

/**
 * Update-with-Start: starts `esim-order-<externalId>` or attaches to the running one,
 * and returns what its 422 checks decided. USE_EXISTING makes concurrent duplicates
 * one start. ALLOW_DUPLICATE_FAILED_ONLY: a rejected order (422) fails its run and
 * ordered nothing, so the same request may be tried again; an accepted one completes
 * (even when it ends FAILED) and is never started twice; its retry reads it.
 */
async function submitOrder(deps: EsimOrderDeps, input: EsimOrderInput): Promise<EsimOrderAccepted> {
  const workflowId = esimOrderWorkflowId(input.externalId);
  const ui = esimOrderStartDetails(input);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof esimOrderWorkflow>(ESIM_ORDER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input, settingsOf(deps.config)],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    memo: { requestHash: input.requestHash },
    typedSearchAttributes: startSearchAttributes(API_FAMILIES.esim, 'CHECKING', { ...input, businessReference: ui.businessReference }),
    staticSummary: ui.summary,
    staticDetails: ui.details,
  });
  try {
    // Past the deadline the gRPC DEADLINE_EXCEEDED becomes 503 + Retry-After (shared
    // error handler): the order may be running; a retry with the same key attaches to it.
    return await deps.client.withDeadline(Date.now() + deps.config.env.ESIM_ANSWER_TIMEOUT_MS, () =>
      deps.client.workflow.executeUpdateWithStart(submitEsimOrderUpdate, {
        args: [{ requestHash: input.requestHash }],
        startWorkflowOperation,
      }),
    );
  } catch (err) {
    const mapped = httpErrorOfUpdateFailure(err);
    if (mapped) throw mapped;
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      if (!(await startedBySameRequest(deps.client, workflowId, input.requestHash))) throw reusedKey(input.externalId);
      return { externalId: input.externalId, status: 'ACCEPTED' };
    }
    throw err;
  }
}
