import { Migration } from '@mikro-orm/migrations';

/**
 * Our migrations run on libsql (embedded) and PostgreSQL (production); the few
 * places where their SQL differs ask this base class which one they are on.
 */
export abstract class DialectMigration extends Migration {
  protected get postgres(): boolean {
    return this.driver.constructor.name === 'PostgreSqlDriver';
  }

  /** A timestamp column type that keeps the time zone on PostgreSQL. */
  protected get timestamp(): string {
    return this.postgres ? 'timestamptz(3)' : 'datetime';
  }
}
