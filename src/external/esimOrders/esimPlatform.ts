import { randomInt, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { SimulatedEsimPlanSchema, SimulatedEsimProfileSchema } from '../../db/entities';
import { luhnCheckDigit } from '../../domain/esimOrders/iccid';
import { callJson, isRefusalForGood } from '../shared/httpCall';

/**
 * The eSIM platform (SM-DP+), which we do not own. Activities use only this
 * interface; ESIM_PLATFORM_ADAPTER picks the simulated or the HTTP adapter.
 * Every call is idempotent on the id it carries, because activities are retried.
 */
export interface EsimPlatform {
  /** Asks for a new profile for our order; asking again for one order orders nothing new. */
  orderProfile(req: ProfileRequest): Promise<void>;
  /** Where the order's profile is; "in progress" until the platform has prepared it. */
  profileStatus(orderId: string): Promise<ProfileStatus>;
  /** Activates a data plan on an eSIM; idempotent per planId. */
  activatePlan(req: PlanActivation): Promise<PlatformProfile>;
  /** Undoes activatePlan (compensation); idempotent, and fine for a plan never activated. */
  deactivatePlan(req: { planId: string; iccid: string }): Promise<void>;
}

export interface ProfileRequest {
  orderId: string;
  countryCode: string;
  /** The device as the order gave it; uicc and imei are the seed's optional fields, passed on whole. */
  device: { type: string; id: string; model?: string | undefined; uicc?: string | undefined; imei?: string | undefined };
  customer: { email: string };
}

export interface PlatformProfile {
  iccid: string;
  matchingId: string;
  smdpUrl: string;
}

export type ProfileStatus = { state: 'IN_PROGRESS' } | ({ state: 'READY' } & PlatformProfile) | { state: 'FAILED'; reason: string };

export interface PlanActivation {
  planId: string;
  iccid: string;
  productId: string;
  type: string;
  dataValue: number;
  dataUnit: string;
  price: number;
  currency: string;
  autoRenew: boolean;
}

/** The platform said no for good (unknown ICCID, refused plan): retrying cannot help. */
export class EsimPlatformRejectedError extends Error {
  override name = 'EsimPlatformRejectedError';
}

export interface SimulatedEsimPlatformSettings {
  latencyMs: number;
  /** Polls answered "in progress" before a profile is ready (counted in the database, so restarts do not reset it). */
  pollsUntilReady: number;
  /** And/or: a profile is ready only this long after it was ordered. */
  readyAfterMs: number;
  /** The first N calls per order or plan fail with a transient error (failure injection). */
  transientFailures: number;
  /** ICCIDs the platform refuses to activate plans on, for good. */
  rejectIccids: string[];
}

const SMDP_URL = 'rsp.truphone.com';

/**
 * In-process stand-in with the real one's shape: profiles and plans live in our
 * database keyed by order and plan id, so an order retried after a crash or a
 * worker restart finds its profile instead of getting a second ICCID.
 */
export function simulatedEsimPlatform(orm: Orm, settings: SimulatedEsimPlatformSettings): EsimPlatform {
  const attempts = new Map<string, number>();
  async function call(key: string): Promise<void> {
    if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n <= settings.transientFailures) throw new Error(`simulated eSIM platform: transient failure ${n}/${settings.transientFailures}`);
  }
  const profileOf = (orderId: string) => orm.em.fork().findOne(SimulatedEsimProfileSchema, { orderId });

  return {
    async orderProfile({ orderId, device }) {
      await call(`order:${orderId}`);
      if (await profileOf(orderId)) return;
      const body = `89444746${String(randomInt(0, 1e10)).padStart(10, '0')}`;
      try {
        await orm.em.fork().insert(SimulatedEsimProfileSchema, {
          orderId,
          iccid: `${body}${luhnCheckDigit(body)}`,
          matchingId: `M-${randomUUID().slice(0, 8).toUpperCase()}`,
          smdpUrl: SMDP_URL,
          polls: 0,
          orderedAt: new Date(),
          deviceUicc: device.uicc ?? null,
          deviceImei: device.imei ?? null,
        });
      } catch (err) {
        // Two attempts raced (a worker died after its insert): the first one's profile stands.
        if (!(err instanceof UniqueConstraintViolationException) || !(await profileOf(orderId))) throw err;
      }
    },

    async profileStatus(orderId) {
      await call(`poll:${orderId}`);
      const em = orm.em.fork();
      const profile = await em.findOne(SimulatedEsimProfileSchema, { orderId });
      if (!profile) throw new EsimPlatformRejectedError(`no profile was ordered for ${orderId}`);
      const polled = profile.polls + 1;
      await em.nativeUpdate(SimulatedEsimProfileSchema, { orderId }, { polls: polled });
      const oldEnough = Date.now() - profile.orderedAt.getTime() >= settings.readyAfterMs;
      if (polled <= settings.pollsUntilReady || !oldEnough) return { state: 'IN_PROGRESS' };
      return { state: 'READY', iccid: profile.iccid, matchingId: profile.matchingId, smdpUrl: profile.smdpUrl };
    },

    async activatePlan(plan) {
      await call(`plan:${plan.planId}`);
      if (settings.rejectIccids.includes(plan.iccid)) {
        throw new EsimPlatformRejectedError(`ICCID ${plan.iccid} cannot be activated (profile blocked by the platform)`);
      }
      const em = orm.em.fork();
      const existing = await em.findOne(SimulatedEsimPlanSchema, { planId: plan.planId });
      if (!existing) {
        await em.upsert(
          SimulatedEsimPlanSchema,
          { planId: plan.planId, iccid: plan.iccid, productId: plan.productId, status: 'ACTIVE', activatedAt: new Date(), deactivatedAt: null },
          { onConflictFields: ['planId'], onConflictAction: 'ignore' },
        );
      }
      const profile = await em.findOne(SimulatedEsimProfileSchema, { iccid: plan.iccid });
      return { iccid: plan.iccid, matchingId: profile?.matchingId ?? `M-${plan.iccid.slice(-8)}`, smdpUrl: SMDP_URL };
    },

    async deactivatePlan({ planId }) {
      await call(`undo:${planId}`);
      await orm.em
        .fork()
        .nativeUpdate(SimulatedEsimPlanSchema, { planId, status: 'ACTIVE' }, { status: 'DEACTIVATED', deactivatedAt: new Date() });
    },
  };
}

