import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { ensureAppRole, grantAppRights } from '../db/appRole';
import { isPostgres, Orm } from '../db/orm';

/**
 * The URL the API and worker connect with, once migrations have run as `owner`
 * (src/db/appRole.ts says why they are two roles on PostgreSQL):
 *
 * - libsql: the same file; its triggers hold the feed append-only whoever writes.
 * - DATABASE_OWNER_URL set: DATABASE_URL's role, which the operator created, gets its rights.
 * - one URL, `npm start`: it creates `<database>_app` itself (password kept in DATA_DIR)
 *   and hands that to the API and worker. If the URL's role may not create roles, they
 *   connect with the one URL as before, with a warning.
 * - one URL, the migrate step: nothing to grant to; a warning, since the processes
 *   will connect as the owner.
 */
export async function appDatabaseUrl(
  owner: Orm,
  config: Config,
  log: (line: string) => void,
  opts: { createRole: boolean },
): Promise<string> {
  if (!isPostgres(owner)) return config.databaseUrl;
  const ownsOnly = `feed_entries is append-only by its triggers only: the API and worker connect as the tables' owner, who could disable them`;
  if (config.databaseOwnerUrl) {
    const role = userOf(config.databaseUrl);
    if (!role) throw new Error('DATABASE_URL must name its user when DATABASE_OWNER_URL is set: that user is the role the owner grants rights to');
    if (role === userOf(config.databaseOwnerUrl)) {
      log(`warning: DATABASE_URL and DATABASE_OWNER_URL name the same role (${role}); ${ownsOnly}`);
      return config.databaseUrl;
    }
    try {
      await grantAppRights(owner, role);
    } catch (err) {
      if (sqlState(err) === '42704') throw new Error(`role ${role} (DATABASE_URL) does not exist: create it first, e.g. CREATE ROLE ${role} LOGIN PASSWORD '…' (docs/deployment.md, "Database roles outside the compose file")`);
      throw err;
    }
    log(`role ${role} (DATABASE_URL) may read and append to feed_entries, and read and write the other tables`);
    return config.databaseUrl;
  }
  if (!opts.createRole) {
    log(`warning: no DATABASE_OWNER_URL; ${ownsOnly}`);
    return config.databaseUrl;
  }
  const role = appRoleFor(config.databaseUrl);
  const password = appRolePassword(config.dataDir);
  try {
    await ensureAppRole(owner, role, password);
  } catch (err) {
    if (sqlState(err) !== '42501') throw err;
    log(`warning: ${(err as Error).message}: DATABASE_URL's role may not create roles; ${ownsOnly}`);
    return config.databaseUrl;
  }
  log(`API and worker connect as role ${role}: feed_entries read and append only (DATABASE_URL's role ran the migrations)`);
  return withCredentials(config.databaseUrl, role, password);
}

/** `npm start`'s application role: one per database, so databases on one server do not share it. */
export function appRoleFor(url: string): string {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'ordering';
  return `${database}_app`;
}

function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Kept in DATA_DIR beside the other generated secrets, so a restart reuses the role
 * instead of changing its password under a process still connected. Mode 0600.
 */
function appRolePassword(dataDir: string): string {
  const file = path.join(dataDir, 'database-app-password');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function sqlState(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}
