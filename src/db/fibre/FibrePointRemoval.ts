import { EntitySchema } from '@mikro-orm/core';

/**
 * When a network point left the reference data (seed 002 §1): a deleted point leaves
 * no row in fibre_points, so the feasibility list's Last-Modified would never move and
 * a client holding the old list would keep getting 304. Written by a database trigger
 * on every delete, whoever deletes; read by the feasibility route, never written by
 * the application. `(all)` marks a TRUNCATE on PostgreSQL.
 */
export interface FibrePointRemoval {
  pointId: string;
  removedAt: Date;
}

export const FibrePointRemovalSchema = new EntitySchema<FibrePointRemoval>({
  name: 'FibrePointRemoval',
  tableName: 'fibre_point_removals',
  properties: {
    pointId: { type: 'string', primary: true },
    removedAt: { type: 'datetime' },
  },
});
