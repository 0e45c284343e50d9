/**
 * The MEF order's state machine, as pure rules: the workflow decides with them,
 * the tests enumerate them. Names follow TMF622 / MEF LSO Sonata, upper-case as
 * seed 003 writes `IN_PROGRESS`. No I/O here: it is bundled into workflow code.
 */
import type { Lifecycle } from '../shared/lifecycle';

export const MEF_ORDER_STATUSES = [
  'ACKNOWLEDGED',
  'IN_PROGRESS',
  'HELD',
  'PENDING',
  'ASSESSING_CANCELLATION',
  'CANCELLED',
  'COMPLETED',
  'PARTIAL',
  'FAILED',
  'REJECTED',
] as const;
export type MefOrderStatus = (typeof MEF_ORDER_STATUSES)[number];

export const FINAL_STATUSES: readonly MefOrderStatus[] = ['CANCELLED', 'COMPLETED', 'PARTIAL', 'FAILED', 'REJECTED'];

/**
 * Every move the order may make. An outcome (COMPLETED, PARTIAL, FAILED) is reached only
 * from IN_PROGRESS: while the order is HELD or a cancellation is assessed its step clocks
 * stand still, so a step that ends in the very workflow task a hold or cancel arrives
 * waits for the release or the seller's decision (the buyer was already answered HELD or
 * ASSESSING_CANCELLATION, and those answers stay true). Final states go nowhere: a
 * seller's late refusal of a cancel cannot reopen a finished order.
 */
export const MEF_ORDER_LIFECYCLE: Lifecycle<MefOrderStatus> = {
  name: 'MEF order',
  initial: ['ACKNOWLEDGED', 'REJECTED'],
  moves: {
    // CANCELLED directly: a cancel before installation is confirmed at once.
    ACKNOWLEDGED: ['IN_PROGRESS', 'HELD', 'CANCELLED'],
    IN_PROGRESS: ['HELD', 'PENDING', 'ASSESSING_CANCELLATION', 'CANCELLED', 'COMPLETED', 'PARTIAL', 'FAILED'],
    // A release returns to where the hold found the order (PENDING if an item began waiting for the buyer meanwhile).
    HELD: ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'ASSESSING_CANCELLATION', 'CANCELLED'],
    PENDING: ['IN_PROGRESS', 'ASSESSING_CANCELLATION', 'CANCELLED'],
    // Accepted: CANCELLED; refused: back to where the cancel found the order.
    ASSESSING_CANCELLATION: ['CANCELLED', 'IN_PROGRESS', 'PENDING', 'HELD'],
    CANCELLED: [],
    COMPLETED: [],
    PARTIAL: [],
    FAILED: [],
    REJECTED: [],
  },
};

/** States in which the buyer may still change the order (PUT/PATCH). */
export const OPEN_STATUSES: readonly MefOrderStatus[] = ['ACKNOWLEDGED', 'IN_PROGRESS', 'HELD', 'PENDING'];

export type MefOrderAction = 'hold' | 'release' | 'cancel' | 'update';

/** Where each buyer action may start; anything else is refused with 409 naming the state. */
export const ACTION_ALLOWED_FROM: Record<MefOrderAction, readonly MefOrderStatus[]> = {
  hold: ['ACKNOWLEDGED', 'IN_PROGRESS'],
  release: ['HELD'],
  cancel: ['ACKNOWLEDGED', 'IN_PROGRESS', 'HELD', 'PENDING'],
  update: OPEN_STATUSES,
};

export function isAllowed(action: MefOrderAction, status: MefOrderStatus): boolean {
  return ACTION_ALLOWED_FROM[action].includes(status);
}

export function refusalMessage(action: MefOrderAction, status: MefOrderStatus, orderId: string): string {
  const allowed = ACTION_ALLOWED_FROM[action].join(', ');
  return `Order ${orderId} is ${status}: ${action} is only possible while the order is ${allowed}.`;
}


/** The simulated seller's fulfilment steps of one order item, in order. */
export const FULFILMENT_STEPS = ['DESIGN', 'INSTALL', 'ACTIVATE'] as const;
export type FulfilmentStep = (typeof FULFILMENT_STEPS)[number];

/**
 * An item's planned running time from the start of `from` to the end of its last step: each
 * step is planned to take its configured duration (MEF_STEP_*), and time the order is paused
 * (held, waiting for the buyer, a cancellation assessed) is not running time.
 */
export function plannedRunningMs(durations: Record<FulfilmentStep, number>, from: FulfilmentStep = FULFILMENT_STEPS[0]): number {
  return FULFILMENT_STEPS.slice(FULFILMENT_STEPS.indexOf(from)).reduce((sum, step) => sum + durations[step], 0);
}

export type OrderItemState = 'NOT_STARTED' | FulfilmentStep | 'WAITING_FOR_BUYER' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/**
 * Each order item's own state, as MEF item states name it: the item's progress read with the
 * order's state (an item of a held order is HELD until released; a rejected order's items were
 * never accepted). The steps show in GET /orders/{id}/status; here they are IN_PROGRESS.
 */
export const MEF_ITEM_STATES = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD', 'ASSESSING_CANCELLATION', 'COMPLETED', 'FAILED', 'CANCELLED', 'REJECTED'] as const;
export type MefItemState = (typeof MEF_ITEM_STATES)[number];

export function itemStateOf(orderStatus: MefOrderStatus, progress: OrderItemState): MefItemState {
  if (progress === 'COMPLETED' || progress === 'FAILED' || progress === 'CANCELLED') return progress;
  if (orderStatus === 'REJECTED' || orderStatus === 'CANCELLED') return orderStatus;
  if (orderStatus === 'HELD' || orderStatus === 'ASSESSING_CANCELLATION') return orderStatus;
  if (progress === 'WAITING_FOR_BUYER') return 'PENDING';
  return progress === 'NOT_STARTED' ? 'ACKNOWLEDGED' : 'IN_PROGRESS';
}

/** The order's outcome once every item has stopped: all done, none done, or some of each. */
export function outcomeOf(items: { state: OrderItemState }[]): 'COMPLETED' | 'FAILED' | 'PARTIAL' {
  const done = items.filter((i) => i.state === 'COMPLETED').length;
  if (done === items.length) return 'COMPLETED';
  return done === 0 ? 'FAILED' : 'PARTIAL';
}

/** RFC 7396 JSON merge patch: objects merge recursively, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `buyerOrderVersion` is a string of digits in the seed ("1"); an If-Match may quote it as an ETag. */
export function parseVersion(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(v.trim());
  return m ? Number(m[1]) : NaN;
}
