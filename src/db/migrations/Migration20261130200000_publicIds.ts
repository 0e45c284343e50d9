import { DialectMigration } from './DialectMigration';

/**
 * The durable record of every public id (src/db/shared/PublicId.ts). Orders finished
 * before this migration have no row: their resends are still recognised while Temporal
 * keeps their workflows, as before.
 */
export class Migration20261130200000_publicIds extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table public_ids (
      workflow_id varchar(200) not null primary key,
      tenant_id varchar(64) not null,
      request_hash varchar(64) not null,
      accepted_at ${this.timestamp} not null,
      finished_at ${this.timestamp} null)`);
  }
}
