/**
 * A buyer's (or operator's) cancellation of an order as a resource of its own (TMF622's
 * CancelProductOrder): acknowledged when the order takes it; inProgress while the seller
 * assesses it (installation had started); done once the order is CANCELLED;
 * terminatedWithError when the seller refuses it (the order goes on).
 */
export const CANCELLATION_STATES = ['acknowledged', 'inProgress', 'done', 'terminatedWithError'] as const;
export type CancellationState = (typeof CANCELLATION_STATES)[number];

export interface MefCancellation {
  /** `CAN-…`: the API's (derived from the Idempotency-Key, or random), else the workflow's own for an operator's cancel. */
  id: string;
  orderId: string;
  reason: string;
  requestedBy: 'buyer' | 'operator';
  state: CancellationState;
  /** Why it ended in terminatedWithError: the seller's reason. */
  stateReason: string | null;
}
