import { EntitySchema } from '@mikro-orm/core';

/**
 * What the simulated provisioning system has activated. Keyed by order id so an
 * activity retried after a crash finds its earlier activation instead of making a second one.
 */
export interface SimulatedActivation {
  orderId: string;
  serviceId: string;
  accessId: string;
  activatedAt: Date;
}

export const SimulatedActivationSchema = new EntitySchema<SimulatedActivation>({
  name: 'SimulatedActivation',
  tableName: 'sim_provisioning_activations',
  properties: {
    orderId: { type: 'string', primary: true },
    serviceId: { type: 'string' },
    accessId: { type: 'string' },
    activatedAt: { type: 'datetime' },
  },
});
