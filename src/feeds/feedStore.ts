// The driver packages re-export MikroORM's knex layer; libsql's is as good as PostgreSQL's for types.
import type { AbstractSqlConnection, Knex } from '@mikro-orm/libsql';
import { isPostgres, Orm } from '../db/orm';

/**
 * The append-only "since" feeds of the price API (seed 002 §4 and §5): completed
 * inquiries and orders, served in the order they completed. This module is the only
 * way in or out of `feed_entries`; there is deliberately no ORM entity for it, so no
 * unit of work can ever flush an update to a row a client has already read.
 *
 * The invariants (DESIGN.md, "The feeds") and where each one lives:
 * 1. append-only: database triggers (migration) refuse UPDATE/DELETE;
 * 2. idempotent: primary key (feed, entity_id); a retried append returns the row that exists;
 * 3. doneDateTime strictly increasing per feed and visible in that order: assigned
 *    here as max(now, last + 1 ms) while appends to the feed are serialised, so an
 *    item commits only after every item before it has (see `append*` below);
 * 4. tenant-scoped: every read filters on tenant_id;
 * 5. bounded: every read has a limit (FEED_LIMIT).
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
}

function knexOf(orm: Orm): Knex {
  return (orm.em.getConnection() as AbstractSqlConnection).getKnex();
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
 */
export async function appendToFeed(orm: Orm, entry: NewFeedEntry): Promise<FeedEntry> {
  const knex = knexOf(orm);
  return isPostgres(orm) ? appendOnPostgres(knex, entry) : appendOnSqlite(knex, entry);
}

/**
 * PostgreSQL runs appends concurrently, and two transactions that pick their
 * doneDateTime first and commit in the other order would let a reader see item N+1,
 * page past it, and never see item N. A transaction-scoped advisory lock per feed
 * makes appends to one feed take turns: the next one reads `last` only after the
 * previous one has committed, so commit order is doneDateTime order. Appends to
 * the other feed, and all readers, are not blocked.
 */
async function appendOnPostgres(knex: Knex, entry: NewFeedEntry): Promise<FeedEntry> {
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`${TABLE}:${entry.feed}`]);
    const existing = await trx<FeedRow>(TABLE).where({ feed: entry.feed, entity_id: entry.entityId }).first();
    if (existing) return toEntry(existing);
    const last = await trx<FeedRow>(TABLE).where({ feed: entry.feed }).max({ ms: 'done_at_ms' }).first();
    const row: FeedRow = {
      feed: entry.feed,
      entity_id: entry.entityId,
      tenant_id: entry.tenantId,
      done_at_ms: Math.max(Date.now(), Number(last?.ms ?? 0) + 1),
      payload: JSON.stringify(entry.payload),
    };
    await trx(TABLE).insert(row);
    return toEntry(row);
  });
}

/**
 * SQLite has one writer at a time, and a single INSERT … SELECT takes the write
 * lock before it reads `last`, so one statement both serialises the append and
 * picks its doneDateTime. ON CONFLICT DO NOTHING keeps a retry from inserting twice.
 * (`where true` resolves SQLite's parsing ambiguity between SELECT and upsert.)
 */
async function appendOnSqlite(knex: Knex, entry: NewFeedEntry): Promise<FeedEntry> {
  await knex.raw(
    `insert into ${TABLE} (feed, entity_id, tenant_id, done_at_ms, payload)
     select ?, ?, ?, max(?, coalesce((select max(done_at_ms) from ${TABLE} where feed = ?), 0) + 1), ?
     where true
     on conflict (feed, entity_id) do nothing`,
    [entry.feed, entry.entityId, entry.tenantId, Date.now(), entry.feed, JSON.stringify(entry.payload)],
  );
  const row = await knex<FeedRow>(TABLE).where({ feed: entry.feed, entity_id: entry.entityId }).first();
  if (!row) throw new Error(`feed append of ${entry.feed}/${entry.entityId} left no row`);
  return toEntry(row);
}

/** One page of a tenant's feed: ascending by doneDateTime, strictly after `since`. */
export async function readFeed(orm: Orm, q: FeedQuery): Promise<FeedEntry[]> {
  const limit = Math.min(Math.max(1, Math.trunc(q.limit)), FEED_LIMIT.max);
  let query = knexOf(orm)<FeedRow>(TABLE).where({ feed: q.feed, tenant_id: q.tenantId });
  if (q.since) query = query.andWhere('done_at_ms', '>', q.since.getTime());
  const rows = await query.orderBy('done_at_ms', 'asc').limit(limit);
  return rows.map(toEntry);
}
