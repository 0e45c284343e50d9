import type { EntitySchema } from '@mikro-orm/core';
import { AccessPointSchema } from './salesLeads/AccessPoint';
import { CatalogueOfferingSchema } from './salesLeads/CatalogueOffering';
import { FibreInquiryRecordSchema } from './fibre/FibreInquiryRecord';
import { FibreOrderRecordSchema } from './fibre/FibreOrderRecord';
import { FibreFrameworkAgreementSchema, FibreInvoiceGroupSchema } from './fibre/FibreClientAccounts';
import { FibreProductSchema, FibreSupplierSchema } from './fibre/FibreCatalogue';
import { FibrePointSchema } from './fibre/FibrePoint';
import { FibrePointRemovalSchema } from './fibre/FibrePointRemoval';
import { MEF_ENTITIES } from './mefOrders/MefOrder';
import { MEF_HUB_ENTITIES } from './mefOrders/hub';
import { MefCancellationSchema } from './mefOrders/MefCancellation';
import { OpsActionSchema } from './shared/OpsAction';
import { PublicIdSchema } from './shared/PublicId';
import { SalesLeadRecordSchema } from './salesLeads/SalesLeadRecord';
import { SimulatedActivationSchema } from './salesLeads/SimulatedActivation';
import { EsimCustomerSchema } from './esimOrders/EsimCustomer';
import { EsimCustomerEsimSchema } from './esimOrders/EsimCustomerEsim';
import { EsimOrderRecordSchema } from './esimOrders/EsimOrderRecord';
import { EsimProductSchema } from './esimOrders/EsimProduct';
import { EsimStockSchema } from './esimOrders/EsimStock';
import { EsimBulkActivationSchema } from './esimOrders/EsimBulkActivation';
import { SimulatedEsimPlanSchema } from './esimOrders/SimulatedEsimPlan';
import { SimulatedEsimProfileSchema } from './esimOrders/SimulatedEsimProfile';

export * from './salesLeads/AccessPoint';
export * from './salesLeads/CatalogueOffering';
export * from './fibre/FibreInquiryRecord';
export * from './fibre/FibreOrderRecord';
export * from './fibre/FibreCatalogue';
export * from './fibre/FibreClientAccounts';
export * from './fibre/FibrePoint';
export * from './fibre/FibrePointRemoval';
export * from './mefOrders/MefOrder';
export * from './mefOrders/hub';
export * from './mefOrders/MefCancellation';
export * from './shared/OpsAction';
export * from './shared/PublicId';
export * from './salesLeads/SalesLeadRecord';
export * from './salesLeads/SimulatedActivation';
export * from './esimOrders/EsimCustomer';
export * from './esimOrders/EsimCustomerEsim';
export * from './esimOrders/EsimOrderRecord';
export * from './esimOrders/EsimProduct';
export * from './esimOrders/EsimStock';
export * from './esimOrders/EsimBulkActivation';
export * from './esimOrders/SimulatedEsimPlan';
export * from './esimOrders/SimulatedEsimProfile';

export const ENTITIES: EntitySchema[] = [AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema, SimulatedActivationSchema];
// Fibre price API reference data (seed 002).
ENTITIES.push(FibrePointSchema, FibrePointRemovalSchema, FibreSupplierSchema, FibreProductSchema, FibreInvoiceGroupSchema, FibreFrameworkAgreementSchema);
// Fibre offer inquiries and orders (seed 002 §4, §5): read models.
ENTITIES.push(FibreInquiryRecordSchema, FibreOrderRecordSchema);
// eSIM orders (seed 001).
ENTITIES.push(EsimProductSchema, EsimCustomerSchema, EsimCustomerEsimSchema, EsimOrderRecordSchema, SimulatedEsimProfileSchema, SimulatedEsimPlanSchema);
ENTITIES.push(EsimStockSchema, EsimBulkActivationSchema);
// MEF wholesale orders (seed 003).
ENTITIES.push(...MEF_ENTITIES, ...MEF_HUB_ENTITIES, MefCancellationSchema);
// The ops audit trail, every family.
ENTITIES.push(OpsActionSchema);
// Every public id with the request that created it, kept forever.
ENTITIES.push(PublicIdSchema);
