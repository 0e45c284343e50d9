import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000001_salesLeads } from './Migration20261123000001_salesLeads';
import { Migration20261124000000_feeds } from './Migration20261124000000_feeds';
import { Migration20261125000300_mef } from './Migration20261125000300_mef';

/** Listed explicitly, in order, so migrations run the same from source, from a bundle and under jest. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123000001_salesLeads', class: Migration20261123000001_salesLeads },
  { name: 'Migration20261124000000_feeds', class: Migration20261124000000_feeds },
  { name: 'Migration20261125000300_mef', class: Migration20261125000300_mef },
];
