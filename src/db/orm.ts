import fs from 'node:fs';
import path from 'node:path';
import { MikroORM as LibSqlORM } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/core';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Orm = MikroORM;

/**
 * With the database unreachable a request must fail fast (503, src/db/unavailable.ts)
 * instead of queueing for knex's default minute: a new connection gives up after 3 s
 * (a black-holed connect never fails on its own), and waiting for a pooled one after
 * 5 s. Keep-alive finds a dead idle connection, which the pool then drops, so it
 * recovers by itself when the database is back.
 */
const POSTGRES_OUTAGE_BOUNDS = {
  acquireConnectionTimeout: 5000,
  connection: { connectionTimeoutMillis: 3000, keepAlive: true },
};

/**
 * Opens the database named by a URL: `file:` (or `:memory:`) selects libsql, the
 * embedded default; `postgres://` selects PostgreSQL. Schema changes only come from
 * migrations, never from schema sync.
 */
export async function openOrm(url: string, opts: { debug?: boolean } = {}): Promise<Orm> {
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, snapshot: false, transactional: true, allOrNothing: true, silent: true },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: opts.debug ?? false,
    ensureDatabase: false,
  };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return PostgresORM.init({ ...common, clientUrl: url, pool: { min: 0, max: 10 }, driverOptions: POSTGRES_OUTAGE_BOUNDS });
  }
  const file = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return LibSqlORM.init({ ...common, dbName: file, pool: { afterCreate: applySqlitePragmas } });
}

/**
 * Settings of a SQLite connection, not of the file, so every connection needs them:
 * the libsql dialect retires a file connection after 10 s and opens a new one, which
 * would otherwise come without them. WAL lets the API read while the worker writes;
 * busy_timeout makes the second writer wait instead of failing; recursive_triggers
 * makes INSERT OR REPLACE fire feed_entries' delete trigger, which refuses it
 * (Migration20261130100000_feedAppendOnly).
 */
function applySqlitePragmas(conn: { exec(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void): void {
  try {
    conn.exec('pragma journal_mode = wal');
    conn.exec('pragma busy_timeout = 5000');
    conn.exec('pragma recursive_triggers = on');
    done(null, conn);
  } catch (err) {
    done(err as Error, conn);
  }
}

/** The few places whose SQL differs between the two databases ask this. */
export function isPostgres(orm: Orm): boolean {
  return orm.em.getDriver().constructor.name === 'PostgreSqlDriver';
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

export async function ping(orm: Orm): Promise<void> {
  await orm.em.getConnection().execute('select 1');
}
