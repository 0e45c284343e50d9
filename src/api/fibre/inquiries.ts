import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import { inquiryViewOf } from '../../db/fibre/inquiryViews';
import type { Orm } from '../../db/orm';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import {
  InquiryView,
  OFFER_INQUIRY_WORKFLOW_TYPE,
  OfferInquiryInput,
  offerInquiryWorkflowId,
  submitInquiryUpdate,
} from '../../workflows/fibre/inquiryContract';
import type { offerInquiryWorkflow } from '../../workflows/fibre/inquiryWorkflow';
import { HttpError } from '../shared/errors';
import { deriveId, IdempotencyKeyHeader, requestHash } from '../shared/idempotency';
import type { RouteTable } from '../shared/routes';
import { startOrJoin, Started } from '../shared/updateWithStart';
import { unprocessable } from './fields';
import { httpErrorOf } from './failures';
import { serveFeed } from './feeds';
import { setResourceHeaders } from './resourceHeaders';
import {
  FeedQuerySchema,
  InquiryFeedItemSchema,
  InquiryViewSchema,
  OfferInquiryBodySchema,
  offerInquiryProblems,
  offerInquiryRequest,
} from './inquiriesSchema';
import { FIBRE_PATH, inquiryLocation } from './paths';
import { offerInquiryStartDetails } from './startDetails';
import { actingFor } from '../shared/auth';

/** What offer inquiries and orders need: settings, Temporal and the read models. */
export interface FibreOrderingDeps {
  config: Config;
  client: Client;
  orm: Orm;
  taskQueue: string;
}

/** A POST answered before the workflow did: durably accepted, read its Location. */
const InquiryAcceptedSchema = z.object({ inquiryId: z.string(), message: z.string() });

const tag = 'Fibre offer inquiries';
const access = { roles: ['CLIENT'] } as const;

