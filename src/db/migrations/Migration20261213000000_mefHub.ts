import { DialectMigration } from './DialectMigration';

/**
 * The MEF notification hub (POST /hub): the buyers' listeners, and one row per event per
 * listener, kept whole so a delivery that never succeeded can be redelivered from the
 * dead-letter list (`npm run ops -- notifications-failed`, `redeliver <id>`).
 */
export class Migration20261213000000_mefHub extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    this.addSql(`create table mef_hub_listeners (
      id varchar(64) primary key,
      tenant_id varchar(64) not null,
      callback text not null,
      query text null,
      event_types text null,
      signing_secret text not null,
      created_at ${ts} not null,
      deleted_at ${ts} null)`);
    this.addSql('create index mef_hub_listeners_tenant_idx on mef_hub_listeners (tenant_id)');
    this.addSql(`create table mef_hub_deliveries (
      id varchar(200) primary key,
      listener_id varchar(64) not null,
      tenant_id varchar(64) not null,
      event_id varchar(128) not null,
      event_type varchar(64) not null,
      order_id varchar(64) not null,
      payload text not null,
      state varchar(16) not null,
      attempts integer not null,
      last_error text null,
      created_at ${ts} not null,
      delivered_at ${ts} null)`);
    this.addSql('create index mef_hub_deliveries_state_idx on mef_hub_deliveries (state, created_at)');
    this.addSql('create index mef_hub_deliveries_event_idx on mef_hub_deliveries (event_id)');
  }
}
