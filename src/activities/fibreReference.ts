import type { Orm } from '../db/orm';
import type { NetworkPoint } from '../domain/fibre/pricing';
import { findPoint, OfferPricing, OfferPricingInput, priceOffer } from '../domain/fibre/referenceData';

/**
 * The fibre reference data as activities, for workflows that price an offer or
 * check a point (offer inquiries). Reads only: retrying them is always safe.
 */
export function createFibreReferenceActivities(orm: Orm) {
  return {
    async priceFibreOffer(input: OfferPricingInput): Promise<OfferPricing> {
      return priceOffer(orm, input);
    },
    async findFibrePoint(pointId: string): Promise<NetworkPoint | null> {
      return findPoint(orm, pointId);
    },
  };
}
