import type { z } from 'zod';
import type { Orm } from '../../db/orm';
import { FeedName, readStoredFeed } from '../../feeds/feedStore';
import { isoOfEpochMs } from '../../feeds/isoTime';
import type { FeedQuerySchema } from './inquiriesSchema';

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
