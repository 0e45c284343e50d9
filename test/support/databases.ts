import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { quoteIdent } from '../../src/db/appRole';
import { loadDemoData } from '../../src/db/demoData';
import { appRoleFor } from '../../src/dev/appDatabaseUrl';
import { migrate, openOrm, Orm } from '../../src/db/orm';

export interface TestDatabase {
  name: 'libsql' | 'postgresql';
  orm: Orm;
  url: string;
  drop(): Promise<void>;
}

/** libsql always; PostgreSQL too when TEST_POSTGRES_URL is set (CI sets it). */
export const DATABASE_KINDS: TestDatabase['name'][] = process.env.TEST_POSTGRES_URL ? ['libsql', 'postgresql'] : ['libsql'];

/**
 * A fresh, migrated database with the demo data: its own file, or its own PostgreSQL
 * database. `prepare` replaces the migrations and demo data (a test of one migration
 * stops before it).
 */
export async function freshDatabase(kind: TestDatabase['name'], prepare: (url: string) => Promise<Orm> = prepared): Promise<TestDatabase> {
  if (kind === 'libsql') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordering-test-'));
    const url = `file:${path.join(dir, 'app.db')}`;
    const orm = await prepare(url);
    return { name: kind, orm, url, drop: async () => { await orm.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const admin = process.env.TEST_POSTGRES_URL!;
  const dbName = `ordering_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withPg(admin, (pg) => pg.query(`create database ${dbName}`));
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const orm = await prepare(url);
  return {
    name: kind,
    orm,
    url,
    drop: async () => {
      await orm.close();
      await withPg(admin, async (pg) => {
        await pg.query(`drop database if exists ${dbName} with (force)`);
        // Roles are the server's, not the database's: the one a test may have made for it (npm start's rule) goes too.
        await pg.query(`drop role if exists ${quoteIdent(appRoleFor(url))}`);
      });
    },
  };
}

async function prepared(url: string): Promise<Orm> {
  const orm = await openOrm(url);
  await migrate(orm);
  await loadDemoData(orm);
  return orm;
}

async function withPg<T>(url: string, fn: (pg: PgClient) => Promise<T>): Promise<T> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    return await fn(pg);
  } finally {
    await pg.end();
  }
}
