import { randomUUID } from 'node:crypto';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { SimulatedMefReservationSchema } from '../../db/entities';
import { callJson, isRefusalForGood } from '../shared/httpCall';
import type { FulfilmentStep, OrderItemState } from '../../domain/mefOrders/lifecycle';
import type { MefOrderItem } from '../../domain/mefOrders/mefOrder';

/**
 * The seller's fulfilment system behind MEF orders, which we do not own. The
 * workflow times each step (durable timers); this system is told when a step
 * starts, may ask the buyer for something, or refuse an item for good.
 */
export interface MefSellerSystem {
  /** Idempotent per (order, item, step). */
  startStep(req: { orderId: string; item: MefOrderItem; step: FulfilmentStep; buyerAnswered?: boolean }): Promise<StepOutcome>;
  /** After installation started, the seller decides whether a cancellation is still possible. */
  assessCancellation(req: { orderId: string; items: { orderItemReference: string; state: OrderItemState }[] }): Promise<{ accepted: boolean; reason: string }>;
  /** Undo what the order reserved; idempotent. */
  releaseResources(req: { orderId: string }): Promise<{ released: number }>;
}

export type StepOutcome = { outcome: 'DONE' } | { outcome: 'NEEDS_BUYER'; message: string };

/** The seller refused the step for good (e.g. no capacity at the site); retrying cannot help. */
export class MefSellerRefusedError extends Error {
  override name = 'MefSellerRefusedError';
}

export interface SimulatedMefSellerSettings {
  latencyMs: number;
  /** Items whose buyerUniId or buyerOvcId is listed fail installation for good (FAILED / PARTIAL). */
  failInstallIds: string[];
  /** Items whose buyerUniId or buyerOvcId is listed need site access from the buyer first (PENDING). */
  siteAccessIds: string[];
  /** The first N calls per (order, item, step) fail with a transient error (failure injection). */
  transientFailures: number;
}

const idsOf = (item: MefOrderItem): string[] =>
  [item.orderItemDetail.buyerUniId, item.orderItemDetail.buyerOvcId].filter((v): v is string => typeof v === 'string');

/** In-process stand-in: deterministic; reservations live in our database so cancel can undo them after a restart. */
export function simulatedMefSeller(orm: Orm, settings: SimulatedMefSellerSettings): MefSellerSystem {
  const attempts = new Map<string, number>();
  const pause = () => (settings.latencyMs > 0 ? new Promise((r) => setTimeout(r, settings.latencyMs)) : Promise.resolve());
  return {
    async startStep({ orderId, item, step, buyerAnswered }) {
      await pause();
      const key = `${orderId}/${item.orderItemReference}/${step}`;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (n <= settings.transientFailures) throw new Error(`simulated transient seller failure ${n}/${settings.transientFailures}`);
      attempts.delete(key);
      const ids = idsOf(item);
      if (step === 'DESIGN') {
        await orm.em.fork().upsert(
          SimulatedMefReservationSchema,
          { orderId, orderItemReference: item.orderItemReference, resourceId: `RES-${randomUUID().slice(0, 8).toUpperCase()}`, reservedAt: new Date(), releasedAt: null },
          { onConflictFields: ['orderId', 'orderItemReference'], onConflictAction: 'ignore' },
        );
      }
      if (step === 'INSTALL' && ids.some((id) => settings.failInstallIds.includes(id))) {
        throw new MefSellerRefusedError(`installation of ${ids.join('/')} is not possible: no capacity at the site`);
      }
      if (step === 'INSTALL' && !buyerAnswered && ids.some((id) => settings.siteAccessIds.includes(id))) {
        return { outcome: 'NEEDS_BUYER', message: `site access for the installation of ${ids.join('/')} is needed; send a note with a date` };
      }
      return { outcome: 'DONE' };
    },
    async assessCancellation({ items }) {
      await pause();
      const late = items.filter((i) => i.state === 'ACTIVATE' || i.state === 'COMPLETED');
      if (late.length) {
        return { accepted: false, reason: `order item ${late.map((i) => i.orderItemReference).join(', ')} is already being activated` };
      }
      return { accepted: true, reason: 'installation is stopped and the site is restored' };
    },
    async releaseResources({ orderId }) {
      const em = orm.em.fork();
      const released = await em.nativeUpdate(SimulatedMefReservationSchema, { orderId, releasedAt: null }, { releasedAt: new Date() });
      return { released };
    },
  };
}

/**
 * A real seller system over HTTP (contract in docs/external-systems.md):
 * `PUT {base}/orders/{orderId}/items/{ref}/steps/{step}` with `{item, buyerAnswered}`
 * answers `{outcome: "DONE"}` or `{outcome: "NEEDS_BUYER", message}`;
 * `POST {base}/orders/{orderId}/cancellation-assessment` with `{items}` answers
 * `{accepted, reason}`; `DELETE {base}/orders/{orderId}/reservations` answers
 * `{released}`. A 4xx other than 408/429 on a step is a permanent refusal whose
 * `{message}` fails the item; anything else is retried.
 */
export function httpMefSeller(baseUrl: string, timeoutMs: number): MefSellerSystem {
  const base = baseUrl.replace(/\/$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await callJson('seller', `${base}${path}`, method, body, timeoutMs);
    if (answer.ok) return (answer.json ?? {}) as T;
    throw isRefusalForGood(answer.status) ? new MefSellerRefusedError(answer.message) : new Error(answer.message);
  }
  const order = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;
  return {
    async startStep({ orderId, item, step, buyerAnswered }) {
      const outcome = await call<StepOutcome>('PUT', `${order(orderId)}/items/${encodeURIComponent(item.orderItemReference)}/steps/${step}`, {
        item,
        buyerAnswered: buyerAnswered ?? false,
      });
      if (outcome.outcome !== 'DONE' && outcome.outcome !== 'NEEDS_BUYER') throw new Error(`seller answered an unknown step outcome`);
      return outcome;
    },
    async assessCancellation({ orderId, items }) {
      const answer = await call<{ accepted?: unknown; reason?: unknown }>('POST', `${order(orderId)}/cancellation-assessment`, { items });
      if (typeof answer.accepted !== 'boolean') throw new Error('seller answered the cancellation assessment without accepted');
      return { accepted: answer.accepted, reason: typeof answer.reason === 'string' ? answer.reason : '' };
    },
    async releaseResources({ orderId }) {
      const answer = await call<{ released?: unknown }>('DELETE', `${order(orderId)}/reservations`);
      return { released: typeof answer.released === 'number' ? answer.released : 0 };
    },
  };
}

export function mefSellerFromConfig(config: Config, orm: Orm): MefSellerSystem {
  const { env } = config;
  if (env.MEF_SELLER_ADAPTER === 'http') return httpMefSeller(env.MEF_SELLER_URL!, env.MEF_SELLER_TIMEOUT_MS);
  return simulatedMefSeller(orm, {
    latencyMs: env.SIM_MEF_SELLER_LATENCY_MS,
    transientFailures: env.SIM_MEF_TRANSIENT_FAILURES,
    failInstallIds: env.SIM_MEF_FAIL_INSTALL_IDS,
    siteAccessIds: env.SIM_MEF_SITE_ACCESS_IDS,
  });
}
