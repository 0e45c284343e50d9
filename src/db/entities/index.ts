import type { EntitySchema } from '@mikro-orm/core';
import { AccessPointSchema } from './AccessPoint';
import { CatalogueOfferingSchema } from './CatalogueOffering';
import { FibreInquiryRecordSchema } from './FibreInquiryRecord';
import { FibreOrderRecordSchema } from './FibreOrderRecord';
import { FibreFrameworkAgreementSchema, FibreInvoiceGroupSchema } from './FibreClientAccounts';
import { FibreProductSchema, FibreSupplierSchema } from './FibreCatalogue';
import { FibrePointSchema } from './FibrePoint';
import { FibrePointRemovalSchema } from './FibrePointRemoval';
import { MEF_ENTITIES } from './MefOrder';
import { OpsActionSchema } from './OpsAction';
import { PublicIdSchema } from './PublicId';
import { SalesLeadRecordSchema } from './SalesLeadRecord';
import { SimulatedActivationSchema } from './SimulatedActivation';
import { EsimCustomerSchema } from './EsimCustomer';
import { EsimCustomerEsimSchema } from './EsimCustomerEsim';
import { EsimOrderRecordSchema } from './EsimOrderRecord';
import { EsimProductSchema } from './EsimProduct';
import { EsimStockSchema } from './EsimStock';
import { EsimBulkActivationSchema } from './EsimBulkActivation';
import { SimulatedEsimPlanSchema } from './SimulatedEsimPlan';
import { SimulatedEsimProfileSchema } from './SimulatedEsimProfile';

export * from './AccessPoint';
export * from './CatalogueOffering';
export * from './FibreInquiryRecord';
export * from './FibreOrderRecord';
export * from './FibreCatalogue';
export * from './FibreClientAccounts';
export * from './FibrePoint';
export * from './FibrePointRemoval';
export * from './MefOrder';
export * from './OpsAction';
export * from './PublicId';
export * from './SalesLeadRecord';
export * from './SimulatedActivation';
export * from './EsimCustomer';
export * from './EsimCustomerEsim';
export * from './EsimOrderRecord';
export * from './EsimProduct';
export * from './EsimStock';
export * from './EsimBulkActivation';
export * from './SimulatedEsimPlan';
export * from './SimulatedEsimProfile';

export const ENTITIES: EntitySchema[] = [AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema, SimulatedActivationSchema];
// Fibre price API reference data (seed 002).
ENTITIES.push(FibrePointSchema, FibrePointRemovalSchema, FibreSupplierSchema, FibreProductSchema, FibreInvoiceGroupSchema, FibreFrameworkAgreementSchema);
// Fibre offer inquiries and orders (seed 002 §4, §5): read models.
ENTITIES.push(FibreInquiryRecordSchema, FibreOrderRecordSchema);
// eSIM orders (seed 001).
ENTITIES.push(EsimProductSchema, EsimCustomerSchema, EsimCustomerEsimSchema, EsimOrderRecordSchema, SimulatedEsimProfileSchema, SimulatedEsimPlanSchema);
ENTITIES.push(EsimStockSchema, EsimBulkActivationSchema);
// MEF wholesale orders (seed 003).
ENTITIES.push(...MEF_ENTITIES);
// The ops audit trail, every family.
ENTITIES.push(OpsActionSchema);
// Every public id with the request that created it, kept forever.
ENTITIES.push(PublicIdSchema);
