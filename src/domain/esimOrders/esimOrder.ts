/**
 * What an eSIM order is (seed 001): the request as the API accepted it, its stages, the
 * plans and profiles it resolves to, and the view a partner reads. The workflow's
 * messages are in src/workflows/esimOrders/contract.ts.
 */

/** `TOPUP_ACTIVATION` is the seed's deprecated alias; the API turns it into `TOPUP`. */
export type OperationType = 'NEW_ESIM' | 'TOPUP' | 'BULK_ACTIVATION';

/** The seed's public status values. */
export type EsimOrderStatus = 'ACCEPTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/**
 * Where the workflow is; what the `OrderStatus` search attribute shows ops.
 * CHECKING → (not public: a 422 leaves no order behind), ACCEPTED → ACCEPTED,
 * PROVISIONING / WAITING_FOR_PROFILE / SCHEDULED / ACTIVATING / COMPENSATING → IN_PROGRESS,
 * NEEDS_OPERATOR → IN_PROGRESS (a compensation step failed; an operator retries or skips it),
 * COMPLETED, FAILED; CANCELLED (by an operator) → FAILED; REJECTED is the 422 end.
 * Once a NEW_ESIM or TOPUP is COMPLETED (the eSIM installable, every plan
 * active or booked) its status never goes back, whatever the stage: SCHEDULED and
 * ACTIVATING then mean a later plan waits or starts, and PLAN_FAILED (kept to the end)
 * that one failed: the order stays COMPLETED, that subscription is FAILED, ops look.
 */
export type EsimOrderStage =
  | 'CHECKING'
  | 'ACCEPTED'
  | 'PROVISIONING'
  | 'WAITING_FOR_PROFILE'
  | 'SCHEDULED'
  | 'ACTIVATING'
  | 'COMPENSATING'
  | 'NEEDS_OPERATOR'
  | 'PLAN_FAILED'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'REJECTED';

export interface EsimSubscription {
  id: string;
  type: string;
  /** Absent means "now" (the seed's default), resolved by the workflow at acceptance. */
  activationDate?: string | undefined;
  autoRenew: boolean;
  dataValue?: number | undefined;
  dataUnit?: string | undefined;
  price?: number | undefined;
  currency?: string | undefined;
  /** BULK_ACTIVATION only: the ICCIDs this product is activated on. */
  iccid?: string[] | undefined;
}

export interface EsimOrderRequest {
  operationType: OperationType;
  countryCode: string;
  subscriptions: EsimSubscription[];
  device: { type: 'iot' | 'ios' | 'android'; id: string; model?: string | undefined; uicc?: string | undefined; imei?: string | undefined };
  customer: {
    email: string;
    firstName: string;
    lastName?: string | undefined;
    language: string;
    countryOfResidence?: string | undefined;
  };
  esim?: { iccid?: string | undefined } | undefined;
}

/**
 * BULK_ACTIVATION's maximum: activations (ICCID and product pairs) per order, i.e. the
 * ICCIDs of all subscriptions together, an ICCID named by two subscriptions counting
 * twice. The order runs its activations in child workflows of ESIM_BULK_BATCH_SIZE,
 * which keep their results in the database, so no history comes near Temporal's
 * limits; what bounds it is the order's input (about 22 bytes per ICCID, which must
 * stay under Temporal's 2 MB per payload, and which the order's history holds twice:
 * as its input and as the check's). The benchmark `npm run bench -- esimBulk` runs
 * an order of this size.
 */
export const MAX_BULK_ACTIVATIONS = 10_000;

/** A data plan with the seed's defaults filled in from the product's allowance. */
export interface ResolvedPlan {
  /** Stable per order and plan: the platform's idempotency key. */
  planId: string;
  productId: string;
  type: string;
  activationDate: string;
  autoRenew: boolean;
  dataValue: number;
  dataUnit: string;
  price: number;
  currency: string;
}

export interface EsimProfile {
  iccid: string;
  matchingId: string;
  smdpUrl: string;
}

/**
 * A data plan of a NEW_ESIM or TOPUP, as `output.subscriptions` shows it.
 * SCHEDULED (booked for its activationDate) → ACTIVE, or CANCELLED (an operator
 * cancelled it before its date) or FAILED (the platform refused it); never back.
 */
export type SubscriptionState = 'SCHEDULED' | 'ACTIVE' | 'CANCELLED' | 'FAILED';

export interface SubscriptionView {
  productId: string;
  activationDate: string;
  state: SubscriptionState;
  /** Why it was CANCELLED or FAILED. */
  reason?: string;
}

/** A NEW_ESIM's or TOPUP's output: what installs the eSIM, and (orders run since plans were reported) its plans. */
export interface EsimOrderOutput extends EsimProfile {
  subscriptions?: SubscriptionView[];
}

export type IccidResultStatus = 'ACTIVATED' | 'FAILED' | 'ROLLED_BACK' | 'NOT_ATTEMPTED';

/** BULK_ACTIVATION: one entry per ICCID. */
export interface IccidResult extends Partial<EsimProfile> {
  iccid: string;
  status: IccidResultStatus;
  reason?: string;
}

/**
 * What GET answers; the `status` query and the workflow's result return it too, but
 * for a BULK_ACTIVATION without `output`: its up to 10,000 entries (1 MiB) would make
 * the result a payload over the SDK's warning limit and the order's history grow with
 * its ICCIDs. GET builds a bulk order's output from the database (esim_bulk_activations).
 */
export interface EsimOrderView {
  externalId: string;
  status: EsimOrderStatus;
  output?: EsimOrderOutput | IccidResult[];
  reason?: string;
}

export interface EsimOrderAccepted {
  externalId: string;
  status: 'ACCEPTED';
}
