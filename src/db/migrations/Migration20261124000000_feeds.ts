import { DialectMigration } from './DialectMigration';

/**
 * The append-only table behind the price API's "since" feeds (seed 002, sections 4
 * and 5). The database itself refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE):
 * the seed promises that a later answer always contains every earlier one, and a
 * rule kept only in code is one careless query away from breaking that promise.
 *
 * `done_at_ms` is an integer of epoch milliseconds, the precision the feed is served
 * in, so "strictly after since" compares exactly on both databases; it is unique
 * per feed, so two items can never share a doneDateTime and a client paging by the
 * last one it read can never skip the other.
 */
export class Migration20261124000000_feeds extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table feed_entries (
      feed varchar(32) not null,
      entity_id varchar(64) not null,
      tenant_id varchar(64) not null,
      done_at_ms bigint not null,
      payload text not null,
      primary key (feed, entity_id))`);
    // Per-feed clock: on PostgreSQL its row lock is what serialises appends (feedStore.ts).
    this.addSql('create table feed_clocks (feed varchar(32) primary key, last_ms bigint not null)');
    this.addSql('create unique index feed_entries_feed_done_uq on feed_entries (feed, done_at_ms)');
    this.addSql('create index feed_entries_tenant_done_idx on feed_entries (feed, tenant_id, done_at_ms)');
    if (this.postgres) {
      this.addSql(`create function feed_entries_append_only() returns trigger language plpgsql as $fn$
        begin
          raise exception 'feed_entries is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
        end
        $fn$`);
      this.addSql(`create trigger feed_entries_no_update_delete before update or delete on feed_entries
        for each row execute function feed_entries_append_only()`);
      this.addSql(`create trigger feed_entries_no_truncate before truncate on feed_entries
        for each statement execute function feed_entries_append_only()`);
    } else {
      this.addSql(`create trigger feed_entries_no_update before update on feed_entries
        begin select raise(abort, 'feed_entries is append-only: UPDATE refused'); end`);
      this.addSql(`create trigger feed_entries_no_delete before delete on feed_entries
        begin select raise(abort, 'feed_entries is append-only: DELETE refused'); end`);
    }
  }
}
