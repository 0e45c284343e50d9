import { EntitySchema } from '@mikro-orm/core';
import type { Address } from '../../domain/fibre/pricing';

/**
 * A network point of the price API's reference data (seed 002, sections 1–2), one
 * row per point. Nested objects of the seed are flattened into columns; the
 * supplier list and related points are small JSON arrays read with the point.
 * `streetKey`/`cityKey` hold the address normalised for tolerant search
 * (see domain/fibre/addressSearch.ts).
 */
export interface FibrePointRow extends Address {
  pointId: string;
  streetKey: string;
  cityKey: string;
  buildingDistinguisher: string;
  buildingType: string;
  realEstateLabel: string;
  realEstateMunicipality: string;
  latitude: number;
  longitude: number;
  projection: string;
  district: string;
  /** JSON array of PointSupplier (domain/fibre/pricing.ts), including the internal freeFibers. */
  suppliersJson: string;
  /** JSON array of point ids. */
  relatedPointIdsJson: string;
  pointType: string;
  aNode: string;
  oNode: string;
  /** At least one supplier can deliver here: the feasibility list (section 1) holds only these. */
  deliverable: boolean;
  /**
   * When the point's data last changed, deliverable or not (a point that stops being
   * deliverable changes the feasibility list): with fibre_point_removals, the feasibility
   * answer's Last-Modified. Whoever changes a point sets it.
   */
  updatedAt: Date;
}

export const FibrePointSchema = new EntitySchema<FibrePointRow>({
  name: 'FibrePointRow',
  tableName: 'fibre_points',
  properties: {
    pointId: { type: 'string', primary: true },
    street: { type: 'string' },
    number: { type: 'string' },
    littera: { type: 'string' },
    postalCode: { type: 'string' },
    city: { type: 'string' },
    countryCode: { type: 'string' },
    streetKey: { type: 'string' },
    cityKey: { type: 'string' },
    buildingDistinguisher: { type: 'string' },
    buildingType: { type: 'string' },
    realEstateLabel: { type: 'string' },
    realEstateMunicipality: { type: 'string' },
    latitude: { type: 'float' },
    longitude: { type: 'float' },
    projection: { type: 'string' },
    district: { type: 'string' },
    suppliersJson: { type: 'text' },
    relatedPointIdsJson: { type: 'text' },
    pointType: { type: 'string' },
    aNode: { type: 'string' },
    oNode: { type: 'string' },
    deliverable: { type: 'boolean' },
    updatedAt: { type: 'datetime' },
  },
});
