import { EntitySchema } from '@mikro-orm/core';

/** A product and one of its offerings, as a CO may order them in a sales lead. */
export interface CatalogueOffering {
  productId: string;
  offeringId: string;
  name: string;
}

export const CatalogueOfferingSchema = new EntitySchema<CatalogueOffering>({
  name: 'CatalogueOffering',
  tableName: 'catalogue_offerings',
  properties: {
    productId: { type: 'string', primary: true },
    offeringId: { type: 'string', primary: true },
    name: { type: 'string' },
  },
});
