import fs from 'node:fs';
import path from 'node:path';
import { searchKey } from '../../domain/fibre/addressSearch';
import type { NetworkPoint } from '../../domain/fibre/pricing';
import {
  FibreFrameworkAgreementRow,
  FibreFrameworkAgreementSchema,
  FibreInvoiceGroupRow,
  FibreInvoiceGroupSchema,
  FibrePointRow,
  FibrePointSchema,
  FibreProductRow,
  FibreProductSchema,
  FibreSupplierRow,
  FibreSupplierSchema,
} from '../entities';
import type { Orm } from '../orm';

/**
 * Demo reference data of the fibre price API (seed 002): the generated network
 * points (scripts/generate-fibre-points.ts writes fibrePoints.json), two
 * suppliers with Point2Point and Star products and their price lists, and invoice
 * groups and framework agreements for the demo clients, with the seed's GUIDs.
 */

/** The seed uses this GUID for the invoice group, the framework agreement and its master system id. */
export const SEED_FIBRE_GUID = '47193bdf-7855-499b-96a1-f9d387556a9e';

export const FIBRE_DEMO = {
  /** Seed 002 §4's Point2Point product id: STOKAB's. */
  stokabPoint2PointId: '0d13c5e0-ce23-41a0-87b5-f480479fa71e',
  stokabStarId: 'c2a1f6a4-5b0e-4d43-9a57-3f0e8b6b2d11',
  /** Seed 002 §4 also answers with this Point2Point id: we give it to the second supplier. */
  sveanetPoint2PointId: 'bd16d8d5-c147-4490-8b7a-93193fce8fb3',
  sveanetStarId: '6f9e1c1e-2b7d-4c55-8a0f-9c1d2e3f4a5b',
  demoInvoiceGroupId: SEED_FIBRE_GUID,
  demoSecondInvoiceGroupId: '9b1f4c2e-1d3a-4e5f-8a6b-7c8d9e0f1a2b',
  demoFrameworkAgreementId: SEED_FIBRE_GUID,
  /** A non-standard agreement with 10 % off monthly fees. */
  demoDiscountAgreementId: 'e3c6a0d2-7f41-4b8e-9d25-1a6b3c4d5e6f',
  otherInvoiceGroupId: '5d2e8f71-3c4b-4a69-b0d1-2e3f4a5b6c7d',
  otherFrameworkAgreementId: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d',
  brokerInvoiceGroupId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  brokerFrameworkAgreementId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
  /** Points of the seed's examples, and two that make an inquiry fail. */
  points: { seed: 'NORR1234', from: 'ABC123', to: 'CDE678', redundancy: 'CBA123', noCapacity: 'NOCAP1', noSupplier: 'NOFIBER1' },
} as const;

export const FIBRE_POINTS_FILE = path.resolve(__dirname, 'fibrePoints.json');

export function readDemoFibrePoints(): (NetworkPoint & { updatedAt: string })[] {
  return JSON.parse(fs.readFileSync(FIBRE_POINTS_FILE, 'utf8')) as (NetworkPoint & { updatedAt: string })[];
}

export function toPointRow(p: NetworkPoint & { updatedAt: string }): FibrePointRow {
  return {
    pointId: p.pointId,
    street: p.address.street,
    number: p.address.number,
    littera: p.address.littera,
    postalCode: p.address.postalCode,
    city: p.address.city,
    countryCode: p.address.countryCode,
    streetKey: searchKey(p.address.street),
    cityKey: searchKey(p.address.city),
    buildingDistinguisher: p.building.distinguisher,
    buildingType: p.building.type,
    realEstateLabel: p.realEstate.label,
    realEstateMunicipality: p.realEstate.municipality,
    latitude: p.coordinate.latitude,
    longitude: p.coordinate.longitude,
    projection: p.coordinate.projection,
    district: p.district,
    suppliersJson: JSON.stringify(p.suppliers),
    relatedPointIdsJson: JSON.stringify(p.relatedPointIds),
    pointType: p.pointInfo.type,
    aNode: p.pointInfo.aNode,
    oNode: p.pointInfo.oNode,
    deliverable: p.suppliers.length > 0,
    updatedAt: new Date(p.updatedAt),
  };
}

export const DEMO_FIBRE_SUPPLIERS: FibreSupplierRow[] = [
  { name: 'STOKAB', position: 0 },
  { name: 'SVEANET', position: 1 },
];

