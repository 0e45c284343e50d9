import { spawn } from 'node:child_process';
import { appendToFeed, FeedEntry, FeedName, isoOfMsOnPostgres, isoOfMsOnSqlite, readFeed, readFeedPage } from '../../src/feeds/feedStore';
import { renderFeedItem } from '../../src/feeds/feedItems';
import { isPostgres, openOrm, Orm } from '../../src/db/orm';
import { DATABASE_KINDS, freshDatabase, TestDatabase } from '../support/databases';

/**
 * The five feed invariants of DESIGN.md, proved on each database: these are the
 * promises the seed makes to a client that pages with "next since = last doneDateTime".
 */
describe.each(DATABASE_KINDS)('the append-only feed store on %s', (kind) => {
  let db: TestDatabase;
  let orm: Orm;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    orm = db.orm;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const item = (feed: FeedName, entityId: string, tenantId = 'demo') =>
    appendToFeed(orm, { feed, entityId, tenantId, payload: { id: entityId, state: 'DONE' } });
  const ids = (entries: FeedEntry[]) => entries.map((e) => e.entityId);
  const count = async (entityId: string) =>
    Number(((await orm.em.getConnection().execute('select count(*) as n from feed_entries where entity_id = ?', [entityId])) as { n: number | string }[])[0]!.n);

  it('appends an item once however often the append is retried, and returns the first row each time', async () => {
    const first = await appendToFeed(orm, { feed: 'orders', entityId: 'retried-1', tenantId: 'demo', payload: { try: 1 } });
    const again = await appendToFeed(orm, { feed: 'orders', entityId: 'retried-1', tenantId: 'demo', payload: { try: 2 } });
    expect(again).toEqual(first);
    expect(again.payload).toEqual({ try: 1 });
    expect(await count('retried-1')).toBe(1);
  });

  it('writes appends that arrive together as one group, each item once, retries included', async () => {
    await item('orders', 'group-already');
    const [a1, a2, again, fresh] = await Promise.all([
      item('orders', 'group-dup'),
      item('orders', 'group-dup'),
      item('orders', 'group-already'),
      item('orders', 'group-fresh'),
    ]);
    expect(a2).toEqual(a1);
    expect(fresh!.doneDateTime.getTime()).toBeGreaterThan(again!.doneDateTime.getTime());
    for (const id of ['group-dup', 'group-already', 'group-fresh']) expect(await count(id)).toBe(1);
  });

  it('gives items appended within one millisecond distinct, increasing doneDateTimes', async () => {
    const entries: FeedEntry[] = [];
    for (let i = 0; i < 30; i += 1) entries.push(await item('inquiries', `burst-${i}`));
    const ms = entries.map((e) => e.doneDateTime.getTime());
    for (let i = 1; i < ms.length; i += 1) expect(ms[i]!).toBeGreaterThan(ms[i - 1]!);
  });

  it('excludes the item whose doneDateTime equals since, and serves the rest in order', async () => {
    const [a, b, c] = [await item('orders', 'since-a'), await item('orders', 'since-b'), await item('orders', 'since-c')];
    const page = await readFeed(orm, { feed: 'orders', tenantId: 'demo', since: a!.doneDateTime, limit: 1000 });
    expect(ids(page).filter((id) => id.startsWith('since-'))).toEqual([b!.entityId, c!.entityId]);
  });

  it('shows a client only its own items', async () => {
    await item('orders', 'tenant-own', 'demo');
    await item('orders', 'tenant-foreign', 'other');
    const mine = ids(await readFeed(orm, { feed: 'orders', tenantId: 'demo', limit: 10_000 }));
    const theirs = ids(await readFeed(orm, { feed: 'orders', tenantId: 'other', limit: 10_000 }));
    expect(mine).toContain('tenant-own');
    expect(mine).not.toContain('tenant-foreign');
    expect(theirs).toEqual(['tenant-foreign']);
  });

  it('bounds a page by limit, and the documented loop still pages through everything', async () => {
    for (let i = 0; i < 12; i += 1) await item('inquiries', `paged-${i}`, 'pager');
    expect(await readFeed(orm, { feed: 'inquiries', tenantId: 'pager', limit: 5 })).toHaveLength(5);
    expect(ids(await pageThrough(orm, 'inquiries', 'pager', 5))).toEqual(Array.from({ length: 12 }, (_, i) => `paged-${i}`));
  });

  it('stores each item as clients see it, and serves a page as the stored texts joined', async () => {
    const payloads = [
      { orderId: 'stored-o', state: 'DELIVERED', message: 'Quotes " \\ ünïcödé 🚀' },
      { inquiryId: 'stored-i', orderId: null, status: { state: 'DONE_ASYNC_ANSWER_SUCCESS', message: 'ok' } },
    ];
    const [o, i] = [
      await appendToFeed(orm, { feed: 'orders', entityId: 'stored-o', tenantId: 'items', payload: payloads[0]! }),
      await appendToFeed(orm, { feed: 'inquiries', entityId: 'stored-i', tenantId: 'items', payload: payloads[1]! }),
    ];
    const stored = async (entityId: string) =>
      ((await orm.em.getConnection().execute('select item from feed_entries where entity_id = ?', [entityId])) as { item: string }[])[0]!.item;
    const oItem = renderFeedItem('orders', JSON.stringify(payloads[0]), o!.doneDateTime.toISOString());
    const iItem = renderFeedItem('inquiries', JSON.stringify(payloads[1]), i!.doneDateTime.toISOString());
    expect(await stored('stored-o')).toBe(oItem);
    expect(await stored('stored-i')).toBe(iItem);
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'items', limit: 10 })).toBe(`[${oItem}]`);
    expect(await readFeedPage(orm, { feed: 'inquiries', tenantId: 'items', limit: 10 })).toBe(`[${iItem}]`);
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'items', since: o!.doneDateTime, limit: 10 })).toBe('[]');
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'nobody', limit: 10 })).toBe('[]');
  });

  it('formats doneDateTime in SQL exactly as Date#toISOString does', async () => {
    const samples = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2026, 0, 1, 0, 0, 1, 940), 253_402_300_799_999];
    for (let k = 0; k < 300; k += 1) samples.push(Math.floor(Math.random() * Date.UTC(2100, 0, 1)));
    const expr = isPostgres(orm) ? isoOfMsOnPostgres('ms::bigint') : isoOfMsOnSqlite('ms');
    const conn = orm.em.getConnection();
    for (const ms of samples) {
      const [row] = (await conn.execute(`select ${expr} as iso from (select ? as ms) t`, [ms])) as { iso: string }[];
      expect(row!.iso).toBe(new Date(ms).toISOString());
    }
  });

  it('serves rows appended before items were stored exactly as it rendered them then, mixed with newer rows', async () => {
    // A row of the earlier schema: payload only, item null, as every row written before the column existed.
    const old = [
      { feed: 'orders' as const, entityId: 'legacy-o', payload: '{"orderId":"legacy-o","state":"REJECTED","message":"no"}' },
      { feed: 'inquiries' as const, entityId: 'legacy-i', payload: '{"inquiryId":"legacy-i","orderId":null,"status":{"state":"DONE_ASYNC_ANSWER_FAILED","message":"no"}}' },
    ];
    const conn = orm.em.getConnection();
    const base = Date.UTC(2000, 0, 1, 12, 0, 0, 7);
    for (const [k, r] of old.entries()) {
      await conn.execute('insert into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values (?, ?, ?, ?, ?)', [r.feed, r.entityId, 'legacy', base + k, r.payload]);
    }
    const fresh = await appendToFeed(orm, { feed: 'orders', entityId: 'legacy-after', tenantId: 'legacy', payload: { orderId: 'legacy-after', state: 'DELIVERED', message: 'yes' } });
    const oldO = renderFeedItem('orders', old[0]!.payload, new Date(base).toISOString());
    const newO = renderFeedItem('orders', JSON.stringify({ orderId: 'legacy-after', state: 'DELIVERED', message: 'yes' }), fresh!.doneDateTime.toISOString());
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'legacy', limit: 10 })).toBe(`[${oldO},${newO}]`);
    expect(await readFeedPage(orm, { feed: 'inquiries', tenantId: 'legacy', limit: 10 })).toBe(`[${renderFeedItem('inquiries', old[1]!.payload, new Date(base + 1).toISOString())}]`);
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'legacy', limit: 1 })).toBe(`[${oldO}]`);
    expect(await readFeedPage(orm, { feed: 'orders', tenantId: 'legacy', since: new Date(base), limit: 10 })).toBe(`[${newO}]`);
  });

  it('refuses UPDATE and DELETE in the database itself, not only in code', async () => {
    await item('orders', 'immutable-1');
    const conn = orm.em.getConnection();
    await expect(conn.execute(`update feed_entries set payload = '{}' where entity_id = 'immutable-1'`)).rejects.toThrow(/append-only/);
    await expect(conn.execute(`delete from feed_entries where entity_id = 'immutable-1'`)).rejects.toThrow(/append-only/);
    if (isPostgres(orm)) await expect(conn.execute('truncate feed_entries')).rejects.toThrow(/append-only/);
    expect((await readFeed(orm, { feed: 'orders', tenantId: 'demo', limit: 10_000 })).find((e) => e.entityId === 'immutable-1')?.payload)
      .toEqual({ id: 'immutable-1', state: 'DONE' });
  });

  it('makes an append wait while another append to the same feed is still uncommitted', async () => {
    // Another connection plays an appender that has begun but not committed. Were
    // appends not serialised, ours could commit first with a later doneDateTime,
    // and a reader paging past it would never see the slow one.
    if (isPostgres(orm)) {
      const slow = await openOrm(db.url);
      const conn = slow.em.getConnection();
      try {
        await conn.execute('begin');
        // Exactly what an append does first: advance the feed's clock, locking its row.
        await conn.execute(`insert into feed_clocks (feed, last_ms) values ('orders', 0) on conflict (feed) do update set last_ms = feed_clocks.last_ms + 1`);
        let done = false;
        const pending = item('orders', 'waits-its-turn').then((e) => {
          done = true;
          return e;
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(done).toBe(false);
        await conn.execute('commit');
        expect((await pending).entityId).toBe('waits-its-turn');
      } finally {
        await slow.close();
      }
    } else {
      // The libsql driver waits synchronously (busy_timeout), so the holder must be
      // another process: it holds SQLite's write lock for 700 ms, then commits.
      const started = Date.now();
      await holdSqliteWriteLock(db.url.slice('file:'.length), 700);
      const entry = await item('orders', 'waits-its-turn');
      expect(entry.entityId).toBe('waits-its-turn');
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    }
  });

  it('under concurrent completions, every later read extends every earlier one and the client loop misses nothing', async () => {
    const tenants = ['t-a', 't-b'];
    const feeds: FeedName[] = ['inquiries', 'orders'];
    const appended = new Map<string, string[]>();
    let appending = true;

    // 400 completions, 20 at a time, spread over two tenants and both feeds.
    const writer = (async () => {
      const jobs = Array.from({ length: 400 }, (_, i) => ({
        feed: feeds[i % 2]!,
        tenantId: tenants[Math.floor(i / 2) % 2]!,
        entityId: `concurrent-${i}`,
      }));
      for (let i = 0; i < jobs.length; i += 20) {
        await Promise.all(
          jobs.slice(i, i + 20).map(async (j) => {
            await appendToFeed(orm, { ...j, payload: { id: j.entityId } });
            const key = `${j.feed}/${j.tenantId}`;
            appended.set(key, [...(appended.get(key) ?? []), j.entityId]);
          }),
        );
      }
      appending = false;
    })();

    // Readers run while the writer does: whole-feed snapshots and the paging loop.
    const reader = async (feed: FeedName, tenantId: string) => {
      const snapshots: string[][] = [];
      const paged: FeedEntry[] = [];
      let since: Date | undefined;
      for (let round = 0; round < 10_000; round += 1) {
        const finished = !appending;
        snapshots.push(ids(await readFeed(orm, { feed, tenantId, limit: 10_000 })));
        for (;;) {
          const page = await readFeed(orm, { feed, tenantId, since, limit: 7 });
          paged.push(...page);
          if (page.length) since = page[page.length - 1]!.doneDateTime;
          if (page.length < 7) break;
        }
        if (finished) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      return { snapshots, paged };
    };
    const results = await Promise.all([
      writer.then(() => undefined),
      ...feeds.flatMap((f) => tenants.map(async (t) => ({ key: `${f}/${t}`, ...(await reader(f, t)) }))),
    ]);

    for (const r of results) {
      if (!r) continue;
      const everything = ids(await readFeed(orm, { feed: r.key.split('/')[0] as FeedName, tenantId: r.key.split('/')[1]!, limit: 10_000 }));
      expect(everything.sort()).toEqual([...(appended.get(r.key) ?? [])].sort());
      expect(everything).toHaveLength(100);
      for (let i = 1; i < r.snapshots.length; i += 1) {
        expect(r.snapshots[i]!.slice(0, r.snapshots[i - 1]!.length)).toEqual(r.snapshots[i - 1]);
      }
      // The loop saw each item exactly once, in doneDateTime order.
      const pagedIds = ids(r.paged);
      expect(new Set(pagedIds).size).toBe(pagedIds.length);
      expect(pagedIds.sort()).toEqual([...everything].sort());
      const times = r.paged.map((e) => e.doneDateTime.getTime());
      for (let i = 1; i < times.length; i += 1) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    }
  });
});

/** The client loop the seed documents: next since = the last doneDateTime read. */
async function pageThrough(orm: Orm, feed: FeedName, tenantId: string, limit: number): Promise<FeedEntry[]> {
  const all: FeedEntry[] = [];
  let since: Date | undefined;
  for (let i = 0; i < 10_000; i += 1) {
    const page = await readFeed(orm, { feed, tenantId, since, limit });
    all.push(...page);
    if (page.length < limit) return all;
    since = page[page.length - 1]!.doneDateTime;
  }
  throw new Error('paging did not end');
}

/** Starts a process that takes SQLite's write lock on `file`; resolves once it holds it. */
function holdSqliteWriteLock(file: string, ms: number): Promise<void> {
  const script = `const D = require('libsql'); const db = new D(process.argv[1]);
    db.exec('begin immediate'); process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('commit'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code} before locking`)));
  });
}
