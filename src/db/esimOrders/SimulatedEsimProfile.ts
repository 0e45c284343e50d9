import { EntitySchema } from '@mikro-orm/core';

/**
 * The simulated eSIM platform's profiles, keyed by our order id: however often an
 * order is retried or a worker restarts, one order has one profile (one ICCID).
 */
export interface SimulatedEsimProfile {
  orderId: string;
  iccid: string;
  matchingId: string;
  smdpUrl: string;
  /** Polls answered so far; ready once it reaches the configured count. */
  /** Seed 001's optional device.uicc and device.imei, as the order gave them. */
  deviceUicc?: string | null;
  deviceImei?: string | null;
  polls: number;
  orderedAt: Date;
}

export const SimulatedEsimProfileSchema = new EntitySchema<SimulatedEsimProfile>({
  name: 'SimulatedEsimProfile',
  tableName: 'sim_esim_profiles',
  properties: {
    orderId: { type: 'string', primary: true },
    iccid: { type: 'string', unique: true },
    matchingId: { type: 'string' },
    smdpUrl: { type: 'string' },
    polls: { type: 'integer' },
    deviceUicc: { type: 'string', nullable: true },
    deviceImei: { type: 'string', nullable: true },
    orderedAt: { type: 'datetime' },
  },
});
