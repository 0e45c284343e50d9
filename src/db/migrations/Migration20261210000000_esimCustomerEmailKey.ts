import { emailKey } from '../../domain/esimOrders/ownership';
import { DialectMigration } from './DialectMigration';

/**
 * e-mail addresses compare case-insensitively, the customer lookup too
 * (it compared them exactly: `John@Doe.com` got CUSTOMER_MUST_EXIST for john@doe.com's
 * TOPUP, and a NEW_ESIM created a second customer). The address stays as given in
 * `email` (the key of the row, unchanged); `email_key` holds emailKey(email), the one
 * rule (src/domain/esimOrders/ownership.ts), unique per tenant, and lookups compare it.
 *
 * Filled in here, in code rather than SQL, so the key is exactly the rule's (SQLite's
 * lower() folds ASCII only). Customers that already duplicate an address in another
 * case keep their rows (nothing is deleted): the first created gets the key and answers
 * for the address from now on, the later ones keep a null key, which a unique index
 * allows any number of.
 */
export class Migration20261210000000_esimCustomerEmailKey extends DialectMigration {
  override async up(): Promise<void> {
    // execute() runs at once, in the migration's transaction: the backfill needs the column first.
    await this.execute('alter table esim_customers add column email_key varchar(320) null');
    const rows = (await this.execute('select tenant_id, email from esim_customers order by tenant_id, created_at, email')) as { tenant_id: string; email: string }[];
    const taken = new Set<string>();
    for (const row of rows) {
      const key = emailKey(row.email);
      if (taken.has(`${row.tenant_id}\u0000${key}`)) continue;
      taken.add(`${row.tenant_id}\u0000${key}`);
      await this.execute('update esim_customers set email_key = ? where tenant_id = ? and email = ?', [key, row.tenant_id, row.email]);
    }
    await this.execute('create unique index esim_customers_email_key_uq on esim_customers (tenant_id, email_key)');
  }
}
