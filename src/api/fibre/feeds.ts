import type { Response } from 'express';
import type { z } from 'zod';
import type { Orm } from '../../db/orm';
import { FeedName, readFeedPage } from '../../feeds/feedStore';
import type { FeedQuerySchema } from './inquiriesSchema';

/**
 * Seed 002 §4/§5 "since" feeds: ascending by doneDateTime, strictly after `since`,
 * only the client's items, at most `limit`. The page comes from the database as the
 * JSON text of the answer (each item's text frozen at append, doneDateTime included:
 * src/feeds/feedItems.ts) and is sent as it is.
 *
 * Sent without an ETag, where Express's res.send would hash the whole page (a 1000-item
 * page is ~165 KB) to make one no client uses: the documented client loop asks with the
 * last doneDateTime it read, so a poll with nothing new is `[]` already and a 304 would
 * save nothing (docs/fibre.md, "The since-feeds").
 */
export async function serveFeed(res: Response, orm: Orm, feed: FeedName, tenantId: string, query: z.output<typeof FeedQuerySchema>): Promise<void> {
  const page = await readFeedPage(orm, {
    feed,
    tenantId,
    since: query.since ? new Date(query.since) : undefined,
    limit: query.limit,
  });
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(page));
  res.end(page);
}
