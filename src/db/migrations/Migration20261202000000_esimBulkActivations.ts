import { DialectMigration } from './DialectMigration';

/**
 * a BULK_ACTIVATION's per-activation work list and results,
 * so that neither passes through the order's workflow history (10,000 ICCIDs made it
 * 5.3 MiB, one page over a client's default 4 MiB gRPC limit). A new table rather than
 * a JSON column on esim_orders: batch children write their own rows concurrently.
 */
export class Migration20261202000000_esimBulkActivations extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql(`create table esim_bulk_activations (
      external_id varchar(64) not null,
      iccid varchar(20) not null,
      product_id varchar(64) not null,
      plan_index integer not null,
      plan_id varchar(128) not null,
      position integer not null,
      batch integer not null,
      status varchar(16) not null,
      matching_id varchar(64) null,
      smdp_url varchar(255) null,
      reason text null,
      undone varchar(16) null,
      updated_at ${this.timestamp} not null,
      primary key (external_id, iccid, product_id))`);
    // A batch child reads its own rows; undo and the final output read the order's in this order.
    this.addSql('create index esim_bulk_activations_batch_idx on esim_bulk_activations (external_id, batch, position)');
  }
}
