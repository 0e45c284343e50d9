import { DialectMigration } from './DialectMigration';

/** MEF cancellations as resources (GET /cancelOrder/{id}): one row per cancel an order took, its state kept current by the order's workflow. */
export class Migration20261213000100_mefCancellations extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    this.addSql(`create table mef_cancellations (
      id varchar(128) primary key,
      tenant_id varchar(64) not null,
      order_id varchar(64) not null,
      reason text not null,
      requested_by varchar(16) not null,
      state varchar(32) not null,
      state_reason text null,
      created_at ${ts} not null,
      updated_at ${ts} not null)`);
    this.addSql('create index mef_cancellations_tenant_idx on mef_cancellations (tenant_id, created_at)');
    this.addSql('create index mef_cancellations_order_idx on mef_cancellations (order_id)');
  }
}
