import { DialectMigration } from './DialectMigration';

/**
 * Reference data of the fibre price API (seed 002, sections 1–3, 6, 7): network
 * points, suppliers, products with their price lists, and each client's invoice
 * groups and framework agreements.
 */
export class Migration20261125000200_fibreReference extends DialectMigration {
  override async up(): Promise<void> {
    const ts = this.timestamp;
    this.addSql(`create table fibre_points (
      point_id varchar(64) primary key,
      street varchar(255) not null,
      number varchar(32) not null,
      littera varchar(16) not null,
      postal_code varchar(16) not null,
      city varchar(128) not null,
      country_code varchar(2) not null,
      street_key varchar(255) not null,
      city_key varchar(128) not null,
      building_distinguisher varchar(255) not null,
      building_type varchar(8) not null,
      real_estate_label varchar(255) not null,
      real_estate_municipality varchar(128) not null,
      latitude double precision not null,
      longitude double precision not null,
      projection varchar(32) not null,
      district varchar(128) not null,
      suppliers_json text not null,
      related_point_ids_json text not null,
      point_type varchar(8) not null,
      a_node varchar(64) not null,
      o_node varchar(64) not null,
      deliverable boolean not null,
      updated_at ${ts} not null)`);
    // Address search (section 2.2) looks up by normalised street, then narrows by city and number.
    this.addSql('create index fibre_points_street_key_idx on fibre_points (street_key, city_key)');
    this.addSql('create index fibre_points_deliverable_idx on fibre_points (deliverable, point_id)');
    this.addSql(`create table fibre_suppliers (
      name varchar(64) primary key,
      position integer not null)`);
    this.addSql(`create table fibre_products (
      product_id varchar(64) primary key,
      supplier varchar(64) not null references fibre_suppliers (name),
      name varchar(32) not null,
      establishment_fee double precision not null,
      one_time_fee_per_meter double precision not null,
      monthly_fee_base double precision not null,
      monthly_fee_per_km_per_fiber double precision not null,
      minimum_distance_meters integer not null,
      building_entry_fee_at_address double precision not null,
      building_entry_fee_at_site_boundary double precision not null,
      delivery_days_base integer not null)`);
    this.addSql(`create table fibre_invoice_groups (
      invoice_group_id varchar(64) primary key,
      tenant_id varchar(64) not null,
      name varchar(255) not null,
      client_number varchar(64) not null,
      invoice_group_number varchar(64) not null)`);
    this.addSql('create index fibre_invoice_groups_tenant_idx on fibre_invoice_groups (tenant_id)');
    this.addSql(`create table fibre_framework_agreements (
      framework_agreement_id varchar(64) primary key,
      tenant_id varchar(64) not null,
      name varchar(255) not null,
      is_standard boolean not null,
      master_system_id varchar(64) not null,
      discount_percent double precision not null)`);
    this.addSql('create index fibre_framework_agreements_tenant_idx on fibre_framework_agreements (tenant_id)');
  }
}
