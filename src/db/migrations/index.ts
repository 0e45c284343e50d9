import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000001_salesLeads } from './Migration20261123000001_salesLeads';
import { Migration20261124000000_feeds } from './Migration20261124000000_feeds';
import { Migration20261125000100_esim } from './Migration20261125000100_esim';
import { Migration20261125000200_fibreReference } from './Migration20261125000200_fibreReference';
import { Migration20261125000210_fibreOrders } from './Migration20261125000210_fibreOrders';
import { Migration20261125000300_mef } from './Migration20261125000300_mef';
import { Migration20261130000000_opsActions } from './Migration20261130000000_opsActions';
import { Migration20261130100000_feedAppendOnly } from './Migration20261130100000_feedAppendOnly';
import { Migration20261130200000_publicIds } from './Migration20261130200000_publicIds';
import { Migration20261201000000_esimStock } from './Migration20261201000000_esimStock';
import { Migration20261202000000_esimBulkActivations } from './Migration20261202000000_esimBulkActivations';
import { Migration20261202000100_fibrePointRemovals } from './Migration20261202000100_fibrePointRemovals';
import { Migration20261210000000_esimCustomerEmailKey } from './Migration20261210000000_esimCustomerEmailKey';
import { Migration20261210000100_esimDevice } from './Migration20261210000100_esimDevice';
import { Migration20261211000000_feedItems } from './Migration20261211000000_feedItems';
import { Migration20261212000000_webhookSecrets } from './Migration20261212000000_webhookSecrets';
import { Migration20261212000100_rateLimits } from './Migration20261212000100_rateLimits';
import { Migration20261212000200_impersonatedBy } from './Migration20261212000200_impersonatedBy';
import { Migration20261213000000_mefHub } from './Migration20261213000000_mefHub';
import { Migration20261213000100_mefCancellations } from './Migration20261213000100_mefCancellations';
import { Migration20261214000000_mefJeopardy } from './Migration20261214000000_mefJeopardy';

/** Listed explicitly, in order, so migrations run the same from source, from a bundle and under jest. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123000001_salesLeads', class: Migration20261123000001_salesLeads },
  { name: 'Migration20261124000000_feeds', class: Migration20261124000000_feeds },
  { name: 'Migration20261125000100_esim', class: Migration20261125000100_esim },
  { name: 'Migration20261125000200_fibreReference', class: Migration20261125000200_fibreReference },
  { name: 'Migration20261125000210_fibreOrders', class: Migration20261125000210_fibreOrders },
  { name: 'Migration20261125000300_mef', class: Migration20261125000300_mef },
  { name: 'Migration20261130000000_opsActions', class: Migration20261130000000_opsActions },
  { name: 'Migration20261130100000_feedAppendOnly', class: Migration20261130100000_feedAppendOnly },
  { name: 'Migration20261130200000_publicIds', class: Migration20261130200000_publicIds },
  { name: 'Migration20261201000000_esimStock', class: Migration20261201000000_esimStock },
  { name: 'Migration20261202000000_esimBulkActivations', class: Migration20261202000000_esimBulkActivations },
  { name: 'Migration20261202000100_fibrePointRemovals', class: Migration20261202000100_fibrePointRemovals },
  { name: 'Migration20261210000000_esimCustomerEmailKey', class: Migration20261210000000_esimCustomerEmailKey },
  { name: 'Migration20261210000100_esimDevice', class: Migration20261210000100_esimDevice },
  { name: 'Migration20261211000000_feedItems', class: Migration20261211000000_feedItems },
  { name: 'Migration20261212000000_webhookSecrets', class: Migration20261212000000_webhookSecrets },
  { name: 'Migration20261212000100_rateLimits', class: Migration20261212000100_rateLimits },
  { name: 'Migration20261212000200_impersonatedBy', class: Migration20261212000200_impersonatedBy },
  { name: 'Migration20261213000000_mefHub', class: Migration20261213000000_mefHub },
  { name: 'Migration20261213000100_mefCancellations', class: Migration20261213000100_mefCancellations },
  { name: 'Migration20261214000000_mefJeopardy', class: Migration20261214000000_mefJeopardy },
];
