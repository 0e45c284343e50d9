// The driver packages re-export MikroORM's knex layer; libsql's is as good as PostgreSQL's for types.
import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import { isPostgres, Orm } from '../db/orm';
import { itemTemplate, renderFeedItem } from './feedItems';
import { isoOfEpochMs } from './isoTime';

/**
 * The append-only "since" feeds of the price API (seed 002 §4 and §5): completed
 * inquiries and orders, served in the order they completed. This module is the only
 * way in or out of `feed_entries`; there is deliberately no ORM entity for it, so no
 * unit of work can ever flush an update to a row a client has already read.
 *
 * The invariants (DESIGN.md, "The feeds") and where each one lives:
 * 1. append-only: database triggers (migrations) refuse UPDATE/DELETE, and REPLACE on
 *    SQLite; on PostgreSQL the application's role may not bypass them (src/db/appRole.ts);
 * 2. idempotent: primary key (feed, entity_id); a retried append returns the row that exists;
 * 3. doneDateTime strictly increasing per feed and visible in that order: assigned
 *    here as max(now, last + 1 ms) while appends to the feed are serialised, so an
 *    item commits only after every item before it has (see APPEND_ON_* below);
 * 4. tenant-scoped: every read filters on tenant_id;
 * 5. bounded: every read has a limit (FEED_LIMIT).
 *
 * Each row also keeps the item as clients see it, its final JSON text (`item`, written by
 * the append: src/feeds/feedItems.ts), so the database hands a page over as one text.
 */
export type FeedName = 'inquiries' | 'orders';

export interface FeedEntry {
  feed: FeedName;
  entityId: string;
  tenantId: string;
  doneDateTime: Date;
  payload: Record<string, unknown>;
}

export interface NewFeedEntry {
  feed: FeedName;
  entityId: string;
  tenantId: string;
  payload: Record<string, unknown>;
  /** Who really sent the request the item answers, under impersonation: kept beside the item, never in it. */
  impersonatedBy?: string | undefined;
}

export interface FeedQuery {
  feed: FeedName;
  tenantId: string;
  /** Items strictly after this instant (an item done exactly at `since` is excluded, as the seed says). */
  since?: Date | undefined;
  limit: number;
}

export const FEED_LIMIT = { default: 1000, max: 10000 } as const;

const TABLE = 'feed_entries';

interface FeedRow {
  feed: string;
  entity_id: string;
  tenant_id: string;
  done_at_ms: number | string | bigint;
  payload: string;
  /** The item's final JSON text; null on rows appended before the column existed. */
  item: string | null;
}


