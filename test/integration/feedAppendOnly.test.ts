import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import Libsql from 'libsql';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../../src/config';
import { openOrm, Orm } from '../../src/db/orm';
import { appDatabaseUrl, appRoleFor } from '../../src/dev/appDatabaseUrl';
import { prepareDatabase } from '../../src/dev/prepare';
import { appendToFeed, readFeed } from '../../src/feeds/feedStore';
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
    await expect(conn.execute(`insert or replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'replace-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(conn.execute(`replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'replace-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'replace-1')).toEqual(before);
  });

  it('refuses a REPLACE that would push out another item with the same doneDateTime', async () => {
    const before = await appended(db.orm, 'replace-2');
    await expect(
      sql(db.orm).execute(`insert or replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'intruder', 'demo', ?, '{}')`, [before.done_at_ms]),
    ).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'replace-2')).toEqual(before);
    expect(await rowOf(db.orm, 'intruder')).toBeUndefined();
  });

  it('keeps INSERT OR IGNORE of an existing item a quiet no-op', async () => {
    const before = await appended(db.orm, 'ignore-1');
    await sql(db.orm).execute(`insert or ignore into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'ignore-1', 'demo', 1, '{}')`);
    expect(await rowOf(db.orm, 'ignore-1')).toEqual(before);
  });

  it('refuses any insert of an existing key on a connection without recursive_triggers, and still takes new items', async () => {
    const before = await appended(db.orm, 'foreign-1');
    const other = new Libsql(file);
    try {
      expect(other.prepare('pragma recursive_triggers').get()).toMatchObject({ recursive_triggers: 0 });
      for (const statement of [
        `insert or replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'foreign-1', 'demo', 1, '{}')`,
        `insert or ignore into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'foreign-1', 'demo', 1, '{}')`,
        `insert or replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'foreign-intruder', 'demo', ${before.done_at_ms}, '{}')`,
      ]) {
        expect(() => other.prepare(statement).run()).toThrow(/append-only: inserting an existing key refused/);
      }
      other.prepare(`insert into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'foreign-new', 'demo', 1, '{}')`).run();
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
    await expect(conn.execute(`insert or replace into feed_entries (feed, entity_id, tenant_id, done_at_ms, payload) values ('orders', 'later-1', 'demo', 1, '{}')`)).rejects.toThrow(/append-only: DELETE refused/);
    expect(await rowOf(db.orm, 'later-1')).toEqual(before);
  }, 30_000);
});

const onPostgres = DATABASE_KINDS.includes('postgresql') ? describe : describe.skip;

