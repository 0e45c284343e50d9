import { DialectMigration } from './DialectMigration';

/**
 * seed 001's optional `device.uicc` and `device.imei` were accepted and
 * dropped. They are kept with the order (its read model; GET does not show them, the
 * seed's answer has no device) and passed to the platform with the profile request;
 * the simulated platform keeps what it was sent, as the real one would.
 */
export class Migration20261210000100_esimDevice extends DialectMigration {
  override async up(): Promise<void> {
    for (const table of ['esim_orders', 'sim_esim_profiles']) {
      this.addSql(`alter table ${table} add column device_uicc varchar(128) null`);
      this.addSql(`alter table ${table} add column device_imei varchar(32) null`);
    }
  }
}