/** Seed 002 §4: offer inquiries, answered by `offer-inquiry-<inquiryId>`, and their `since` feed. */
export function declareInquiryRoutes(routes: RouteTable, deps: FibreOrderingDeps): void {
  const { orm } = deps;
  routes.name({ OfferInquiry: OfferInquiryBodySchema, OfferInquiryView: InquiryViewSchema });

  routes.declare({
    operationId: 'sendOfferInquiry',
    method: 'post',
    path: `${FIBRE_PATH}/offerInquiry`,
    tag,
    summary: 'Send an offer inquiry; answered at once, or asynchronously when it carries a comment',
    access,
    headers: z.object({ 'Idempotency-Key': IdempotencyKeyHeader }),
    body: OfferInquiryBodySchema,
    responses: {
      201: {
        description: 'DONE_SUCCESS, DONE_FAILED (with the reason), or WAIT_ASYNC_ANSWER; Last-Modified is its last change',
        schema: InquiryViewSchema,
        headers: ['Location', 'Last-Modified'],
      },
      202: { description: 'Accepted but not answered in time; GET Location for the answer', schema: InquiryAcceptedSchema, headers: ['Location'] },
      400: { description: 'Malformed inquiry, every wrong field named' },
      409: { description: 'Idempotency-Key reused with another body' },
      422: {
        description:
          'Well-formed, but the fields contradict each other, each named: a comment without asyncAnswerAllowed: true, two spellings of a count that differ, no fibre or more than 48, or neither from nor to',
      },
    },
    handle: async ({ body, headers, principal, correlationId }, res) => {
      const problems = offerInquiryProblems(body);
      if (problems.length) throw unprocessable(problems);
      const inquiry = offerInquiryRequest(body);
      // The parsed request is hashed, so the seed's spellings and the corrected ones are the same inquiry.
      const hash = requestHash(inquiry);
      // Without an Idempotency-Key the body itself is the key: the same inquiry sent twice is one inquiry.
      const inquiryId = deriveId(principal.tenantId, 'offer-inquiry', headers['Idempotency-Key'] ?? `body:${hash}`);
      const input: OfferInquiryInput = { inquiryId, tenantId: principal.tenantId, correlationId, requestHash: hash, inquiry, ...actingFor(principal) };
      const started = await submitInquiry(deps, input);
      if (started.kind === 'pending') {
        // Durably accepted, not yet answered (no worker running): the client polls Location.
        res.status(202).location(inquiryLocation(inquiryId)).json({ inquiryId, message: 'The inquiry is received and is being assessed; GET its Location for the answer.' });
        return;
      }
      // Closed: the workflow finished before, started by this same body; its read model is what it became.
      const view = started.kind === 'answered' ? started.answer : await inquiryOf(orm, inquiryId, principal.tenantId);
      setResourceHeaders(res, inquiryLocation(inquiryId), view.status);
      res.status(201).json(view);
    },
  });

  routes.declare({
    operationId: 'getOfferInquiry',
    method: 'get',
    path: `${FIBRE_PATH}/inquiries/{inquiryId}`,
    tag,
    summary: 'The current state of an offer inquiry',
    access,
    params: z.object({ inquiryId: z.string() }),
    responses: {
      200: { description: 'The inquiry; Last-Modified is its last change', schema: InquiryViewSchema, headers: ['Last-Modified'] },
      404: { description: 'No such inquiry for this client' },
    },
    handle: async ({ params: { inquiryId }, principal }, res) => {
      const view = await inquiryOf(orm, inquiryId, principal.tenantId);
      setResourceHeaders(res, undefined, view.status);
      res.json(view);
    },
  });

  routes.declare({
    operationId: 'listAnsweredInquiries',
    method: 'get',
    path: `${FIBRE_PATH}/inquiries`,
    tag,
    summary:
      'Inquiries that got their async answer after `?since=` (exclusive; ISO date-time), oldest first, at most `?limit=` (default 1000, max 10000); immutable: page with since = the last status.doneDateTime',
    access,
    query: FeedQuerySchema,
    responses: {
      200: { description: 'DONE_ASYNC_ANSWER_SUCCESS / DONE_ASYNC_ANSWER_FAILED items', schema: InquiryFeedItemSchema.array() },
      400: { description: '`since` is not an ISO date-time, `limit` is out of range, or a parameter that is not one of these' },
    },
    handle: async ({ query, principal }, res) => {
      await serveFeed(res, orm, 'inquiries', principal.tenantId, query);
    },
  });
}

async function inquiryOf(orm: Orm, inquiryId: string, tenantId: string): Promise<InquiryView> {
  const view = await inquiryViewOf(orm, inquiryId, tenantId);
  // Another tenant's inquiry is answered exactly like a missing one: ids must not leak.
  if (!view) throw new HttpError(404, `Inquiry ${inquiryId} not found`);
  return view;
}

/** Update-with-Start of `offer-inquiry-<inquiryId>`: its `submit` update answers with the inquiry after the first answer. */
function submitInquiry(deps: FibreOrderingDeps, input: OfferInquiryInput): Promise<Started<InquiryView>> {
  const { env } = deps.config;
  return startOrJoin<typeof offerInquiryWorkflow, InquiryView>({
    client: deps.client,
    orm: deps.orm,
    workflowType: OFFER_INQUIRY_WORKFLOW_TYPE,
    workflowId: offerInquiryWorkflowId(input.inquiryId),
    taskQueue: deps.taskQueue,
    args: [input, { asyncAnswerDelay: env.FIBRE_ASYNC_ANSWER_DELAY, offerValidityDays: env.FIBRE_OFFER_VALIDITY_DAYS }],
    requestHash: input.requestHash,
    family: API_FAMILIES.fibre,
    firstStatus: 'ASSESSING',
    tenantId: input.tenantId,
    correlationId: input.correlationId,
    impersonatedBy: input.impersonatedBy,
    ui: offerInquiryStartDetails(input),
    update: submitInquiryUpdate,
    reuse: 'REJECT_DUPLICATE',
    answerTimeoutMs: env.FIBRE_ANSWER_TIMEOUT_MS,
    failures: httpErrorOf,
    what: `offer inquiry (inquiryId ${input.inquiryId})`,
    style: 'cause',
  });
}
