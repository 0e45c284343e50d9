import type { Request, Response } from 'express';
import {
  ApplicationFailure,
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import type { Orm } from '../../db/orm';
import { FeedName, readStoredFeed } from '../../feeds/feedStore';
import { isoOfEpochMs } from '../../feeds/isoTime';
import { InquiryFailure } from '../../workflows/offerInquiry/contract';
import { HttpError } from '../shared/errors';
import { idempotencyKeyReused } from '../shared/idempotency';
import { badRequest, problemsOf } from '../shared/validate';
import { startedBySameRequest, workflowExists } from '../shared/workflowStarts';
import { FeedQuerySchema } from './inquiriesSchema';

/**
 * What the offer-inquiry and fibre-order endpoints share: the one place their
 * workflows' business failures become HTTP answers, the Update-with-Start
 * submission, and the `since` feed read.
 */
const STATUS_OF_FAILURE: Record<string, number> = {
  // The same type for both workflows: a reused Idempotency-Key with another body (idempotencyKeyReused).
  [InquiryFailure.idempotencyKeyReused]: 409,
  // Seed 002 §5: an order on an inquiry that is not the client's, did not succeed or has expired → 409.
  [InquiryFailure.inquiryNotFound]: 409,
  [InquiryFailure.notOrderable]: 409,
  [InquiryFailure.offerExpired]: 409,
  [InquiryFailure.alreadyOrdered]: 409,
};

export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const status = STATUS_OF_FAILURE[err.cause.type];
    // {cause, message} only, as documented (CauseErrorSchema): the cause text already tells the failures apart.
    if (status) return new HttpError(status, err.cause.message, err.cause.message);
  }
  return undefined;
}

export const httpDate = (iso: string): string => new Date(iso).toUTCString();

/** Location and Last-Modified (the last change: doneDateTime once done, orderDateTime before). */
export function setResourceHeaders(res: Response, location: string | undefined, status: { orderDateTime: string; doneDateTime: string | null }): void {
  if (location) res.location(location);
  res.setHeader('Last-Modified', httpDate(status.doneDateTime ?? status.orderDateTime));
}

export type Submitted<T> = { answer: T } | { pending: true };

/**
 * Update-with-Start: starts the workflow or attaches to the running one and returns
 * what its `submit` update returns. USE_EXISTING makes concurrent duplicates one
 * start; REJECT_DUPLICATE keeps a finished one from starting again, and the retry
 * reads what it ended as (`closed`). No answer within `timeoutMs` (no worker
 * running): the request is durably accepted once the workflow exists → `pending`.
 */
export async function submitWithStart<W extends Workflow, T>(
  client: Client,
  timeoutMs: number,
  start: WithStartWorkflowOperation<W>,
  update: UpdateDefinition<T, [{ requestHash: string }]>,
  requestHash: string,
  closed: () => Promise<T>,
): Promise<Submitted<T>> {
  try {
    const answer = await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.executeUpdateWithStart(update, { args: [{ requestHash }], startWorkflowOperation: start }),
    );
    return { answer };
  } catch (err) {
    const mapped = httpErrorOf(err);
    if (mapped) throw mapped;
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { answer: await closed() };
    if (await workflowExists(client, start.options.workflowId)) return { pending: true };
    throw err;
  }
}

/** A finished workflow's memo says which body started it: a retry with another body is a reused key. */
export async function checkSameRequest(client: Client, workflowId: string, requestHash: string, what: string): Promise<void> {
  if (!(await startedBySameRequest(client, workflowId, requestHash))) {
    throw idempotencyKeyReused('cause', `Idempotency-Key was already used for another ${what}.`);
  }
}

/**
 * Seed 002 §4/§5 "since" feeds: ascending by doneDateTime, strictly after `since`,
 * only the client's items, at most `limit`. `render` turns an item's stored payload
 * (JSON text) into the item's JSON text with the feed's doneDateTime in it, the value
 * a client passes as the next `since`. The answer is JSON text: send it as it is.
 */
export async function serveFeed(
  orm: Orm,
  feed: FeedName,
  tenantId: string,
  req: Request,
  render: (payloadJson: string, doneDateTime: string) => string,
): Promise<string> {
  const parsed = FeedQuerySchema.safeParse(req.query);
  if (!parsed.success) throw badRequest(problemsOf(parsed.error));
  const entries = await readStoredFeed(orm, {
    feed,
    tenantId,
    since: parsed.data.since ? new Date(parsed.data.since) : undefined,
    limit: parsed.data.limit,
  });
  return `[${entries.map((e) => render(e.payloadJson, isoOfEpochMs(e.doneAtMs))).join(',')}]`;
}

/**
 * The JSON text of `{...payload, [key]: value}` for a payload stored as the JSON text
 * of an object, written without parsing it: the feeds' payloads are JSON.stringify's
 * output, so the object's closing brace is the text's last character. A key the
 * payload already has appears twice, and JSON.parse keeps the last: the same
 * object as the spread.
 */
export function jsonWithField(objectJson: string, key: string, value: string): string {
  const field = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return objectJson === '{}' ? `{${field}}` : `${objectJson.slice(0, -1)},${field}}`;
}
