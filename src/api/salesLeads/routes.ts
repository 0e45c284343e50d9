import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Orm } from '../../db/orm';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { CatalogueOfferingSchema, PublicIdSchema, SalesLeadRecordSchema } from '../../db/entities';
import { unknownServiceCause, unknownServices } from '../../domain/salesLeads/assessment';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import {
  LeadAnswer,
  SALES_LEAD_WORKFLOW_TYPE,
  SalesLeadInput,
  salesLeadWorkflowId,
  submitLeadUpdate,
} from '../../workflows/salesLeads/contract';
import type { salesLeadWorkflow } from '../../workflows/salesLeads/workflow';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { startOrJoin } from '../shared/updateWithStart';
import { LeadAnswerSchema, SalesLeadSchema } from './schema';
import { httpErrorOf, leadBadRequest } from './failures';
import { salesLeadStartDetails } from './startDetails';
import { actingFor } from '../shared/auth';

export const SALES_LEADS_PATH = '/2.5/sp_spec/sales_leads';

export interface SalesLeadDeps {
  client: Client;
  orm: Orm;
  taskQueue: string;
  reviewDeadline: Duration;
  /** How long a POST waits for the workflow's first decision before answering "being assessed". */
  leadAnswerTimeoutMs: number;
}

/**
 * Seed 000's example 400, `Unknown service: 'INTERNET'`: products the catalogue does not
 * have, read (never written) by the API before anything starts. The one 400 of this API
 * that depends on data rather than the published schema (docs/http-conventions.md). A
 * lead already taken (its public id recorded) is answered as it was, whatever the
 * catalogue says now. With the database unreachable the lead goes on, as every POST
 * does (src/api/shared/updateWithStart.ts), and the workflow's assessment rejects an
 * unknown product instead.
 */
async function refuseUnknownServices(orm: Orm, lead: SalesLeadInput['lead'], orderId: string): Promise<void> {
  const em = orm.em.fork();
  const ids = [...new Set(lead.products.map((p) => p.productId))];
  let unknown;
  try {
    const known = new Set((await em.find(CatalogueOfferingSchema, { productId: { $in: ids } }, { fields: ['productId'] })).map((o) => o.productId));
    unknown = unknownServices(lead, known);
    if (unknown.length === 0 || (await em.findOne(PublicIdSchema, { workflowId: salesLeadWorkflowId(orderId) }))) return;
  } catch (err) {
    if (isDatabaseUnavailable(err)) return;
    throw err;
  }
  const causes = [...new Set(unknown.map((u) => unknownServiceCause(u.productId)))];
  throw new HttpError(400, causes.join('; '), causes.join(' '), {
    errors: unknown.map((u) => ({ field: `products.${u.index}.productId`, message: unknownServiceCause(u.productId) })),
  });
}

const tag = 'Sales leads';
const access = { roles: ['CO'] } as const;

/** Seed 000: the CO sends a lead and reads its status; `sales-lead-<orderId>` decides. */
export function declareSalesLeadRoutes(routes: RouteTable, deps: SalesLeadDeps): void {
  const { orm } = deps;
  routes.name({ SalesLead: SalesLeadSchema, LeadAnswer: LeadAnswerSchema });

  routes.declare({
    operationId: 'sendSalesLead',
    method: 'post',
    path: `${SALES_LEADS_PATH}/`,
    tag,
    summary: 'Send a sales lead; answers with the service provider\'s first decision',
    access,
    headers: z.object({ 'Idempotency-Key': IdempotencyKeyHeader }),
    body: SalesLeadSchema,
    badRequest: leadBadRequest,
    responses: {
      200: {
        description: 'RECEIVED (accepted or in review), ACTIVATED, or REJECT with a message for the end customer (a well-formed lead that cannot be delivered)',
        schema: LeadAnswerSchema,
      },
      400: {
        description:
          'FAILED with cause and message: a malformed lead, every wrong field named (an identity number that is missing or wrong is the seed\'s "Social security number is missing or incorrect."); ' +
          'also, depending on data and not on this schema, a product the catalogue does not have: cause `Unknown service: \'<productId>\'` (seed 000\'s example)',
      },
      409: { description: 'Idempotency-Key reused with another body' },
    },
    handle: async ({ body: lead, headers, principal, correlationId }, res) => {
      const hash = requestHash(lead);
      // Without an Idempotency-Key the body itself is the key: the same lead sent
      // twice is the same lead, never a second order.
      const orderId = deriveId(principal.tenantId, 'sales-lead', headers['Idempotency-Key'] ?? `body:${hash}`);
      await refuseUnknownServices(orm, lead, orderId);
      res.status(200).json(await submitLead(deps, { orderId, tenantId: principal.tenantId, correlationId, requestHash: hash, lead, ...actingFor(principal) }));
    },
  });

  routes.declare({
    operationId: 'getSalesLead',
    method: 'get',
    path: `${SALES_LEADS_PATH}/{orderId}`,
    tag,
    summary: 'The current status of a sales lead',
    access,
    params: z.object({ orderId: z.string() }),
    responses: {
      200: { description: 'Current status', schema: LeadAnswerSchema },
      404: { description: 'No such lead for this client' },
    },
    handle: async ({ params: { orderId }, principal }, res) => {
      const row = await orm.em.fork().findOne(SalesLeadRecordSchema, { orderId, tenantId: principal.tenantId });
      // Another tenant's lead is answered exactly like a missing one: ids must not leak.
      if (!row) throw new HttpError(404, `Sales lead ${orderId} not found`);
      res.json({ status: row.status, message: row.message, orderId: row.orderId });
    },
  });
}

/**
 * Starts `sales-lead-<orderId>` or joins it and returns what it decided. A finished lead
 * is never started again: its resend reads the final state. No decision in time (no
 * worker running, or a slow registry): once the workflow exists the lead is durably
 * accepted for assessment, so say so rather than fail; the CO polls GET for the decision.
 */
async function submitLead(deps: SalesLeadDeps, input: SalesLeadInput): Promise<LeadAnswer> {
  const workflowId = salesLeadWorkflowId(input.orderId);
  const started = await startOrJoin<typeof salesLeadWorkflow, LeadAnswer>({
    client: deps.client,
    orm: deps.orm,
    workflowType: SALES_LEAD_WORKFLOW_TYPE,
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input, { reviewDeadline: deps.reviewDeadline }],
    requestHash: input.requestHash,
    family: API_FAMILIES.salesLeads,
    firstStatus: 'ASSESSING',
    tenantId: input.tenantId,
    correlationId: input.correlationId,
    impersonatedBy: input.impersonatedBy,
    ui: salesLeadStartDetails(input),
    update: submitLeadUpdate,
    reuse: 'REJECT_DUPLICATE',
    answerTimeoutMs: deps.leadAnswerTimeoutMs,
    failures: httpErrorOf,
    what: `sales lead (orderId ${input.orderId})`,
    style: 'lead',
  });
  if (started.kind === 'answered') return started.answer;
  if (started.kind === 'closed') {
    // What it became is in the read model, which outlives the workflow.
    const row = await deps.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId: input.orderId, tenantId: input.tenantId });
    return { status: row.status as LeadAnswer['status'], message: row.message, orderId: row.orderId };
  }
  return { status: 'RECEIVED', message: 'The sales lead is received and is being assessed.', orderId: input.orderId };
}
