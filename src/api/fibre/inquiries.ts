import { Router } from 'express';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { Config } from '../../config';
import { FibreInquiryRecordSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import {
  InquiryView,
  OFFER_INQUIRY_WORKFLOW_TYPE,
  OfferInquiryInput,
  OfferInquiryRequest,
  offerInquiryWorkflowId,
  submitInquiryUpdate,
} from '../../workflows/offerInquiry/contract';
import type { offerInquiryWorkflow } from '../../workflows/offerInquiry/workflow';
import type { Authenticator, Principal } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { deriveId, idempotencyKeyOf, requestHash } from '../shared/idempotency';
import type { OpenApiRegistry } from '../shared/openapi';
import { validateBody } from '../shared/validate';
import { checkSameRequest, serveFeed, setResourceHeaders, submitWithStart } from './inquiriesAndOrders';
import { CauseErrorSchema, InquiryFeedItemSchema, InquiryViewSchema, OfferInquirySchema } from './inquiriesSchema';
import { offerInquiryStartDetails } from './startDetails';

export const API_BASE = '/api/1.0';

/** What offer inquiries and orders need beyond the reference endpoints: settings and Temporal. */
export interface FibreOrderingDeps {
  config: Config;
  client: Client;
  taskQueue: string;
}

export interface FibreInquiryDeps extends FibreOrderingDeps {
  orm: Orm;
  auth: Authenticator;
  openapi: OpenApiRegistry;
}

/** Seed 002 §4: offer inquiries, answered by `offer-inquiry-<inquiryId>`, and their `since` feed. */
export function fibreInquiriesRouter(deps: FibreInquiryDeps): Router {
  const { orm, auth, openapi } = deps;
  const router = Router();
  const needsClient = auth.require('CLIENT');

  router.post('/offerInquiry', needsClient, validateBody(OfferInquirySchema), async (req, res) => {
    const principal = res.locals.principal as Principal;
    const inquiry = res.locals.body as OfferInquiryRequest;
    // The parsed request is hashed, so the seed's spellings and the corrected ones are the same inquiry.
    const hash = requestHash(inquiry);
    // Without an Idempotency-Key the body itself is the key: the same inquiry sent twice is one inquiry.
    const key = idempotencyKeyOf(req) ?? `body:${hash}`;
    const inquiryId = deriveId(principal.tenantId, 'offer-inquiry', key);
    const input: OfferInquiryInput = { inquiryId, tenantId: principal.tenantId, correlationId: res.locals.correlationId as string, requestHash: hash, inquiry };
    const location = `${API_BASE}/inquiries/${inquiryId}`;
    const submitted = await submitInquiry(deps, input);
    if ('pending' in submitted) {
      // Durably accepted, not yet answered (no worker running): the client polls Location.
      res.status(202).location(location).json({ inquiryId, message: 'The inquiry is received and is being assessed; GET its Location for the answer.' });
      return;
    }
    setResourceHeaders(res, location, submitted.answer.status);
    res.status(201).json(submitted.answer);
  });

  router.get('/inquiries/:inquiryId', needsClient, async (req, res) => {
    const principal = res.locals.principal as Principal;
    const view = await inquiryOf(orm, String(req.params.inquiryId), principal.tenantId);
    setResourceHeaders(res, undefined, view.status);
    res.json(view);
  });

  router.get(['/inquiries', '/inquiries/'], needsClient, async (req, res) => {
    const principal = res.locals.principal as Principal;
    res.type('json').send(
      // The doneDateTime goes inside status here, so this item is parsed and written again.
      await serveFeed(orm, 'inquiries', principal.tenantId, req, (payload, doneDateTime) => {
        const item = JSON.parse(payload) as { status: Record<string, unknown> };
        return JSON.stringify({ ...item, status: { ...item.status, doneDateTime } });
      }),
    );
  });

  const headers = { 'Idempotency-Key': 'Retries with the same key and body return the same inquiry', 'X-Correlation-ID': 'Echoed; set on the workflow' };
  openapi.add({
    method: 'post',
    path: `${API_BASE}/offerInquiry`,
    tag: 'Fibre offer inquiries',
    summary: 'Send an offer inquiry; answered at once, or asynchronously when it carries a comment',
    security: 'bearer',
    headers,
    body: OfferInquirySchema,
    responses: {
      201: { description: 'DONE_SUCCESS, DONE_FAILED (with the reason), or WAIT_ASYNC_ANSWER', schema: InquiryViewSchema },
      202: { description: 'Accepted but not answered in time; GET Location for the answer' },
      400: { description: 'Malformed inquiry, every wrong field named (a comment needs asyncAnswerAllowed: true)', schema: CauseErrorSchema },
      401: { description: 'Missing or invalid token', schema: CauseErrorSchema },
      403: { description: 'The token lacks the CLIENT role', schema: CauseErrorSchema },
      409: { description: 'Idempotency-Key reused with another body', schema: CauseErrorSchema },
    },
  });
  openapi.add({
    method: 'get',
    path: `${API_BASE}/inquiries/{inquiryId}`,
    tag: 'Fibre offer inquiries',
    summary: 'The current state of an offer inquiry',
    security: 'bearer',
    responses: {
      200: { description: 'The inquiry; Last-Modified is its last change', schema: InquiryViewSchema },
      404: { description: 'No such inquiry for this client', schema: CauseErrorSchema },
    },
  });
  openapi.add({
    method: 'get',
    path: `${API_BASE}/inquiries`,
    tag: 'Fibre offer inquiries',
    summary: 'Inquiries that got their async answer after `?since=` (exclusive; ISO date-time), oldest first, at most `?limit=` (default 1000, max 10000); immutable: page with since = the last status.doneDateTime',
    security: 'bearer',
    query: { since: 'ISO 8601 date-time; items done strictly after it', limit: 'Page size, 1 to 10000 (default 1000)' },
    responses: {
      200: { description: 'DONE_ASYNC_ANSWER_SUCCESS / DONE_ASYNC_ANSWER_FAILED items', schema: InquiryFeedItemSchema.array() },
      400: { description: '`since` is not an ISO date-time, or `limit` is out of range', schema: CauseErrorSchema },
    },
  });
  return router;
}

async function inquiryOf(orm: Orm, inquiryId: string, tenantId: string): Promise<InquiryView> {
  const row = await orm.em.fork().findOne(FibreInquiryRecordSchema, { inquiryId, tenantId });
  // Another tenant's inquiry is answered exactly like a missing one: ids must not leak.
  if (!row) throw new HttpError(404, `Inquiry ${inquiryId} not found`);
  return JSON.parse(row.view) as InquiryView;
}

/** Update-with-Start of `offer-inquiry-<inquiryId>`. */
async function submitInquiry(deps: FibreInquiryDeps, input: OfferInquiryInput) {
  const { env } = deps.config;
  const workflowId = offerInquiryWorkflowId(input.inquiryId);
  const ui = offerInquiryStartDetails(input);
  const start = new WithStartWorkflowOperation<typeof offerInquiryWorkflow>(OFFER_INQUIRY_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input, { asyncAnswerDelay: env.FIBRE_ASYNC_ANSWER_DELAY, offerValidityDays: env.FIBRE_OFFER_VALIDITY_DAYS }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { requestHash: input.requestHash },
    typedSearchAttributes: startSearchAttributes(API_FAMILIES.fibre, 'ASSESSING', { ...input, businessReference: ui.businessReference }),
    staticSummary: ui.summary,
    staticDetails: ui.details,
  });
  return submitWithStart(deps.client, env.FIBRE_ANSWER_TIMEOUT_MS, start, submitInquiryUpdate, input.requestHash, async () => {
    await checkSameRequest(deps.client, workflowId, input.requestHash, `offer inquiry (inquiryId ${input.inquiryId})`);
    return inquiryOf(deps.orm, input.inquiryId, input.tenantId);
  });
}
