import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { ProvisioningSystem } from '../external/provisioning';
import { createSalesLeadActivities } from './salesLeads';

export interface ActivityDeps {
  /** Every setting, parsed once; a family's activities read their own from here. */
  config: Config;
  orm: Orm;
  provisioning: ProvisioningSystem;
}

/** Every activity the worker registers, built from its dependencies (the samples' DI pattern). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSalesLeadActivities(deps.orm, deps.provisioning),
  };
}

export type Activities = ReturnType<typeof createActivities>;