onPostgres('feed_entries on postgresql: the application role', () => {
  let db: TestDatabase;
  let dataDir: string;
  let appUrl: string;
  let app: PgClient;
  const quiet = () => {};
  /** The configuration `npm start` is given when pointed at PostgreSQL: one URL, the owner's. */
  const oneUrl = () => loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false' });

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-only-'));
    appUrl = await prepareDatabase(oneUrl(), quiet, { createRole: true });
    app = new PgClient({ connectionString: appUrl });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
    // Drops the database and then the role npm start's rule named for it.
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const refusal = (statement: string) => app.query(statement).then(() => 'accepted', (err: Error) => err.message);
  const triggersEnabled = async () =>
    (await sql(db.orm).execute<{ tgname: string; tgenabled: string }[]>(
      `select tgname, tgenabled from pg_trigger where tgrelid = 'feed_entries'::regclass and not tgisinternal order by tgname`,
    ));

  it('is what npm start hands the API and worker: its own role, not the owner, the same again on a restart', async () => {
    expect(decodeURIComponent(new URL(appUrl).username)).toBe(appRoleFor(db.url));
    expect((await app.query('select current_user as u')).rows[0].u).toBe(appRoleFor(db.url));
    expect(await prepareDatabase(oneUrl(), quiet, { createRole: true })).toBe(appUrl);
    const again = new PgClient({ connectionString: appUrl });
    await again.connect();
    await again.end();
  });

  it('appends and reads through the feed store, retries included', async () => {
    const orm = await openOrm(appUrl);
    try {
      const first = await appendToFeed(orm, { feed: 'inquiries', entityId: 'app-1', tenantId: 'demo', payload: { n: 1 } });
      expect(await appendToFeed(orm, { feed: 'inquiries', entityId: 'app-1', tenantId: 'demo', payload: { n: 2 } })).toEqual(first);
      expect((await readFeed(orm, { feed: 'inquiries', tenantId: 'demo', limit: 10 })).map((e) => e.entityId)).toContain('app-1');
    } finally {
      await orm.close();
    }
  });

  it('may not UPDATE, DELETE, TRUNCATE or upsert over an item: refused by privilege before any trigger, the item unchanged', async () => {
    const before = await appended(db.orm, 'owned-1');
    for (const statement of [
      `update feed_entries set payload = '{}' where entity_id = 'owned-1'`,
      `delete from feed_entries where entity_id = 'owned-1'`,
      'truncate feed_entries',
      `${INSERT} values ('orders', 'owned-1', 'demo', 1, '{}') on conflict (feed, entity_id) do update set payload = excluded.payload`,
    ]) {
      expect(await refusal(statement)).toBe('permission denied for table feed_entries');
    }
    expect(await rowOf(db.orm, 'owned-1')).toEqual(before);
  });

  it('may not disable or drop the triggers, nor turn triggers off for its session: they stay enabled', async () => {
    const before = await triggersEnabled();
    expect(before.map((t) => t.tgname)).toEqual(['feed_entries_no_truncate', 'feed_entries_no_update_delete']);
    for (const statement of [
      'alter table feed_entries disable trigger feed_entries_no_update_delete',
      'alter table feed_entries disable trigger all',
      'drop trigger feed_entries_no_update_delete on feed_entries',
      'drop table feed_entries',
      'alter table feed_entries owner to current_user',
    ]) {
      expect(await refusal(statement)).toMatch(/^must be owner of (table|relation) feed_entries$/);
    }
    expect(await refusal('drop function feed_entries_append_only() cascade')).toMatch(/^must be owner of function feed_entries_append_only$/);
    expect(await refusal('set session_replication_role = replica')).toMatch(/^permission denied to set parameter "session_replication_role"$/);
    expect(await triggersEnabled()).toEqual(before);
    expect(before.every((t) => t.tgenabled === 'O')).toBe(true);
  });

  it('may read and write every other table, tables of later migrations included, and not touch the migration history', async () => {
    // Stands for a table a later migration adds: created by the owner after the role got its rights.
    await sql(db.orm).execute('create table later_read_model (id int primary key, v text)');
    expect(await refusal('select * from later_read_model')).toBe('permission denied for table later_read_model');
    // The production migrate step (compose): the owner migrates, DATABASE_URL's role is granted.
    const twoUrls = loadConfig({ DATABASE_OWNER_URL: db.url, DATABASE_URL: appUrl, DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false' });
    expect(await prepareDatabase(twoUrls, quiet)).toBe(appUrl);
    const rights = await sql(db.orm).execute<{ t: string; r: string }[]>(
      `select t.tablename as t, string_agg(p, ',' order by p) as r
       from pg_tables t cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
       where t.schemaname = current_schema() and has_table_privilege(?, quote_ident(t.tablename), p)
       group by t.tablename order by t.tablename`,
      [appRoleFor(db.url)],
    );
    const byTable = new Map(rights.map((x) => [x.t, x.r]));
    expect(byTable.get('feed_entries')).toBe('INSERT,SELECT');
    expect(byTable.get('feed_clocks')).toBe('INSERT,SELECT,UPDATE');
    expect(byTable.get('later_read_model')).toBe('INSERT,SELECT,UPDATE');
    expect(byTable.has('mikro_orm_migrations')).toBe(false);
    const tables = (await sql(db.orm).execute<{ t: string }[]>(`select tablename as t from pg_tables where schemaname = current_schema()`)).map((x) => x.t);
    expect(tables.length).toBeGreaterThan(10);
    for (const t of tables.filter((n) => !['feed_entries', 'mikro_orm_migrations'].includes(n))) expect([t, byTable.get(t)]).toEqual([t, 'INSERT,SELECT,UPDATE']);
    await app.query(`insert into later_read_model values (1, 'a')`);
    expect((await app.query('select v from later_read_model')).rows).toEqual([{ v: 'a' }]);
  });

  it('lets npm start go on as before, with a warning, when its one URL may not create roles', async () => {
    const plain = `${new URL(db.url).pathname.slice(1)}_plain`;
    await sql(db.orm).execute(`create role ${plain} login`);
    const plainUrl = new URL(db.url);
    plainUrl.username = plain;
    const orm = await openOrm(plainUrl.toString());
    const lines: string[] = [];
    try {
      const config = loadConfig({ DATABASE_URL: plainUrl.toString(), DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false' });
      expect(await appDatabaseUrl(orm, config, (l) => lines.push(l), { createRole: true })).toBe(plainUrl.toString());
    } finally {
      await orm.close();
      await sql(db.orm).execute(`drop role ${plain}`);
    }
    expect(lines).toEqual([expect.stringMatching(/^warning: could not alter role \S+_app \(SQLSTATE 42501\): .*append-only by its triggers only/)]);
    expect(lines.join()).not.toContain(decodeURIComponent(new URL(appUrl).password));
  });

  it('with DATABASE_OWNER_URL, names a DATABASE_URL role that does not exist instead of starting without it', async () => {
    const missing = new URL(appUrl);
    missing.username = `${appRoleFor(db.url)}_missing`;
    const config = loadConfig({ DATABASE_OWNER_URL: db.url, DATABASE_URL: missing.toString(), DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false' });
    await expect(prepareDatabase(config, quiet)).rejects.toThrow(`role ${missing.username} (DATABASE_URL) does not exist`);
  });
});