/** Price lists in SEK excluding VAT; invented, in a plausible range for dark fibre in Stockholm. */
export const DEMO_FIBRE_PRODUCTS: FibreProductRow[] = [
  {
    productId: FIBRE_DEMO.stokabPoint2PointId, supplier: 'STOKAB', name: 'Point2Point',
    establishmentFee: 5000, oneTimeFeePerMeter: 15, monthlyFeeBase: 300, monthlyFeePerKmPerFiber: 250,
    minimumDistanceMeters: 200, buildingEntryFeeAtAddress: 8000, buildingEntryFeeAtSiteBoundary: 25000, deliveryDaysBase: 20,
  },
  {
    productId: FIBRE_DEMO.stokabStarId, supplier: 'STOKAB', name: 'Star',
    establishmentFee: 4000, oneTimeFeePerMeter: 12, monthlyFeeBase: 250, monthlyFeePerKmPerFiber: 220,
    minimumDistanceMeters: 100, buildingEntryFeeAtAddress: 8000, buildingEntryFeeAtSiteBoundary: 25000, deliveryDaysBase: 15,
  },
  {
    productId: FIBRE_DEMO.sveanetPoint2PointId, supplier: 'SVEANET', name: 'Point2Point',
    establishmentFee: 4500, oneTimeFeePerMeter: 18, monthlyFeeBase: 350, monthlyFeePerKmPerFiber: 200,
    minimumDistanceMeters: 300, buildingEntryFeeAtAddress: 9000, buildingEntryFeeAtSiteBoundary: 30000, deliveryDaysBase: 25,
  },
  {
    productId: FIBRE_DEMO.sveanetStarId, supplier: 'SVEANET', name: 'Star',
    establishmentFee: 3500, oneTimeFeePerMeter: 14, monthlyFeeBase: 200, monthlyFeePerKmPerFiber: 180,
    minimumDistanceMeters: 150, buildingEntryFeeAtAddress: 9000, buildingEntryFeeAtSiteBoundary: 30000, deliveryDaysBase: 20,
  },
];

export const DEMO_INVOICE_GROUPS: FibreInvoiceGroupRow[] = [
  { invoiceGroupId: FIBRE_DEMO.demoInvoiceGroupId, tenantId: 'demo', name: 'Client', clientNumber: '9834', invoiceGroupNumber: '1122' },
  { invoiceGroupId: FIBRE_DEMO.demoSecondInvoiceGroupId, tenantId: 'demo', name: 'Client Fastigheter', clientNumber: '9834', invoiceGroupNumber: '1123' },
  { invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId, tenantId: 'other', name: 'Other Client', clientNumber: '7710', invoiceGroupNumber: '2201' },
  { invoiceGroupId: FIBRE_DEMO.brokerInvoiceGroupId, tenantId: 'broker', name: 'Broker', clientNumber: '5501', invoiceGroupNumber: '3301' },
];

export const DEMO_FRAMEWORK_AGREEMENTS: FibreFrameworkAgreementRow[] = [
  { frameworkAgreementId: FIBRE_DEMO.demoFrameworkAgreementId, tenantId: 'demo', name: 'Client', isStandard: true, masterSystemId: SEED_FIBRE_GUID, discountPercent: 0 },
  { frameworkAgreementId: FIBRE_DEMO.demoDiscountAgreementId, tenantId: 'demo', name: 'Client volume agreement 2026', isStandard: false, masterSystemId: 'MS-10442', discountPercent: 10 },
  { frameworkAgreementId: FIBRE_DEMO.otherFrameworkAgreementId, tenantId: 'other', name: 'Other Client', isStandard: true, masterSystemId: 'MS-20017', discountPercent: 0 },
  { frameworkAgreementId: FIBRE_DEMO.brokerFrameworkAgreementId, tenantId: 'broker', name: 'Broker', isStandard: true, masterSystemId: 'MS-30001', discountPercent: 0 },
];

/** Idempotent: loading twice leaves the same rows. */
export async function loadFibreDemoData(orm: Orm): Promise<{ fibrePoints: number }> {
  const em = orm.em.fork();
  const points = readDemoFibrePoints().map(toPointRow);
  await em.upsertMany(FibreSupplierSchema, DEMO_FIBRE_SUPPLIERS, { onConflictFields: ['name'] });
  await em.upsertMany(FibreProductSchema, DEMO_FIBRE_PRODUCTS, { onConflictFields: ['productId'] });
  await em.upsertMany(FibrePointSchema, points, { onConflictFields: ['pointId'], batchSize: 200 });
  await em.upsertMany(FibreInvoiceGroupSchema, DEMO_INVOICE_GROUPS, { onConflictFields: ['invoiceGroupId'] });
  await em.upsertMany(FibreFrameworkAgreementSchema, DEMO_FRAMEWORK_AGREEMENTS, { onConflictFields: ['frameworkAgreementId'] });
  return { fibrePoints: points.length };
}
