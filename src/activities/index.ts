import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { ProvisioningSystem } from '../external/salesLeads/provisioning';
import { FibreSupplier, fibreSupplierFromConfig } from '../external/fibre/supplier';
import { createFibreActivities } from './fibre/activities';
import { createFibreOfferHandOverActivities } from './fibre/offerHandOver';
import { createSalesLeadActivities } from './salesLeads/activities';
import { EsimPlatform, esimPlatformFromConfig } from '../external/esimOrders/esimPlatform';
import { createEsimOrderActivities } from './esimOrders/activities';
import { createEsimBulkActivationActivities } from './esimOrders/bulkActivations';
import { MefSellerSystem, mefSellerFromConfig } from '../external/mefOrders/seller';
import { BuyerNotifier, httpBuyerNotifier } from '../external/mefOrders/buyerNotifications';
import { createMefOrderActivities } from './mefOrders/activities';
import { createMefHubActivities } from './mefOrders/hub';
import { HubDeliverer, httpHubDeliverer } from '../external/mefOrders/hubDelivery';
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
  hubDeliverer?: HubDeliverer;
}

/**
 * Every activity the worker registers, built from its dependencies (the samples' DI
 * pattern). Each family's activities are typed apart (its workflows proxy only its own);
 * the worker registers them in one namespace, so a name two families share would make
 * one silently replace the other: that refuses to start instead.
 */
export function createActivities(deps: ActivityDeps) {
  return oneNamespace({
    salesLeads: createSalesLeadActivities(deps.orm, deps.provisioning),
    esimOrders: createEsimOrderActivities(deps.config, deps.orm, deps.esimPlatform ?? esimPlatformFromConfig(deps.config, deps.orm)),
    esimBulkActivations: createEsimBulkActivationActivities(deps.orm),
    fibre: createFibreActivities(deps.orm, deps.fibreSupplier ?? fibreSupplierFromConfig(deps.config)),
    // The fibre order takes its offer from the inquiry's workflow with the worker's own client (activity context).
    fibreOfferHandOver: createFibreOfferHandOverActivities(deps.orm),
    mefOrders: createMefOrderActivities(
      deps.orm,
      deps.mefSeller ?? mefSellerFromConfig(deps.config, deps.orm),
      deps.buyerNotifier ?? httpBuyerNotifier(deps.config.env.MEF_NOTIFICATION_TIMEOUT_MS),
    ),
    mefHub: createMefHubActivities(deps.orm, deps.hubDeliverer ?? httpHubDeliverer(deps.config.env.MEF_HUB_TIMEOUT_MS, deps.config.hubCallbacks)),
    opsActions: createOpsActionActivities(deps.orm),
  });
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The groups' activities in one object, refusing a name that two groups define. */
export function oneNamespace<G extends Record<string, object>>(groups: G): UnionToIntersection<G[keyof G]> {
  const owner = new Map<string, string>();
  for (const [group, activities] of Object.entries(groups)) {
    for (const name of Object.keys(activities)) {
      const other = owner.get(name);
      if (other) throw new Error(`Activity ${name} is defined by both ${other} and ${group}: rename one, or one would replace the other`);
      owner.set(name, group);
    }
  }
  return Object.assign({}, ...Object.values(groups)) as UnionToIntersection<G[keyof G]>;
}

export type Activities = ReturnType<typeof createActivities>;
