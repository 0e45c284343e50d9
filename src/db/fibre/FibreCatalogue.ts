import { EntitySchema } from '@mikro-orm/core';
import type { PriceList } from '../../domain/fibre/pricing';

/** A fibre supplier (seed 002: STOKAB and others); `position` orders the price estimate's answer. */
export interface FibreSupplierRow {
  name: string;
  position: number;
}

export const FibreSupplierSchema = new EntitySchema<FibreSupplierRow>({
  name: 'FibreSupplierRow',
  tableName: 'fibre_suppliers',
  properties: {
    name: { type: 'string', primary: true },
    position: { type: 'integer' },
  },
});

/** A supplier's product (Point2Point or Star) with its GUID and its price list in one row. */
export interface FibreProductRow extends Omit<PriceList, 'buildingEntryFee'> {
  productId: string;
  supplier: string;
  name: string;
  buildingEntryFeeAtAddress: number;
  buildingEntryFeeAtSiteBoundary: number;
}

export const FibreProductSchema = new EntitySchema<FibreProductRow>({
  name: 'FibreProductRow',
  tableName: 'fibre_products',
  properties: {
    productId: { type: 'string', primary: true },
    supplier: { type: 'string' },
    name: { type: 'string' },
    establishmentFee: { type: 'float' },
    oneTimeFeePerMeter: { type: 'float' },
    monthlyFeeBase: { type: 'float' },
    monthlyFeePerKmPerFiber: { type: 'float' },
    minimumDistanceMeters: { type: 'integer' },
    buildingEntryFeeAtAddress: { type: 'float' },
    buildingEntryFeeAtSiteBoundary: { type: 'float' },
    deliveryDaysBase: { type: 'integer' },
  },
});