/**
 * A real eSIM platform over HTTP (contract in docs/external-systems.md, "The eSIM platform"):
 * `PUT /profiles/{orderId}`, `GET /profiles/{orderId}`, `PUT /plans/{planId}`,
 * `DELETE /plans/{planId}`. A 4xx other than 408 and 429 is a permanent refusal whose
 * `{message}` becomes the order's reason (a 404 on DELETE means "already gone");
 * anything else (5xx, timeouts) is retried.
 */
export function httpEsimPlatform(baseUrl: string, timeoutMs: number): EsimPlatform {
  const base = baseUrl.replace(/\/$/, '');
  async function send(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const answer = await callJson('eSIM platform', `${base}${path}`, method, body, timeoutMs);
    const json = (answer.json ?? {}) as Record<string, unknown>;
    // Undoing a plan that is already gone is done.
    if (answer.ok || (method === 'DELETE' && answer.status === 404)) return { status: answer.status, json };
    if (isRefusalForGood(answer.status)) throw new EsimPlatformRejectedError(answer.message);
    throw new Error(answer.message);
  }
  const profileOf = (json: Record<string, unknown>, what: string): PlatformProfile => {
    const { iccid, matchingId, smdpUrl } = json;
    if (typeof iccid !== 'string' || typeof matchingId !== 'string' || typeof smdpUrl !== 'string') {
      throw new Error(`eSIM platform answered ${what} without iccid, matchingId and smdpUrl`);
    }
    return { iccid, matchingId, smdpUrl };
  };
  const path = (kind: string, id: string) => `/${kind}/${encodeURIComponent(id)}`;

  return {
    async orderProfile(req) {
      await send('PUT', path('profiles', req.orderId), { countryCode: req.countryCode, device: req.device, customer: req.customer });
    },
    async profileStatus(orderId) {
      const { json } = await send('GET', path('profiles', orderId));
      if (json.state === 'READY') return { state: 'READY', ...profileOf(json, 'READY') };
      if (json.state === 'FAILED') return { state: 'FAILED', reason: typeof json.reason === 'string' ? json.reason : 'the platform could not prepare the profile' };
      if (json.state === 'IN_PROGRESS') return { state: 'IN_PROGRESS' };
      throw new Error(`eSIM platform answered an unknown profile state ${JSON.stringify(json.state)}`);
    },
    async activatePlan({ planId, ...plan }) {
      const { json } = await send('PUT', path('plans', planId), plan);
      return profileOf(json, 'a plan activation');
    },
    async deactivatePlan({ planId, iccid }) {
      await send('DELETE', `${path('plans', planId)}?iccid=${encodeURIComponent(iccid)}`);
    },
  };
}

export function esimPlatformFromConfig(config: Config, orm: Orm): EsimPlatform {
  const { env } = config;
  if (env.ESIM_PLATFORM_ADAPTER === 'http') return httpEsimPlatform(env.ESIM_PLATFORM_URL!, env.ESIM_PLATFORM_TIMEOUT_MS);
  return simulatedEsimPlatform(orm, {
    latencyMs: env.SIM_ESIM_LATENCY_MS,
    pollsUntilReady: env.SIM_ESIM_POLLS_UNTIL_READY,
    readyAfterMs: env.SIM_ESIM_READY_AFTER_MS,
    transientFailures: env.SIM_ESIM_TRANSIENT_FAILURES,
    rejectIccids: env.SIM_ESIM_REJECT_ICCIDS.split(',').map((s) => s.trim()).filter(Boolean),
  });
}
