import { DialectMigration } from './DialectMigration';

/**
 * Why a MEF order is in jeopardy (a step overran its plan), null while it is not: what
 * `npm run ops -- mef-orders --jeopardy` lists without reading every order's document. A
 * nullable column rewrites no row.
 */
export class Migration20261214000000_mefJeopardy extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql('alter table mef_orders add column jeopardy_reason text null');
  }
}
