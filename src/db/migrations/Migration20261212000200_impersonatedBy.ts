import { DialectMigration } from './DialectMigration';

/**
 * Who really sent a request that a client made acting for another (impersonation, seed 002
 * §0): kept with the public id of every order and inquiry it created, and with each fibre
 * feed item, beside the item's text (never in it: the feed item is the seed's shape). Null
 * for a request sent by the client itself, and for rows from before the column existed.
 * Nullable columns rewrite no row, and feed_entries' append-only triggers and grants cover
 * a new column as they are.
 */
export class Migration20261212000200_impersonatedBy extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql('alter table public_ids add column impersonated_by varchar(200) null');
    this.addSql('alter table feed_entries add column impersonated_by varchar(200) null');
  }
}
