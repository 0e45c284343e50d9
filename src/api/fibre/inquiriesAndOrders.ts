import type { Response } from 'express';
import type { z } from 'zod';
import type { Orm } from '../../db/orm';
import { FeedName, readStoredFeed } from '../../feeds/feedStore';
import { isoOfEpochMs } from '../../feeds/isoTime';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { InquiryFailure } from '../../workflows/fibre/inquiryContract';
import { OrderFailure } from '../../workflows/fibre/orderContract';
import type { HttpError } from '../shared/errors';
import { failureMap } from '../shared/updateWithStart';
import { unprocessable } from './fields';
import type { FeedQuerySchema } from './inquiriesSchema';

/**
 * What the offer-inquiry and fibre-order endpoints share: the one place their
 * workflows' business failures become HTTP answers, their resource headers, and the
 * `since` feed read.
 */

/**
 * The fibre workflows' typed failures as HTTP answers, `{cause, message}` with the
 * failure's message as the cause. Seed 002 §5: an order on an inquiry that is not the
 * client's, did not succeed, has expired or is already ordered is a conflict with the
 * inquiry's state, 409. A reused Idempotency-Key (409 too) needs no entry. An order's
 * invoiceGroupId that is not the client's is well-formed but not usable with this
 * client's data: 422 naming the field (README, HTTP conventions), like a 400's fields.
 */
const inquiryConflicts = failureMap('cause', {
  [InquiryFailure.inquiryNotFound]: 409,
  [InquiryFailure.notOrderable]: 409,
  [InquiryFailure.offerExpired]: 409,
  [InquiryFailure.alreadyOrdered]: 409,
});

export function fibreFailures(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === OrderFailure.invoiceGroupNotFound) {
    return unprocessable([{ field: 'invoiceGroupId', message: err.cause.message }]);
  }
  return inquiryConflicts(err);
}

export const httpDate = (iso: string): string => new Date(iso).toUTCString();

/** Location and Last-Modified (the last change: doneDateTime once done, orderDateTime before). */
export function setResourceHeaders(res: Response, location: string | undefined, status: { orderDateTime: string; doneDateTime: string | null }): void {
  if (location) res.location(location);
  res.setHeader('Last-Modified', httpDate(status.doneDateTime ?? status.orderDateTime));
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
  query: z.output<typeof FeedQuerySchema>,
  render: (payloadJson: string, doneDateTime: string) => string,
): Promise<string> {
  const entries = await readStoredFeed(orm, {
    feed,
    tenantId,
    since: query.since ? new Date(query.since) : undefined,
    limit: query.limit,
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
