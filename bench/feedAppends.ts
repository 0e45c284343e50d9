import { performance } from 'node:perf_hooks';
import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import { appendToFeed } from '../src/feeds/feedStore';
import type { Orm } from '../src/db/orm';
import { freshDatabase, TestDatabase } from '../test/support/databases';

/**
 * Benchmark 3 (issue 6): completions per second appended to a feed with the
 * ordering invariant held (appendToFeed: serialised per feed, doneDateTime = max(now,
 * last + 1), grouped) against unserialised inserts of the same rows into the same
 * table at the same concurrency, one row per statement and grouped as appendToFeed
 * groups them. Target: ratio ≥ 0.8 against both.
 */
const TOTAL = Number(process.env.BENCH_FEED_APPENDS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

async function run(label: string, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < TOTAL; i = next++) await work(i);
    }),
  );
  const perSecond = TOTAL / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(34)} ${perSecond.toFixed(0).padStart(7)} appends/s`);
  return perSecond;
}

async function bench(db: TestDatabase): Promise<void> {
  const orm: Orm = db.orm;
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  console.log(`${db.name}: ${TOTAL} completions, concurrency ${CONCURRENCY}`);
  const base = Date.now() * 1000;
  const raw = await run('unserialised single-row inserts', (i) =>
    knex('feed_entries').insert({ feed: 'inquiries', entity_id: `raw-${i}`, tenant_id: 'bench', done_at_ms: base + i, payload: '{"i":1}' }),
  );
  // The same grouping appendToFeed does (one statement per CONCURRENCY items), minus the ordering.
  const grouped = await run('unserialised grouped inserts', async (i) => {
    if (i % CONCURRENCY) return;
    const rows = Array.from({ length: Math.min(CONCURRENCY, TOTAL - i) }, (_, k) => ({
      feed: 'grouped', entity_id: `grp-${i + k}`, tenant_id: 'bench', done_at_ms: base + i + k, payload: '{"i":1}',
    }));
    await knex('feed_entries').insert(rows);
  });
  const ours = await run('appendToFeed (ordered, idempotent)', (i) =>
    appendToFeed(orm, { feed: 'orders', entityId: `ord-${i}`, tenantId: 'bench', payload: { i: 1 } }),
  );
  console.log(`  ratio to grouped inserts ${(ours / grouped).toFixed(2)} (target ≥ 0.80)`);
  console.log(`  ratio to single-row inserts ${(ours / raw).toFixed(2)} (target ≥ 0.80)`);
}

async function main(): Promise<void> {
  const kinds: TestDatabase['name'][] = process.env.TEST_POSTGRES_URL ? ['libsql', 'postgresql'] : ['libsql'];
  for (const kind of kinds) {
    const db = await freshDatabase(kind);
    try {
      await bench(db);
    } finally {
      await db.drop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
