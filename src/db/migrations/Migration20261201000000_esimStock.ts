import { DialectMigration } from './DialectMigration';

/**
 * a BULK_ACTIVATION may only activate eSIMs the caller's tenant holds
 * (or the order's customer already owns). Until now nothing recorded which tenant
 * holds which ICCID, so any well-formed ICCID was activated, another tenant's or a
 * customer's included. A new table, not a column on the customers' eSIMs: stock has
 * no customer yet, and that table's key is per tenant where an ICCID is global.
 */
export class Migration20261201000000_esimStock extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table esim_stock (
      iccid varchar(20) primary key,
      tenant_id varchar(64) not null,
      created_at ${this.timestamp} not null)`);
    this.addSql('create index esim_stock_tenant_idx on esim_stock (tenant_id)');
    // The bulk check looks owners up by ICCID alone, across tenants.
    this.addSql('create index esim_customer_esims_iccid_idx on esim_customer_esims (iccid)');
  }
}
