import { Router } from 'express';
import {
  ApplicationFailure,
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Orm } from '../../db/orm';
import { SalesLeadRecordSchema } from '../../db/entities';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import {
  LeadAnswer,
  LeadFailure,
  SALES_LEAD_WORKFLOW_TYPE,
  SalesLead,
  SalesLeadInput,
  salesLeadWorkflowId,
  statusQuery,
  submitLeadUpdate,
} from '../../workflows/salesLead/contract';
import type { salesLeadWorkflow } from '../../workflows/salesLead/workflow';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, idempotencyKeyOf, idempotencyKeyReused, requestHash } from '../shared/idempotency';
import type { OpenApiRegistry } from '../shared/openapi';
import { validateBody } from '../shared/validate';
import { startedBySameRequest, workflowExists } from '../shared/workflowStarts';
import { CauseErrorSchema, LeadAnswerSchema, SalesLeadSchema } from './schema';
import { salesLeadStartDetails } from './startDetails';

export const SALES_LEADS_PATH = '/2.5/sp_spec/sales_leads';

export interface SalesLeadDeps {
  client: Client;
  orm: Orm;
  auth: Authenticator;
  taskQueue: string;
  reviewDeadline: Duration;
  /** How long a POST waits for the workflow's first decision before answering "being assessed". */
  leadAnswerTimeoutMs: number;
  openapi: OpenApiRegistry;
}

export function salesLeadsRouter(deps: SalesLeadDeps): Router {
  const { client, orm, auth, openapi } = deps;
  const router = Router();
  const needsCo = auth.require('CO');

  router.post(['/', ''], needsCo, validateBody(SalesLeadSchema), async (req, res) => {
    const principal = res.locals.principal as Principal;
    const lead = res.locals.body as SalesLead;
    const hash = requestHash(lead);
    // Without an Idempotency-Key the body itself is the key: the same lead sent
    // twice is the same lead, never a second order.
    const key = idempotencyKeyOf(req) ?? `body:${hash}`;
    const orderId = deriveId(principal.tenantId, 'sales-lead', key);
    const answer = await submitLead(deps, {
      orderId,
      tenantId: principal.tenantId,
      correlationId: res.locals.correlationId as string,
      requestHash: hash,
      lead,
    });
    res.status(200).json(answer);
  });

  router.get('/:orderId', needsCo, async (req, res) => {
    const principal = res.locals.principal as Principal;
    const orderId = String(req.params.orderId);
    const row = await orm.em.fork().findOne(SalesLeadRecordSchema, { orderId, tenantId: principal.tenantId });
    // Another tenant's lead is answered exactly like a missing one: ids must not leak.
    if (!row) throw new HttpError(404, `Sales lead ${orderId} not found`);
    res.json({ status: row.status, message: row.message, orderId: row.orderId });
  });

  openapi.add({
    method: 'post',
    path: `${SALES_LEADS_PATH}/`,
    tag: 'Sales leads',
    summary: 'Send a sales lead; answers with the service provider\'s first decision',
    security: 'bearer',
    headers: { 'Idempotency-Key': 'Retries with the same key and body return the same lead', 'X-Correlation-ID': 'Echoed; set on the workflow' },
    body: SalesLeadSchema,
    responses: {
      200: { description: 'RECEIVED (accepted or in review), ACTIVATED, or REJECT with a message for the end customer', schema: LeadAnswerSchema },
      400: { description: 'FAILED: malformed lead, every wrong field named', schema: CauseErrorSchema },
      401: { description: 'Missing or invalid token', schema: CauseErrorSchema },
      403: { description: 'The token lacks the CO role', schema: CauseErrorSchema },
      409: { description: 'Idempotency-Key reused with another body', schema: CauseErrorSchema },
      429: { description: 'Too many requests; honour Retry-After', schema: CauseErrorSchema },
    },
  });
  openapi.add({
    method: 'get',
    path: `${SALES_LEADS_PATH}/{orderId}`,
    tag: 'Sales leads',
    summary: 'The current status of a sales lead',
    security: 'bearer',
    responses: {
      200: { description: 'Current status', schema: LeadAnswerSchema },
      404: { description: 'No such lead for this client', schema: CauseErrorSchema },
    },
  });
  return router;
}

/**
 * Update-with-Start: starts `sales-lead-<orderId>` or attaches to the running one,
 * and returns what the workflow decided. USE_EXISTING makes concurrent duplicates
 * one start (each update just reads the decision); REJECT_DUPLICATE keeps a
 * finished lead from ever being started again, and the retry reads its final state.
 * The update id is left random on purpose: a fixed one would make the server replay
 * the first (stale) outcome to a retry that arrives after the lead finished.
 */
async function submitLead(deps: SalesLeadDeps, input: SalesLeadInput): Promise<LeadAnswer> {
  const workflowId = salesLeadWorkflowId(input.orderId);
  const ui = salesLeadStartDetails(input);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof salesLeadWorkflow>(SALES_LEAD_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input, { reviewDeadline: deps.reviewDeadline }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { requestHash: input.requestHash },
    typedSearchAttributes: startSearchAttributes(API_FAMILIES.salesLeads, 'ASSESSING', { ...input, businessReference: ui.businessReference }),
    staticSummary: ui.summary,
    staticDetails: ui.details,
  });
  try {
    return await deps.client.withDeadline(Date.now() + deps.leadAnswerTimeoutMs, () =>
      deps.client.workflow.executeUpdateWithStart(submitLeadUpdate, {
        args: [{ requestHash: input.requestHash }],
        startWorkflowOperation,
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      if (err.cause.type === LeadFailure.idempotencyKeyReused) throw idempotencyKeyReused('cause', err.cause.message);
    }
    if (err instanceof WorkflowExecutionAlreadyStartedError) return answerOfClosedLead(deps.client, workflowId, input);
    // No decision in time (no worker running, or a slow registry): once the workflow
    // exists the lead is durably accepted for assessment, so say so rather than fail;
    // the CO polls GET for the decision.
    if (await workflowExists(deps.client, workflowId)) {
      return { status: 'RECEIVED', message: 'The sales lead is received and is being assessed.', orderId: input.orderId };
    }
    throw err;
  }
}

/** The lead already finished: answer with its final state, if the retry carries the same body. */
async function answerOfClosedLead(client: Client, workflowId: string, input: SalesLeadInput): Promise<LeadAnswer> {
  if (!(await startedBySameRequest(client, workflowId, input.requestHash))) {
    throw idempotencyKeyReused('cause', `Idempotency-Key was already used for another sales lead (orderId ${input.orderId}).`);
  }
  return client.workflow.getHandle(workflowId).query(statusQuery);
}
