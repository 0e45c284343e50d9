import { DialectMigration } from './DialectMigration';

/**
 * Each buyer's secret for signing its MEF notifications (Standard Webhooks,
 * src/external/shared/webhookSignature.ts), kept beside the URL it protects and set with it
 * (`npm run ops -- mef-notification-url`). Nullable: an endpoint set before signing existed
 * keeps receiving unsigned notifications until an operator gives it a secret.
 */
export class Migration20261212000000_webhookSecrets extends DialectMigration {
  override async up(): Promise<void> {
    this.addSql('alter table mef_buyer_endpoints add column signing_secret text');
  }
}
