import { DialectMigration } from './DialectMigration';

/**
 * A feed row keeps its item's final JSON text, doneDateTime included, written by the
 * append itself (src/feeds/feedStore.ts): a page is then the items' texts joined by the
 * database, with nothing parsed, rendered or formatted per item at read time
 * (docs/benchmarks.md §2).
 *
 * Nullable, and never filled in for rows written before it: feed_entries refuses UPDATE
 * (append-only), and those rows are rendered at read time as before, the same bytes
 * (renderFeedItem, src/feeds/feedItems.ts). Adding a nullable column rewrites no row on
 * either database, and the append-only triggers and the application role's grants
 * (table-wide SELECT and INSERT, src/db/appRole.ts) cover it as they are.
 */
export class Migration20261211000000_feedItems extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql('alter table feed_entries add column item text');
  }
}
