import { ConnectionException, LockWaitTimeoutException } from '@mikro-orm/core';

/**
 * Whether an error means "the database cannot be reached right now" (as opposed to
 * a bad query or a constraint): the API answers those with 503 + Retry-After, since
 * the same request will work once the database is back. The driver's error may sit
 * anywhere in the chain MikroORM and knex wrap it in.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// libsql: another writer holds the file longer than busy_timeout, or the file cannot be opened.
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN']);
// PostgreSQL SQLSTATE: class 08 is "connection exception"; 57P01-03 the server shutting
// down or starting; 53300 too many connections.
const PG_STATES = /^(08...|57P0[123]|53300)$/;
// What knex and pg say without a code: the pool's acquire timeout, a socket that died
// under a query, the connect timeout from orm.ts.
const MESSAGES = /Timeout acquiring a connection|Connection terminated|connection timeout|^timeout expired$|Client has encountered a connection error|database is locked/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof ConnectionException || e instanceof LockWaitTimeoutException) return true;
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'KnexTimeoutError') return true;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLITE_CODES.has(code) || PG_STATES.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
  }
  return false;
}
