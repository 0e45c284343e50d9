import { performance } from 'node:perf_hooks';
import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import { appendToFeed, FeedName } from '../src/feeds/feedStore';
import type { Orm } from '../src/db/orm';
import { freshDatabase, TestDatabase } from '../test/support/databases';

/**
 * Benchmark 3 (issue 6): completions per second appended to a feed with the ordering
 * invariant held (appendToFeed: serialised per feed, doneDateTime = max(now, last + 1),
 * queued appends written as one group) against unserialised inserts of the same rows
 * into the same table. Every contender gets the same load: CONCURRENCY completers (as
 * a worker's concurrent activities are), each appending one completion and awaiting it
 * before the next, so each has the same number of completions in flight:
 * - single-row: one INSERT per completion, no ordering; the design without the rule;
 * - grouped: the completions waiting in one event-loop turn go in one INSERT, as
 *   appendToFeed groups them, but groups do not wait for each other and take no lock
 *   or clock: what appendToFeed would be without the ordering.
 * The contenders alternate round by round, so the table's growth and the machine's
 * load fall on all of them alike. Payloads are real order-feed payloads.
 * Target: ≥ 0.8 × the unserialised inserts.
 */
const TOTAL = Number(process.env.BENCH_FEED_APPENDS ?? 10_000);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '32,100').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_FEED_FSYNC=off: commits stop waiting for the disk, to show how much of the ceiling the flush is.
const NO_FSYNC = process.env.BENCH_FEED_FSYNC === 'off';

const payload = (orderId: string) => ({ orderId, state: 'DELIVERED', message: `The connection CONN-${orderId.slice(-8).toUpperCase()} is delivered.` });

/** Appends/s of `TOTAL` completions by `concurrency` completers, each awaiting its own. */
async function rate(concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < TOTAL; i = next++) await work(i);
    }),
  );
  return TOTAL / ((performance.now() - started) / 1000);
}

// Disjoint doneDateTimes per contender, round and load: the feeds share the table's unique indexes.
let nextBase = Date.now() * 1000;

type Row = { feed: string; entity_id: string; tenant_id: string; done_at_ms: number; payload: string };

/** The grouping of appendToFeed (one statement per event-loop turn's arrivals) without its serialisation. */
function unorderedGroups(knex: ReturnType<AbstractSqlConnection['getKnex']>): (row: Row) => Promise<void> {
  let group: { row: Row; done: () => void; failed: (e: unknown) => void }[] = [];
  return (row) =>
    new Promise<void>((done, failed) => {
      if (!group.length) {
        setImmediate(() => {
          const mine = group;
          group = [];
          knex('feed_entries').insert(mine.map((w) => w.row)).then(() => mine.forEach((w) => w.done()), (e: unknown) => mine.forEach((w) => w.failed(e)));
        });
      }
      group.push({ row, done, failed });
    });
}

async function bench(db: TestDatabase, concurrency: number): Promise<void> {
  const orm: Orm = db.orm;
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  const row = (feed: string, prefix: string, base: number, i: number): Row => {
    const id = `${prefix}-${String(i).padStart(8, '0')}`;
    return { feed, entity_id: id, tenant_id: 'bench', done_at_ms: base + i, payload: JSON.stringify(payload(id)) };
  };
  const contenders: { name: string; run: (round: number) => Promise<number> }[] = [
    {
      name: 'unserialised single-row inserts',
      run: (round) => {
        const base = (nextBase += TOTAL);
        return rate(concurrency, (i) => knex('feed_entries').insert(row('single', `s${concurrency}-${round}`, base, i)));
      },
    },
    {
      name: 'unserialised grouped inserts',
      run: (round) => {
        const base = (nextBase += TOTAL);
        const insert = unorderedGroups(knex);
        return rate(concurrency, (i) => insert(row('grouped', `g${concurrency}-${round}`, base, i)));
      },
    },
    {
      name: 'appendToFeed (ordered, idempotent)',
      run: (round) => {
        const feed: FeedName = 'orders';
        const id = (i: number) => `o${concurrency}-${round}-${String(i).padStart(8, '0')}`;
        return rate(concurrency, (i) => appendToFeed(orm, { feed, entityId: id(i), tenantId: 'bench', payload: payload(id(i)) }));
      },
    },
  ];
  const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate who goes first, so none always meets the smallest table or the quietest moment.
    for (let k = 0; k < contenders.length; k += 1) {
      const c = contenders[(round + k) % contenders.length]!;
      rates.get(c.name)!.push(await c.run(round));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${db.name}: ${TOTAL} completions × ${ROUNDS} rounds, ${concurrency} completers`);
  for (const [name, xs] of rates) console.log(`  ${name.padEnd(36)} median ${median(xs).toFixed(0).padStart(6)}/s   rounds ${xs.map((x) => x.toFixed(0)).join(', ')}`);
  const ours = median(rates.get('appendToFeed (ordered, idempotent)')!);
  for (const name of ['unserialised single-row inserts', 'unserialised grouped inserts']) {
    const ratio = ours / median(rates.get(name)!);
    console.log(`  ratio to ${name.padEnd(32)} ${ratio.toFixed(3)} (target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'MISSED'})`);
  }
}

/** Only this benchmark's own database: synchronous_commit off (PostgreSQL), synchronous = normal in WAL mode (libsql). */
async function withoutFsync(db: TestDatabase): Promise<void> {
  const conn = db.orm.em.getConnection();
  if (db.name === 'postgresql') {
    await conn.execute(`alter database "${new URL(db.url).pathname.slice(1)}" set synchronous_commit = off`);
    await db.orm.reconnect();
  } else {
    await conn.execute('pragma synchronous = normal');
  }
  console.log(`${db.name}: commits do not wait for fsync in this run`);
}

async function main(): Promise<void> {
  const kinds: TestDatabase['name'][] = process.env.TEST_POSTGRES_URL ? ['libsql', 'postgresql'] : ['libsql'];
  for (const kind of kinds) {
    const db = await freshDatabase(kind);
    try {
      if (NO_FSYNC) await withoutFsync(db);
      for (const concurrency of CONCURRENCIES) await bench(db, concurrency);
    } finally {
      await db.drop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
