import { AccessPointSchema } from './AccessPoint';
import { CatalogueOfferingSchema } from './CatalogueOffering';
import { MEF_ENTITIES } from './MefOrder';
import { SalesLeadRecordSchema } from './SalesLeadRecord';
import { SimulatedActivationSchema } from './SimulatedActivation';

export * from './AccessPoint';
export * from './CatalogueOffering';
export * from './MefOrder';
export * from './SalesLeadRecord';
export * from './SimulatedActivation';

export const ENTITIES = [AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema, SimulatedActivationSchema, ...MEF_ENTITIES];
