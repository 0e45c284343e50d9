import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { ProvisioningSystem } from '../external/salesLeads/provisioning';
import { FibreSupplier, fibreSupplierFromConfig } from '../external/fibre/supplier';
import { createFibreOrderActivities } from './fibre/activities';
import { createFibreOfferHandOverActivities } from './fibre/offerHandOver';
import { createSalesLeadActivities } from './salesLeads/activities';
import { EsimPlatform, esimPlatformFromConfig } from '../external/esimOrders/esimPlatform';
import { createEsimOrderActivities } from './esimOrders/activities';
import { createEsimBulkActivationActivities } from './esimOrders/bulkActivations';
import { MefSellerSystem, mefSellerFromConfig } from '../external/mefOrders/seller';
import { BuyerNotifier, httpBuyerNotifier } from '../external/mefOrders/buyerNotifications';
import { createMefOrderActivities } from './mefOrders/activities';
import { createOpsActionActivities } from './shared/opsActions';

export interface ActivityDeps {
  /** Every setting, parsed once; a family's activities read their own from here. */
  config: Config;
  orm: Orm;
  provisioning: ProvisioningSystem;
  /** eSIM orders (seed 001): the configured adapter unless a test passes one. */
  esimPlatform?: EsimPlatform;
  /** Chosen by configuration when not given. */
  fibreSupplier?: FibreSupplier | undefined;
  /** MEF orders: built from config unless a test passes its own. */
  mefSeller?: MefSellerSystem;
  buyerNotifier?: BuyerNotifier;
}

/** Every activity the worker registers, built from its dependencies (the samples' DI pattern). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSalesLeadActivities(deps.orm, deps.provisioning),
    ...createEsimOrderActivities(deps.config, deps.orm, deps.esimPlatform ?? esimPlatformFromConfig(deps.config, deps.orm)),
    ...createEsimBulkActivationActivities(deps.orm),
    ...createFibreOrderActivities(deps.orm, deps.fibreSupplier ?? fibreSupplierFromConfig(deps.config)),
    // The fibre order takes its offer from the inquiry's workflow with the worker's own client (activity context).
    ...createFibreOfferHandOverActivities(deps.orm),
    ...createMefOrderActivities(
      deps.orm,
      deps.mefSeller ?? mefSellerFromConfig(deps.config, deps.orm),
      deps.buyerNotifier ?? httpBuyerNotifier(deps.config.env.MEF_NOTIFICATION_TIMEOUT_MS),
    ),
    ...createOpsActionActivities(deps.orm),
  };
}

export type Activities = ReturnType<typeof createActivities>;
