import { DialectMigration } from './DialectMigration';

/**
 * Closes the way round feed_entries' delete trigger on SQLite:
 * `INSERT OR REPLACE` (and `REPLACE INTO`) deletes the row in its way without firing
 * delete triggers, unless the connection has `pragma recursive_triggers` on.
 *
 * Our connections have it on (openOrm, for every connection the pool opens), so a
 * REPLACE meets feed_entries_no_delete and fails loudly, while `ON CONFLICT DO
 * NOTHING` / `INSERT OR IGNORE` (feedStore's idempotent append) keep their meaning.
 * A trigger cannot tell REPLACE from IGNORE, so a BEFORE INSERT trigger that raised
 * on an existing key would break the idempotent append too, and RAISE(IGNORE) would
 * turn a REPLACE into a silent no-op and hide the update trigger's refusal of DO UPDATE.
 *
 * This trigger is for any other connection to the file (the sqlite3 shell, a script
 * that forgot the pragma): there, inserting a key that exists is refused outright,
 * IGNORE included, so the file never depends on its reader's settings to stay
 * append-only. Both unique keys count, since REPLACE deletes on either.
 *
 * PostgreSQL has no REPLACE and its triggers always fire; there the application's
 * role lacks the rights instead (src/db/appRole.ts), which a migration cannot grant
 * because the role's name is configuration.
 */
export class Migration20261130100000_feedAppendOnly extends DialectMigration {
  override async up(): Promise<void> {
    if (this.postgres) return;
    this.addSql(`create trigger feed_entries_no_replace before insert on feed_entries
      when not (select recursive_triggers from pragma_recursive_triggers)
        and (exists (select 1 from feed_entries where feed = new.feed and entity_id = new.entity_id)
          or exists (select 1 from feed_entries where feed = new.feed and done_at_ms = new.done_at_ms))
      begin
        select raise(abort, 'feed_entries is append-only: inserting an existing key refused on a connection without pragma recursive_triggers');
      end`);
  }
}
