import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import Libsql from 'libsql';
import type { Orm } from '../../src/db/orm';
import { appendToFeed } from '../../src/feeds/feedStore';
import { DATABASE_KINDS, freshDatabase, TestDatabase } from '../support/databases';

/**
 * Issue 15, point 5: no way round feed_entries' refusal of UPDATE and DELETE. On SQLite
 * that way was INSERT OR REPLACE, which deletes without firing delete triggers; on
 * PostgreSQL it was the application connecting as the tables' owner, who may disable
 * triggers. Every refusal is checked twice: the statement fails, and the row is as it was.
 */
interface Row {
  feed: string;
  entity_id: string;
  tenant_id: string;
  done_at_ms: string | number;
  payload: string;
}

/** The part of knex's connection pool (tarn) this test listens to. */
interface PoolEvents {
  on(event: 'createSuccess', listener: () => void): void;
}

const INSERT = `insert into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload)`;

function sql(orm: Orm): AbstractSqlConnection {
  return orm.em.getConnection() as AbstractSqlConnection;
}

async function rowOf(orm: Orm, entityId: string): Promise<Row | undefined> {
  return (await sql(orm).execute<Row[]>('select * from feed_entries where entity_id = ?', [entityId]))[0];
}

async function appended(orm: Orm, entityId: string): Promise<Row> {
  await appendToFeed(orm, { feed: 'orders', entityId, tenantId: 'demo', payload: { id: entityId } });
  return (await rowOf(orm, entityId))!;
}

describe.each(DATABASE_KINDS)('feed_entries on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses an upsert over an existing item (ON CONFLICT DO UPDATE), and the item is unchanged', async () => {
    const before = await appended(db.orm, 'upsert-1');
    await expect(
      sql(db.orm).execute(`${INSERT} values ('orders', 'upsert-1', 'demo', 1, '{}')
        on conflict (feed, entity_id) do update set payload = excluded.payload, done_at_ms = excluded.done_at_ms`),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    expect(await rowOf(db.orm, 'upsert-1')).toEqual(before);
  });

  it('still lets a retried append return the item that is there (ON CONFLICT DO NOTHING)', async () => {
    const first = await appendToFeed(db.orm, { feed: 'orders', entityId: 'retry-1', tenantId: 'demo', payload: { try: 1 } });
    const before = await rowOf(db.orm, 'retry-1');
    const again = await appendToFeed(db.orm, { feed: 'orders', entityId: 'retry-1', tenantId: 'demo', payload: { try: 2 } });
    expect(again).toEqual(first);
    await sql(db.orm).execute(`${INSERT} values ('orders', 'retry-1', 'demo', 1, '{}') on conflict (feed, entity_id) do nothing`);
    expect(await rowOf(db.orm, 'retry-1')).toEqual(before);
  });
});

describe('feed_entries on libsql: no REPLACE', () => {
  let db: TestDatabase;
  let file: string;

  beforeAll(async () => {
    db = await freshDatabase('libsql');
    file = db.url.slice('file:'.length);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses INSERT OR REPLACE and REPLACE INTO of an existing item, and the item is unchanged', async () => {
    const before = await appended(db.orm, 'replace-1');
    const conn = sql(db.orm);
    await expect(conn.execute(`insert or replace into feed_entries values ('orders', 'replace-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(conn.execute(`replace into feed_entries values ('orders', 'replace-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'replace-1')).toEqual(before);
  });

  it('refuses a REPLACE that would push out another item with the same doneDateTime', async () => {
    const before = await appended(db.orm, 'replace-2');
    await expect(
      sql(db.orm).execute(`insert or replace into feed_entries values ('orders', 'intruder', 'demo', ?, '{}')`, [before.done_at_ms]),
    ).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'replace-2')).toEqual(before);
    expect(await rowOf(db.orm, 'intruder')).toBeUndefined();
  });

  it('keeps INSERT OR IGNORE of an existing item a quiet no-op', async () => {
    const before = await appended(db.orm, 'ignore-1');
    await sql(db.orm).execute(`insert or ignore into feed_entries values ('orders', 'ignore-1', 'demo', 1, '{}')`);
    expect(await rowOf(db.orm, 'ignore-1')).toEqual(before);
  });

  it('refuses any insert of an existing key on a connection without recursive_triggers, and still takes new items', async () => {
    const before = await appended(db.orm, 'foreign-1');
    const other = new Libsql(file);
    try {
      expect(other.prepare('pragma recursive_triggers').get()).toMatchObject({ recursive_triggers: 0 });
      for (const statement of [
        `insert or replace into feed_entries values ('orders', 'foreign-1', 'demo', 1, '{}')`,
        `insert or ignore into feed_entries values ('orders', 'foreign-1', 'demo', 1, '{}')`,
        `insert or replace into feed_entries values ('orders', 'foreign-intruder', 'demo', ${before.done_at_ms}, '{}')`,
      ]) {
        expect(() => other.prepare(statement).run()).toThrow(/append-only: inserting an existing key refused/);
      }
      other.prepare(`insert into feed_entries values ('orders', 'foreign-new', 'demo', 1, '{}')`).run();
    } finally {
      other.close();
    }
    expect(await rowOf(db.orm, 'foreign-1')).toEqual(before);
    expect(await rowOf(db.orm, 'foreign-intruder')).toBeUndefined();
    expect((await rowOf(db.orm, 'foreign-new'))?.payload).toBe('{}');
  });

  it('still refuses REPLACE on the connection the pool opens after retiring its first (10 s)', async () => {
    const before = await appended(db.orm, 'later-1');
    const conn = sql(db.orm);
    let opened = 0;
    (conn.getKnex().client as { pool: PoolEvents }).pool.on('createSuccess', () => (opened += 1));
    // The libsql dialect validates a file connection as fresh for 10 s only, then opens another.
    await new Promise((r) => setTimeout(r, 10_500));
    await conn.execute('select 1');
    expect(opened).toBe(1);
    expect(await conn.execute('pragma recursive_triggers')).toEqual([{ recursive_triggers: 1 }]);
    expect(await conn.execute('pragma busy_timeout')).toEqual([{ timeout: 5000 }]);
    await expect(conn.execute(`insert or replace into feed_entries values ('orders', 'later-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'later-1')).toEqual(before);
  }, 30_000);
});
