import { DialectMigration } from './DialectMigration';

/**
 * The API's rate-limit windows, shared by every API process on one PostgreSQL
 * (src/api/shared/rateLimitStore.ts): one row per caller (a client, or an address),
 * counted up by an atomic upsert. Made on libsql too, where nothing uses it (one process,
 * counting in memory), so both databases have the same tables.
 */
export class Migration20261212000100_rateLimits extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table rate_limit_windows (
      key varchar(160) not null primary key,
      window_ends_at_ms bigint not null,
      hits integer not null)`);
  }
}
