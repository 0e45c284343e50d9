import { z } from 'zod';
import type { Config } from '../../config';
import { callJson, isRefusalForGood } from '../shared/httpCall';
import type { AsyncAnswer, InquiryAssessment, OfferForOrder, OfferInquiryRequest } from '../../domain/fibre/inquiry';
import type { DeliveryOutcome } from '../../domain/fibre/order';

/**
 * A fibre supplier (STOKAB and the others), which we do not own: it answers the
 * inquiries that need a person to read the comment, and it builds ordered
 * connections. Activities use only this interface.
 */
export interface FibreSupplier {
  /** The supplier's answer to an async inquiry. Idempotent per inquiryId. */
  answerInquiry(req: { inquiryId: string; inquiry: OfferInquiryRequest; assessment: InquiryAssessment }): Promise<AsyncAnswer>;
  /** Asked once deliveryDurationDays have passed: delivered (with its connection id) or rejected. Idempotent per orderId. */
  deliverOrder(req: { orderId: string; offer: OfferForOrder }): Promise<DeliveryOutcome>;
}

export interface SimulatedFibreSupplierSettings {
  latencyMs: number;
  /** The first N calls for each inquiry or order fail with a transient error (failure injection). */
  transientFailures: number;
}

/**
 * In-process stand-in, deterministic: it confirms the estimate as its offer when the
 * network can deliver and declines with the assessment's reason when it cannot; it
 * delivers every order, naming the connection after the order.
 */
export function simulatedFibreSupplier(settings: SimulatedFibreSupplierSettings): FibreSupplier {
  const attempts = new Map<string, number>();
  async function call(id: string): Promise<void> {
    if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
    const n = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, n);
    if (n <= settings.transientFailures) throw new Error(`simulated transient supplier failure ${n}/${settings.transientFailures}`);
    attempts.delete(id);
  }
  return {
    async answerInquiry({ inquiryId, assessment }) {
      await call(inquiryId);
      if (assessment.outcome !== 'priced' || !assessment.product.price) {
        return { success: false, message: assessment.outcome === 'priced' ? 'The supplier could not price the connection.' : assessment.message };
      }
      // No fees: the workflow confirms the estimate, items and all, as the offer.
      return { success: true, message: 'The supplier confirms the estimate as an offer.' };
    },
    async deliverOrder({ orderId, offer }) {
      await call(orderId);
      return { delivered: true, connectionId: offer.connectionId ?? `${offer.supplier}-${orderId.slice(0, 8).toUpperCase()}` };
    },
  };
}

/** Not answered yet: a retryable failure, so the activity's retry policy is the poll. */
export class SupplierNotReadyError extends Error {
  override name = 'SupplierNotReadyError';
}

// What a supplier may answer; anything else is its bug and is retried, never guessed at.
const AsyncAnswerBody = z.object({
  success: z.boolean(),
  message: z.string().optional(),
  oneTimeFee: z.number().nonnegative().optional(),
  monthlyFee: z.number().nonnegative().optional(),
  offerValidUntilDate: z.iso.date().optional(),
  deliveryDurationDays: z.number().int().positive().optional(),
  connectionId: z.string().min(1).optional(),
});
const DeliveryBody = z.discriminatedUnion('delivered', [
  z.object({ delivered: z.literal(true), connectionId: z.string().min(1), message: z.string().optional() }),
  z.object({ delivered: z.literal(false), message: z.string().min(1) }),
]);

/**
 * A real supplier over HTTP (contract in docs/external-systems.md). Both calls are idempotent on
 * the id in the path. `202` means "no answer yet": the call fails retryably and the
 * activity's back-off asks again, holding no worker slot in between. A `4xx` other
 * than 408/429 is the supplier saying no for good, which becomes a failed answer or
 * a rejected order with its `{message}`; 5xx, timeouts and malformed answers are retried.
 */
export function httpFibreSupplier(baseUrl: string, timeoutMs: number): FibreSupplier {
  const base = baseUrl.replace(/\/$/, '');
  async function put(path: string, body: unknown): Promise<{ refused?: string; json?: unknown }> {
    const answer = await callJson('the supplier', `${base}${path}`, 'PUT', body, timeoutMs);
    if (answer.status === 202) throw new SupplierNotReadyError(`the supplier has not answered ${path} yet`);
    if (answer.ok) return { json: answer.json };
    if (isRefusalForGood(answer.status)) return { refused: answer.message };
    throw new Error(answer.message);
  }
  function parsed<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
    const r = schema.safeParse(json);
    if (!r.success) throw new Error(`the supplier's ${what} is malformed: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
    return r.data;
  }
  return {
    async answerInquiry({ inquiryId, inquiry, assessment }) {
      const { refused, json } = await put(`/inquiries/${encodeURIComponent(inquiryId)}/answer`, { inquiry, assessment });
      if (refused !== undefined) return { success: false, message: refused };
      return parsed(AsyncAnswerBody, json, 'answer') as AsyncAnswer;
    },
    async deliverOrder({ orderId, offer }) {
      const { refused, json } = await put(`/orders/${encodeURIComponent(orderId)}/delivery`, { offer });
      if (refused !== undefined) return { delivered: false, message: refused };
      return parsed(DeliveryBody, json, 'delivery answer') as DeliveryOutcome;
    },
  };
}

export function fibreSupplierFromConfig(config: Config): FibreSupplier {
  const { env } = config;
  if (env.FIBRE_SUPPLIER_ADAPTER === 'http') return httpFibreSupplier(env.FIBRE_SUPPLIER_URL!, env.FIBRE_SUPPLIER_TIMEOUT_MS);
  return simulatedFibreSupplier({
    latencyMs: env.SIM_FIBRE_SUPPLIER_LATENCY_MS,
    transientFailures: env.SIM_FIBRE_SUPPLIER_TRANSIENT_FAILURES,
  });
}
