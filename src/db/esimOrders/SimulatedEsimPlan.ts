import { EntitySchema } from '@mikro-orm/core';

/** Data plans the simulated eSIM platform has activated, keyed by plan id (idempotent). */
export interface SimulatedEsimPlan {
  planId: string;
  iccid: string;
  productId: string;
  status: 'ACTIVE' | 'DEACTIVATED';
  activatedAt: Date;
  deactivatedAt?: Date | null;
}

export const SimulatedEsimPlanSchema = new EntitySchema<SimulatedEsimPlan>({
  name: 'SimulatedEsimPlan',
  tableName: 'sim_esim_plans',
  properties: {
    planId: { type: 'string', primary: true },
    iccid: { type: 'string', index: true },
    productId: { type: 'string' },
    status: { type: 'string' },
    activatedAt: { type: 'datetime' },
    deactivatedAt: { type: 'datetime', nullable: true },
  },
});
