import { randomUUID } from 'node:crypto';
import type { Orm } from '../../db/orm';
import { SimulatedActivationSchema } from '../../db/entities';
import { callJson, isRefusalForGood } from '../shared/httpCall';
import type { SalesLead } from '../../domain/salesLeads/salesLead';

/**
 * The service provider's provisioning system, which we do not own. Activities use
 * only this interface; configuration picks the simulated or the HTTP adapter.
 */
export interface ProvisioningSystem {
  /** Idempotent per orderId: asking twice for one order activates one service. */
  activate(order: { orderId: string; lead: SalesLead }): Promise<{ serviceId: string }>;
}

/** The provisioning system said no for good; retrying cannot help. */
export class ProvisioningRejectedError extends Error {
  override name = 'ProvisioningRejectedError';
}

export interface SimulatedProvisioningSettings {
  latencyMs: number;
  /** The first N calls for each order fail with a transient error (failure injection). */
  transientFailures: number;
  /** Access points where activation always fails permanently. */
  rejectAccessIds: string[];
}

/** In-process stand-in: deterministic, keeps its activations in our database so they survive restarts. */
export function simulatedProvisioning(orm: Orm, settings: SimulatedProvisioningSettings): ProvisioningSystem {
  const attempts = new Map<string, number>();
  return {
    async activate({ orderId, lead }) {
      if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
      const n = (attempts.get(orderId) ?? 0) + 1;
      attempts.set(orderId, n);
      if (n <= settings.transientFailures) throw new Error(`simulated transient failure ${n}/${settings.transientFailures}`);
      attempts.delete(orderId); // past the injected failures: forget the order so the map stays small
      if (settings.rejectAccessIds.includes(lead.accessId)) {
        throw new ProvisioningRejectedError(`access point ${lead.accessId} cannot be activated (no fibre in the building)`);
      }
      const em = orm.em.fork();
      const existing = await em.findOne(SimulatedActivationSchema, { orderId });
      if (existing) return { serviceId: existing.serviceId };
      const row = em.create(SimulatedActivationSchema, {
        orderId,
        serviceId: `SVC-${randomUUID().slice(0, 8).toUpperCase()}`,
        accessId: lead.accessId,
        activatedAt: new Date(),
      });
      await em.flush();
      return { serviceId: row.serviceId };
    },
  };
}

/**
 * A real provisioning system over HTTP (contract in docs/external-systems.md):
 * `PUT {base}/activations/{orderId}` with `{accessId, products, customer}`;
 * 200/201 `{serviceId}` on success; 4xx other than 408/429 is a permanent refusal
 * whose body `{message}` is shown to the CO; anything else is retried.
 */
export function httpProvisioning(baseUrl: string, timeoutMs: number): ProvisioningSystem {
  return {
    async activate({ orderId, lead }) {
      const url = `${baseUrl.replace(/\/$/, '')}/activations/${encodeURIComponent(orderId)}`;
      const body = { accessId: lead.accessId, products: lead.products, customer: lead.customerDetails };
      const answer = await callJson('provisioning', url, 'PUT', body, timeoutMs);
      if (answer.ok) {
        const { serviceId } = (answer.json ?? {}) as { serviceId?: unknown };
        if (typeof serviceId !== 'string') throw new Error(`provisioning answered ${answer.status} without serviceId`);
        return { serviceId };
      }
      if (isRefusalForGood(answer.status)) throw new ProvisioningRejectedError(answer.message);
      throw new Error(answer.message);
    },
  };
}
