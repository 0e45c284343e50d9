import { DialectMigration } from './DialectMigration';

/** The ops audit trail (src/db/shared/OpsAction.ts). */
export class Migration20261130000000_opsActions extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table ops_actions (
      run_id varchar(64) not null,
      seq integer not null,
      workflow_id varchar(160) not null,
      family varchar(16) not null,
      public_id varchar(128) not null,
      action varchar(32) not null,
      via varchar(8) not null,
      actor varchar(200) null,
      reason text null,
      state_before varchar(32) not null,
      state_after varchar(32) not null,
      outcome varchar(8) not null,
      detail text not null,
      at ${this.timestamp} not null,
      primary key (run_id, seq))`);
    this.addSql('create index ops_actions_workflow_idx on ops_actions (workflow_id, at)');
  }
}
