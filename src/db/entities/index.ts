import { AccessPointSchema } from './AccessPoint';
import { CatalogueOfferingSchema } from './CatalogueOffering';
import { SalesLeadRecordSchema } from './SalesLeadRecord';
import { SimulatedActivationSchema } from './SimulatedActivation';
import { EsimCustomerSchema } from './EsimCustomer';
import { EsimCustomerEsimSchema } from './EsimCustomerEsim';
import { EsimOrderRecordSchema } from './EsimOrderRecord';
import { EsimProductSchema } from './EsimProduct';
import { SimulatedEsimPlanSchema } from './SimulatedEsimPlan';
import { SimulatedEsimProfileSchema } from './SimulatedEsimProfile';

export * from './AccessPoint';
export * from './CatalogueOffering';
export * from './SalesLeadRecord';
export * from './SimulatedActivation';
export * from './EsimCustomer';
export * from './EsimCustomerEsim';
export * from './EsimOrderRecord';
export * from './EsimProduct';
export * from './SimulatedEsimPlan';
export * from './SimulatedEsimProfile';

export const ENTITIES = [AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema, SimulatedActivationSchema,
  // eSIM orders (seed 001)
  EsimProductSchema, EsimCustomerSchema, EsimCustomerEsimSchema, EsimOrderRecordSchema, SimulatedEsimProfileSchema, SimulatedEsimPlanSchema];
