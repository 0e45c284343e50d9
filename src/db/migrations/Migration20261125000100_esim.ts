import { DialectMigration } from './DialectMigration';

/**
 * eSIM orders (seed 001): per-tenant product catalogue with allowances, customers
 * and the eSIMs they own, the order read model, and the simulated eSIM platform's
 * store (profiles keyed by order id, so one order never gets two ICCIDs).
 */
export class Migration20261125000100_esim extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    const num = this.postgres ? 'double precision' : 'real';
    this.addSql(`create table esim_products (
      tenant_id varchar(64) not null,
      product_id varchar(64) not null,
      name varchar(255) not null,
      data_value ${num} not null,
      data_unit varchar(8) not null,
      price ${num} not null,
      currency varchar(3) not null,
      primary key (tenant_id, product_id))`);
    this.addSql(`create table esim_customers (
      tenant_id varchar(64) not null,
      email varchar(320) not null,
      first_name varchar(320) not null,
      last_name varchar(255) null,
      language varchar(8) not null,
      country_of_residence varchar(2) null,
      currencies varchar(255) not null,
      created_at ${ts} not null,
      primary key (tenant_id, email))`);
    this.addSql(`create table esim_customer_esims (
      tenant_id varchar(64) not null,
      iccid varchar(20) not null,
      email varchar(320) not null,
      matching_id varchar(64) not null,
      smdp_url varchar(255) not null,
      external_id varchar(64) not null,
      created_at ${ts} not null,
      primary key (tenant_id, iccid))`);
    this.addSql(`create table esim_orders (
      external_id varchar(64) primary key,
      tenant_id varchar(64) not null,
      operation_type varchar(32) not null,
      status varchar(32) not null,
      stage varchar(32) not null,
      reason text null,
      output text null,
      correlation_id varchar(128) not null,
      created_at ${ts} not null,
      updated_at ${ts} not null)`);
    this.addSql('create index esim_orders_tenant_stage_idx on esim_orders (tenant_id, stage)');
    this.addSql(`create table sim_esim_profiles (
      order_id varchar(64) primary key,
      iccid varchar(20) not null unique,
      matching_id varchar(64) not null,
      smdp_url varchar(255) not null,
      polls integer not null,
      ordered_at ${ts} not null)`);
    this.addSql(`create table sim_esim_plans (
      plan_id varchar(128) primary key,
      iccid varchar(20) not null,
      product_id varchar(64) not null,
      status varchar(16) not null,
      activated_at ${ts} not null,
      deactivated_at ${ts} null)`);
    this.addSql('create index sim_esim_plans_iccid_idx on sim_esim_plans (iccid)');
  }
}
