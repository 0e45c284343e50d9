import type { Config } from '../config';
import type { AsyncAnswer, InquiryAssessment, OfferForOrder, OfferInquiryRequest } from '../workflows/offerInquiry/contract';
import type { DeliveryOutcome } from '../workflows/fiberOrder/contract';

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

/** Only the simulated supplier exists so far; an HTTP adapter would be chosen here. */
export function fibreSupplierFromConfig(config: Config): FibreSupplier {
  return simulatedFibreSupplier({
    latencyMs: config.env.SIM_FIBRE_SUPPLIER_LATENCY_MS,
    transientFailures: config.env.SIM_FIBRE_SUPPLIER_TRANSIENT_FAILURES,
  });
}
