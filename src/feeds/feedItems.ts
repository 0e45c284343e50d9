import { randomUUID } from 'node:crypto';
import type { FeedName } from './feedStore';

/**
 * What a client sees of a feed item: the payload the workflow froze at append, with the
 * doneDateTime the feed assigned put where the seed's item shape wants it.
 * - orders (seed 002 §5): `{...payload, doneDateTime}`, written without parsing the payload;
 * - inquiries (§4): `{...payload, status: {...payload.status, doneDateTime}}`.
 *
 * One function for both uses, so they cannot drift apart: appendToFeed stores each new
 * item's final JSON text (the text of renderFeedItem, split around the doneDateTime the
 * database assigns; see itemTemplate), and a feed row written before that column existed is
 * rendered by it at read time (src/feeds/feedStore.ts, readFeedPage).
 */
export function renderFeedItem(feed: FeedName, payloadJson: string, doneDateTime: string): string {
  if (feed === 'orders') return jsonWithField(payloadJson, 'doneDateTime', doneDateTime);
  // The doneDateTime goes inside status here, so this item is parsed and written again.
  const item = JSON.parse(payloadJson) as { status?: Record<string, unknown> };
  return JSON.stringify({ ...item, status: { ...item.status, doneDateTime } });
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

/**
 * renderFeedItem's text as the part before the doneDateTime and the part after it:
 * `head + doneDateTime + tail` is the item, byte for byte, for any doneDateTime. The
 * database assigns doneDateTime inside the append's statement, so the statement writes
 * the item as head || its ISO text || tail. Found by rendering with a random marker in
 * doneDateTime's place; a doneDateTime is ISO text, which JSON writes as it is (no escapes).
 */
export function itemTemplate(feed: FeedName, payloadJson: string): { head: string; tail: string } {
  const marker = randomUUID();
  const parts = renderFeedItem(feed, payloadJson, marker).split(marker);
  if (parts.length !== 2) throw new Error(`feed item template of ${feed}: the marker appears ${parts.length - 1} times`);
  return { head: parts[0]!, tail: parts[1]! };
}
