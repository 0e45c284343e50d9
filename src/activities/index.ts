import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { ProvisioningSystem } from '../external/provisioning';
import { createSalesLeadActivities } from './salesLeads';
import { MefSellerSystem, mefSellerFromConfig } from '../external/mefSeller';
import { BuyerNotifier, httpBuyerNotifier } from '../external/buyerNotifications';
import { createMefOrderActivities } from './mefOrders';

export interface ActivityDeps {
  /** Every setting, parsed once; a family's activities read their own from here. */
  config: Config;
  orm: Orm;
  provisioning: ProvisioningSystem;
  /** MEF orders: built from config unless a test passes its own. */
  mefSeller?: MefSellerSystem;
  buyerNotifier?: BuyerNotifier;
}

/** Every activity the worker registers, built from its dependencies (the samples' DI pattern). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSalesLeadActivities(deps.orm, deps.provisioning),
    ...createMefOrderActivities(
      deps.orm,
      deps.mefSeller ?? mefSellerFromConfig(deps.config, deps.orm),
      deps.buyerNotifier ?? httpBuyerNotifier(deps.config.env.MEF_NOTIFICATION_TIMEOUT_MS),
    ),
  };
}

export type Activities = ReturnType<typeof createActivities>;
