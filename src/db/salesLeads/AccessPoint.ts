import { EntitySchema } from '@mikro-orm/core';

/** A point in the network registry where a service can be delivered (the seed's `accessId`). */
export interface AccessPoint {
  id: string;
  streetName: string;
  streetNumber: string;
  streetLittera: string;
  postalCode: string;
  city: string;
  /** CONNECTABLE points take orders; PLANNED ones are not built yet. */
  status: 'CONNECTABLE' | 'PLANNED';
}

export const AccessPointSchema = new EntitySchema<AccessPoint>({
  name: 'AccessPoint',
  tableName: 'access_points',
  properties: {
    id: { type: 'string', primary: true },
    streetName: { type: 'string' },
    streetNumber: { type: 'string' },
    streetLittera: { type: 'string' },
    postalCode: { type: 'string' },
    city: { type: 'string' },
    status: { type: 'string' },
  },
});
