import { AccessPointSchema } from './AccessPoint';
import { CatalogueOfferingSchema } from './CatalogueOffering';
import { SalesLeadRecordSchema } from './SalesLeadRecord';
import { SimulatedActivationSchema } from './SimulatedActivation';

export * from './AccessPoint';
export * from './CatalogueOffering';
export * from './SalesLeadRecord';
export * from './SimulatedActivation';

export const ENTITIES = [AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema, SimulatedActivationSchema];
