import { DialectMigration } from './DialectMigration';

/** Reference data for the sales-lead assessment, the lead read model, the simulated provisioning store. */
export class Migration20261123000001_salesLeads extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    this.addSql(`create table access_points (
      id varchar(64) primary key,
      street_name varchar(255) not null,
      street_number varchar(32) not null,
      street_littera varchar(16) not null,
      postal_code varchar(16) not null,
      city varchar(128) not null,
      status varchar(32) not null)`);
    this.addSql(`create table catalogue_offerings (
      product_id varchar(64) not null,
      offering_id varchar(64) not null,
      name varchar(255) not null,
      primary key (product_id, offering_id))`);
    this.addSql(`create table sales_leads (
      order_id varchar(64) primary key,
      tenant_id varchar(64) not null,
      status varchar(32) not null,
      stage varchar(32) not null,
      message text not null,
      access_id varchar(64) not null,
      correlation_id varchar(128) not null,
      created_at ${ts} not null,
      updated_at ${ts} not null)`);
    this.addSql('create index sales_leads_tenant_stage_idx on sales_leads (tenant_id, stage)');
    this.addSql(`create table sim_provisioning_activations (
      order_id varchar(64) primary key,
      service_id varchar(64) not null,
      access_id varchar(64) not null,
      activated_at ${ts} not null)`);
  }
}
