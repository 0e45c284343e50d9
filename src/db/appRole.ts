// The driver packages re-export MikroORM's knex layer; libsql's is as good as PostgreSQL's for types.
import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import type { Orm } from './orm';

/**
 * PostgreSQL's half of "append-only everywhere". Triggers refuse
 * UPDATE, DELETE and TRUNCATE on feed_entries, but a table's owner may disable or drop
 * its triggers, so the API and worker must not connect as the owner: migrations run as
 * the owner, and the processes connect as an application role that may only read and
 * append to feed_entries. Owning nothing, it can neither ALTER nor DROP a table or a
 * trigger; not being a superuser, it cannot set session_replication_role either.
 *
 * The role's name is configuration (DATABASE_URL's user), so its rights cannot live in
 * a migration: the owner grants them after every migrate, to every table in the
 * schema, which covers the tables later migrations add without default privileges.
 */

/** Tables the application role gets nothing on; each comes with why. */
const NO_ACCESS = [
  // Migration history: the application has no reason to read it and none to rewrite it.
  'mikro_orm_migrations',
];

/**
 * The application's rights, made exactly these on every run (revoked first, so rights
 * an older version granted do not linger). One transaction: a running process never
 * sees the moment between the revoke and the grant. No DELETE anywhere: nothing in the
 * application deletes today; whatever comes to need it gets it here, table by table.
 */
export async function grantAppRights(owner: Orm, role: string): Promise<void> {
  const conn = owner.em.getConnection() as AbstractSqlConnection;
  const r = quoteIdent(role);
  await conn.transactional(async (trx) => {
    const [current] = await conn.execute<{ schema: string }[]>('select current_schema() as schema', [], 'all', trx);
    const s = quoteIdent(current!.schema);
    const tables = new Set((await conn.execute<{ name: string }[]>('select tablename as name from pg_tables where schemaname = current_schema()', [], 'all', trx)).map((t) => t.name));
    const statements = [
      `grant usage on schema ${s} to ${r}`,
      `revoke all on all tables in schema ${s} from ${r}`,
      `grant select, insert, update on all tables in schema ${s} to ${r}`,
      `grant usage, select on all sequences in schema ${s} to ${r}`,
      // Read and append: no UPDATE (so no ON CONFLICT DO UPDATE either), DELETE or TRUNCATE.
      `revoke update on feed_entries from ${r}`,
      ...NO_ACCESS.filter((t) => tables.has(t)).map((t) => `revoke all on ${quoteIdent(t)} from ${r}`),
    ];
    for (const sql of statements) await conn.execute(sql, [], 'run', trx);
  });
}

/**
 * Creates the application role, or resets its password if it exists, then grants its
 * rights. For `npm start` given one URL: it owns the role, so it also owns its password.
 * Needs CREATEROLE (or a superuser); a production set-up creates the role beforehand
 * and only calls grantAppRights.
 */
export async function ensureAppRole(owner: Orm, role: string, password: string): Promise<void> {
  // The password is spliced into DDL (no parameters there), so only a generated one is accepted.
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) throw new Error('the application role password must be 16 or more of A-Z a-z 0-9 _ -');
  const conn = owner.em.getConnection() as AbstractSqlConnection;
  const verb = (await conn.execute<unknown[]>('select 1 from pg_roles where rolname = ?', [role], 'all')).length ? 'alter' : 'create';
  try {
    await conn.execute(`${verb} role ${quoteIdent(role)} with login nosuperuser nocreatedb nocreaterole noinherit password '${password}'`, [], 'run');
  } catch (err) {
    // The driver's message quotes the statement, password included: keep only its SQLSTATE.
    const code = (err as { code?: string }).code;
    throw Object.assign(new Error(`could not ${verb} role ${role} (SQLSTATE ${code})`), { code });
  }
  await grantAppRights(owner, role);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
