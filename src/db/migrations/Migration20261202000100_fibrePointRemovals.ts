import { DialectMigration } from './DialectMigration';

/**
 * Feasibility's Last-Modified (seed 002 §1) must move when the list loses a
 * point, not only when a deliverable point changes: a point that stops being deliverable
 * keeps its row (its updated_at counts now), but a deleted one leaves nothing behind.
 * A trigger records each deletion in fibre_point_removals, whoever deletes (a reference
 * data load, a script, psql), so the route can take the latest removal into account.
 * updated_at gets an index: the route now reads its maximum over every point.
 */
export class Migration20261202000100_fibrePointRemovals extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table fibre_point_removals (
      point_id varchar(64) primary key,
      removed_at ${this.timestamp} not null)`);
    this.addSql('create index fibre_points_updated_at_idx on fibre_points (updated_at)');
    if (this.postgres) {
      this.addSql(`create function fibre_points_record_removal() returns trigger language plpgsql as $fn$
        begin
          insert into fibre_point_removals (point_id, removed_at)
            values (case when tg_op = 'TRUNCATE' then '(all)' else old.point_id end, clock_timestamp())
            on conflict (point_id) do update set removed_at = excluded.removed_at;
          return null;
        end
        $fn$`);
      this.addSql(`create trigger fibre_points_removal after delete on fibre_points
        for each row execute function fibre_points_record_removal()`);
      this.addSql(`create trigger fibre_points_truncate after truncate on fibre_points
        for each statement execute function fibre_points_record_removal()`);
    } else {
      // libsql stores datetimes as epoch milliseconds (MikroORM's mapping): the same here.
      this.addSql(`create trigger fibre_points_removal after delete on fibre_points
        begin
          insert or replace into fibre_point_removals (point_id, removed_at)
            values (old.point_id, cast(round((julianday('now') - 2440587.5) * 86400000) as integer));
        end`);
    }
  }
}
