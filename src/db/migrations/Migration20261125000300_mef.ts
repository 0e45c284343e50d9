import { DialectMigration } from './DialectMigration';

/** MEF orders (seed 003): read model, notifications, the seller's reference data, the simulated seller's reservations. */
export class Migration20261125000300_mef extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    this.addSql(`create table mef_orders (
      id varchar(64) primary key,
      tenant_id varchar(64) not null,
      buyer_id varchar(128) not null,
      seller_id varchar(128) not null,
      buyer_purchase_order_number varchar(64) not null,
      order_type varchar(32) not null,
      order_status varchar(32) not null,
      status_message text not null,
      buyer_order_version integer not null,
      order_date ${ts} not null,
      document text not null,
      item_progress text not null,
      correlation_id varchar(128) not null,
      created_at ${ts} not null,
      updated_at ${ts} not null)`);
    this.addSql('create index mef_orders_tenant_date_idx on mef_orders (tenant_id, order_date)');
    this.addSql('create index mef_orders_tenant_po_idx on mef_orders (tenant_id, buyer_purchase_order_number)');
    this.addSql(`create table mef_order_notifications (
      id varchar(96) primary key,
      order_id varchar(64) not null,
      tenant_id varchar(64) not null,
      seq integer not null,
      notification_type varchar(32) not null,
      order_status varchar(32) not null,
      buyer_order_version varchar(16) not null,
      message text not null,
      detail text null,
      delivery varchar(16) not null,
      delivered_at ${ts} null,
      delivery_attempts integer not null,
      created_at ${ts} not null)`);
    this.addSql('create unique index mef_order_notifications_order_seq_idx on mef_order_notifications (order_id, seq)');
    this.addSql(`create table mef_ennis (
      tenant_id varchar(64) not null,
      seller_enni_id varchar(64) not null,
      primary key (tenant_id, seller_enni_id))`);
    this.addSql('create table mef_product_specs (code varchar(64) primary key, name varchar(255) not null)');
    this.addSql('create table mef_buyer_endpoints (tenant_id varchar(64) primary key, notification_url varchar(2048) null)');
    this.addSql(`create table sim_mef_reservations (
      order_id varchar(64) not null,
      order_item_reference varchar(32) not null,
      resource_id varchar(64) not null,
      reserved_at ${ts} not null,
      released_at ${ts} null,
      primary key (order_id, order_item_reference))`);
  }
}