function toEntry(row: FeedRow): FeedEntry {
  return {
    feed: row.feed as FeedName,
    entityId: row.entity_id,
    tenantId: row.tenant_id,
    // PostgreSQL returns bigint as a string; epoch milliseconds fit a double exactly.
    doneDateTime: new Date(Number(row.done_at_ms)),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

/**
 * Appends a completed item and returns it with its doneDateTime. Idempotent per
 * (feed, entityId): an activity retried after a crash gets the row it wrote before.
 *
 * Appends to one feed must take turns (invariant 3), so each one costs a commit
 * (a WAL flush on PostgreSQL) while the feed is locked. Appends that arrive while
 * one is running are therefore queued and written together in one statement: one
 * commit for the whole group, the same idea as a database's group commit. Items of
 * one group get consecutive doneDateTimes in arrival order.
 */
export function appendToFeed(orm: Orm, entry: NewFeedEntry): Promise<FeedEntry> {
  let perFeed = appenders.get(orm);
  if (!perFeed) appenders.set(orm, (perFeed = new Map()));
  let appender = perFeed.get(entry.feed);
  if (!appender) perFeed.set(entry.feed, (appender = new GroupAppender(orm, entry.feed)));
  return appender.append(entry);
}

const appenders = new WeakMap<Orm, Map<FeedName, GroupAppender>>();

/** Bounds one statement's size; the rest of a long queue goes in the next group. */
const MAX_GROUP = 500;

interface Waiting {
  entry: NewFeedEntry;
  resolve: (e: FeedEntry) => void;
  reject: (err: unknown) => void;
}

class GroupAppender {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    private readonly orm: Orm,
    private readonly feed: FeedName,
  ) {}

  append(entry: NewFeedEntry): Promise<FeedEntry> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      // Let every append issued in this turn of the event loop join the group.
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue.splice(0, MAX_GROUP);
      try {
        const rows = await writeGroup(this.orm, this.feed, group.map((w) => w.entry));
        for (const w of group) w.resolve(rows.get(w.entry.entityId)!);
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    this.writing = false;
  }
}

/** Inserts the group's new items, and returns the row of every item in it, new or already there. */
async function writeGroup(orm: Orm, feed: FeedName, entries: NewFeedEntry[]): Promise<Map<string, FeedEntry>> {
  const conn = orm.em.getConnection() as AbstractSqlConnection;
  // The same item twice in one group (two retries racing) is one item.
  const unique = [...new Map(entries.map((e) => [e.entityId, e])).values()];
  const items = JSON.stringify(
    unique.map((e, i) => {
      const payload = JSON.stringify(e.payload);
      const { head, tail } = itemTemplate(feed, payload);
      return { ord: i + 1, entity_id: e.entityId, tenant_id: e.tenantId, payload, head, tail, impersonated_by: e.impersonatedBy ?? null };
    }),
  );
  const n = unique.length;
  const now = Date.now();
  const inserted = isPostgres(orm)
    ? await conn.execute<FeedRow[]>(APPEND_ON_POSTGRES, [items, feed, now + n - 1, n, feed, n], 'all')
    : await conn.execute<FeedRow[]>(APPEND_ON_SQLITE, [feed, now, feed, items], 'all');
  const rows = new Map(inserted.map((r) => [r.entity_id, toEntry(r)]));
  const missing = unique.filter((e) => !rows.has(e.entityId)).map((e) => e.entityId);
  if (missing.length) {
    // Not inserted: already in the feed (a retried append). Return what is there.
    const existing = await conn.execute<FeedRow[]>(
      `select * from ${TABLE} where feed = ? and entity_id in (${missing.map(() => '?').join(', ')})`,
      [feed, ...missing],
      'all',
    );
    for (const r of existing) rows.set(r.entity_id, toEntry(r));
  }
  for (const id of missing) if (!rows.has(id)) throw new Error(`feed append of ${feed}/${id} left no row`);
  return rows;
}

/**
 * PostgreSQL runs appends concurrently, and two transactions that pick their
 * doneDateTime first and commit in the other order would let a reader see item N+1,
 * page past it, and never see item N. Each feed has a clock row (feed_clocks); the
 * append advances it by the group's size and inserts the group in one statement,
 * and the clock row stays locked until that statement's transaction commits. The
 * next append to the feed (from this process or another) waits for the lock and
 * then reads the committed clock (ON CONFLICT DO UPDATE always sees the latest
 * committed row), so commit order is doneDateTime order. Readers never wait.
 * Parameters: items (JSON), feed, now + n - 1, n, feed, n.
 */
const APPEND_ON_POSTGRES = `
  with items as (
    select * from json_to_recordset(?::json) as t(ord int, entity_id text, tenant_id text, payload text, head text, tail text, impersonated_by text)),
  clock as (
    insert into feed_clocks as c (feed, last_ms) values (?, ?)
    on conflict (feed) do update set last_ms = greatest(c.last_ms + ?, excluded.last_ms)
    returning last_ms)
  insert into ${TABLE} (feed, entity_id, tenant_id, done_at_ms, payload, item, impersonated_by)
  select ?, i.entity_id, i.tenant_id, t.ms, i.payload, i.head || ${isoOfMsOnPostgres('t.ms')} || i.tail, i.impersonated_by
  from items i, clock, lateral (select clock.last_ms - ? + i.ord as ms) t
  on conflict (feed, entity_id) do nothing
  returning *`;

/**
 * SQLite has one writer at a time, and a single INSERT … SELECT takes the write
 * lock before it reads the feed's last doneDateTime, so one statement both
 * serialises the append and picks the times. (`where true` resolves SQLite's
 * parsing ambiguity between SELECT and upsert.) Parameters: feed, now, feed, items (JSON).
 */
const APPEND_ON_SQLITE = `
  insert into ${TABLE} (feed, entity_id, tenant_id, done_at_ms, payload, item, impersonated_by)
  select ?, entity_id, tenant_id, ms, payload, head || ${isoOfMsOnSqlite('ms')} || tail, impersonated_by
  from (select j.value ->> 'entity_id' as entity_id, j.value ->> 'tenant_id' as tenant_id, j.value ->> 'payload' as payload,
               j.value ->> 'head' as head, j.value ->> 'tail' as tail, j.value ->> 'impersonated_by' as impersonated_by,
               max(?, coalesce((select max(done_at_ms) from ${TABLE} where feed = ?), 0) + 1) + (j.value ->> 'ord') - 1 as ms
        from json_each(?) j)
  where true
  on conflict (feed, entity_id) do nothing
  returning *`;

/**
 * SQL for the text `new Date(ms).toISOString()` gives, for epoch milliseconds from 1970
 * to 9999 (every doneDateTime): whole seconds formatted in UTC, then the milliseconds by
 * integer arithmetic, so no floating point is involved. Checked against toISOString on
 * both databases (test/integration/feedStore.test.ts).
 */
export function isoOfMsOnPostgres(ms: string): string {
  return `(to_char(to_timestamp(${ms} / 1000) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((${ms} % 1000)::text, 3, '0') || 'Z')`;
}

export function isoOfMsOnSqlite(ms: string): string {
  return `(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000))`;
}

/** One page of a tenant's feed: ascending by doneDateTime, strictly after `since`. */
export async function readFeed(orm: Orm, q: FeedQuery): Promise<FeedEntry[]> {
  return (await selectPage(orm, q)).map(toEntry);
}

/**
 * One page of a tenant's feed as clients get it: the JSON text of the array of its items,
 * ascending by doneDateTime, strictly after `since`. The database joins the stored item
 * texts into the page (one string, one row), so nothing is parsed, rendered or formatted
 * per item here (docs/benchmarks.md §2). A page that holds a row written before items were
 * stored is read again row by row and those rows are rendered as they always were.
 */
export async function readFeedPage(orm: Orm, q: FeedQuery): Promise<string> {
  const conn = orm.em.getConnection() as AbstractSqlConnection;
  const [page] = await conn.execute<{ items: string | null; n: number | string; stored: number | string }[]>(pageSql(orm), pageParams(q), 'all');
  if (Number(page!.n) === Number(page!.stored)) return `[${page!.items ?? ''}]`;
  const rows = await selectPage(orm, q);
  return `[${rows.map((r) => r.item ?? renderFeedItem(q.feed, r.payload, isoOfEpochMs(Number(r.done_at_ms)))).join(',')}]`;
}

/**
 * The statement readFeedPage runs: the keyset query, its rows' items joined in
 * doneDateTime order, their count, and how many of them have a stored item.
 * Parameters: pageParams. Exported for the benchmark, whose ceiling it is.
 */
export function pageSql(orm: Orm): string {
  const join = isPostgres(orm) ? `string_agg(item, ',' order by done_at_ms)` : `group_concat(item, ',' order by done_at_ms)`;
  return `select ${join} as items, count(*) as n, count(item) as stored
    from (select item, done_at_ms from ${TABLE} where feed = ? and tenant_id = ? and done_at_ms > ? order by done_at_ms limit ?) page`;
}

export function pageParams(q: FeedQuery): [FeedName, string, number, number] {
  return [q.feed, q.tenantId, q.since ? q.since.getTime() : -1, Math.min(Math.max(1, Math.trunc(q.limit)), FEED_LIMIT.max)];
}

function selectPage(orm: Orm, q: FeedQuery): Promise<FeedRow[]> {
  const conn = orm.em.getConnection() as AbstractSqlConnection;
  return conn.execute<FeedRow[]>(
    `select * from ${TABLE} where feed = ? and tenant_id = ? and done_at_ms > ? order by done_at_ms limit ?`,
    pageParams(q),
    'all',
  );
}
