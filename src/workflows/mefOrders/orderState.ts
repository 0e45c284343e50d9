import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { allows, isTerminal, refusedMove } from '../../domain/shared/lifecycle';
import {
  FulfilmentStep,
  isAllowed,
  MEF_ORDER_LIFECYCLE,
  MefOrderAction,
  MefOrderStatus,
  outcomeOf,
  plannedRunningMs,
  refusalMessage,
} from '../../domain/mefOrders/lifecycle';
import { trackedStage } from '../shared/stage';
import { withItemStates, type SellerPlan } from '../../domain/mefOrders/mefOrder';
import type { MefItemState } from '../../domain/mefOrders/lifecycle';
import type { CancellationState, MefCancellation } from '../../domain/mefOrders/cancellation';
import { ActionAnswer, MefFailure, MefOrderDocument, MefOrderView, OrderItemProgress } from './contract';

/**
 * Runs started before the lifecycle table was enforced replay as they ran: their history
 * may hold a move the table now forbids (a COMPLETED order reopened by the seller's late
 * refusal of a cancel), or a step that ended while the order was paused.
 */
export const LIFECYCLE_ENFORCED = 'mef-lifecycle-table-enforced';

/** Who changed the order's state, as the buyer reads it on the notification (an operator's own name stays in the ops audit trail). */
export interface Actor {
  changedBy: 'buyer' | 'seller' | 'operator';
  reason?: string;
}

/** The seller changes the state unless a buyer's or operator's action does. */
export const BY_SELLER: Actor = { changedBy: 'seller' };

export interface StateChange {
  /** Undefined for the first state the order enters. */
  previous: MefOrderStatus | undefined;
  next: MefOrderStatus;
  message: string;
  by: Actor;
}

/**
 * One MEF order as its workflow holds it: the buyer's document, the order's state and
 * each item's progress. The state changes only through `move`, which follows the
 * lifecycle table; the transitions below are the moves the order's story makes.
 */
export class MefOrderState {
  private readonly stage = trackedStage<MefOrderStatus | 'VALIDATING'>('VALIDATING');
  statusMessage = 'The order is being validated against the seller\'s data.';
  version = 1;
  items: OrderItemProgress[] = [];
  /** Every cancel the order took, oldest first (the resource GET /cancelOrder/{id} reads). */
  readonly cancellations: MefCancellation[] = [];
  /** Each note the buyer adds lets a step waiting for the buyer go on. */
  buyerNotes = 0;
  /** What POST (and its retries) answer: the order as the seller's validation left it. */
  firstAnswer: MefOrderView | undefined;
  /** The order is closing: notes and status requests are refused from now on. */
  closing = false;
  private installStarted = false;
  private heldFrom: MefOrderStatus = 'ACKNOWLEDGED';
  private cancelFrom: MefOrderStatus = 'ACKNOWLEDGED';
  private cancelReason = '';
  private cancelledBy: Actor = BY_SELLER;
  private cancelConfirmed = false;
  private fulfilmentStarted = false;
  /** Per item in fulfilment: when its plan ends it, moved on by the time the order was paused. */
  private readonly dueBy = new Map<string, number>();
  /** Since when the order is paused (undefined: it runs). */
  private pausedAt: number | undefined;
  /** Time paused before `pausedAt`. */
  private pausedTotal = 0;
  /** Why the order is in jeopardy: the first step that overran its plan. */
  private jeopardyReason: string | undefined;

  constructor(
    readonly orderId: string,
    public order: MefOrderDocument,
    private readonly publicBaseUrl: string,
    /** Each fulfilment step's planned running time (MEF_STEP_*). */
    private readonly stepPlans: Record<FulfilmentStep, number>,
    private readonly on: {
      /** What a state change sets off besides the search attribute: the buyer's notification, the UI's details. */
      entered(change: StateChange): void;
      /** Anything else changed (an item's progress): the read model is written again. */
      changed(): void;
    },
  ) {}

  /** The state the buyer sees: an order being validated is ACKNOWLEDGED already. */
  get status(): MefOrderStatus {
    const now = this.stage.now;
    return now === 'VALIDATING' ? 'ACKNOWLEDGED' : now;
  }

  /** The state as it is, VALIDATING included. */
  is(state: MefOrderStatus | 'VALIDATING'): boolean {
    return this.stage.now === state;
  }

  /** Step clocks stand still while the order is held, waits for the buyer, or a cancellation is assessed. */
  get paused(): boolean {
    return this.is('HELD') || this.is('ASSESSING_CANCELLATION') || this.is('PENDING');
  }

  /** A cancel is confirmed: fulfilment stops. */
  get stopped(): boolean {
    return this.cancelConfirmed;
  }

  get finished(): boolean {
    return isTerminal(MEF_ORDER_LIFECYCLE, this.status);
  }

  /** The one way the order's state changes: a move the lifecycle table does not allow is logged and not made. */
  move(next: MefOrderStatus, message: string, by: Actor = BY_SELLER): void {
    const now = this.stage.now;
    const from = now === 'VALIDATING' ? undefined : now;
    if (!allows(MEF_ORDER_LIFECYCLE, from, next) && patched(LIFECYCLE_ENFORCED)) {
      log.warn(refusedMove(MEF_ORDER_LIFECYCLE, from, next), { orderId: this.orderId, message });
      return;
    }
    const wasPaused = this.paused;
    this.stage.set(next);
    this.statusMessage = message;
    this.pausedOrResumed(wasPaused);
    this.on.entered({ previous: from, next, message, by });
  }

  reject(reasons: string[]): void {
    this.move('REJECTED', `The order was rejected: ${reasons.join(' ')}`);
  }

  acknowledge(): void {
    this.items = progressOf(this.order);
    this.move('ACKNOWLEDGED', 'The order is acknowledged by the seller.');
  }

  startFulfilment(): void {
    this.fulfilmentStarted = true;
    this.move('IN_PROGRESS', 'Fulfilment has started.');
  }

  hold(reason: string | undefined, by: Actor): void {
    this.heldFrom = this.status;
    this.move('HELD', reason ? `The order is held: ${reason}` : 'The order is held by the buyer.', by);
  }

  release(reason: string | undefined, by: Actor): void {
    this.move(this.resumed(this.heldFrom), reason ? `The order is released: ${reason}` : 'The order is released and fulfilment resumes.', by);
  }

  /** True when the seller has to assess the cancel: installation has started. Before that nothing is built, and the cancel is confirmed at once. */
  cancel(reason: string | undefined, by: Actor, cancellationId?: string): boolean {
    this.cancelReason = reason ?? 'cancelled by the buyer';
    this.cancelledBy = by;
    this.cancellations.push({
      id: cancellationId ?? `CAN-${this.orderId}-${this.cancellations.length + 1}`,
      orderId: this.orderId,
      reason: this.cancelReason,
      requestedBy: by.changedBy === 'operator' ? 'operator' : 'buyer',
      state: 'acknowledged',
      stateReason: null,
    });
    if (!this.installStarted) {
      this.cancelConfirmed = true;
      return false;
    }
    this.cancelFrom = this.status;
    this.cancellationNow('inProgress');
    this.move('ASSESSING_CANCELLATION', `Installation has started; the seller is assessing the cancellation (${this.cancelReason}).`, by);
    return true;
  }

  cancellationAssessed(decision: { accepted: boolean; reason: string }): void {
    if (decision.accepted) this.cancelConfirmed = true;
    else {
      this.cancellationNow('terminatedWithError', decision.reason);
      this.move(this.resumed(this.cancelFrom), `The seller refused the cancellation: ${decision.reason}`);
    }
  }

  /** The confirmed cancel takes effect: what was not done is CANCELLED, and the state change is the canceller's. */
  cancelled(): void {
    for (const item of this.items) if (item.state !== 'COMPLETED' && item.state !== 'FAILED') item.state = 'CANCELLED';
    this.cancellationNow('done');
    this.move('CANCELLED', `The order is cancelled: ${this.cancelReason}`, this.cancelledBy);
  }

  /** The latest cancellation's state; the order's move that follows writes it. */
  private cancellationNow(state: CancellationState, stateReason: string | null = null): void {
    const latest = this.cancellations.at(-1);
    if (latest) Object.assign(latest, { state, stateReason });
  }

  /** Every item has stopped: the order is COMPLETED, PARTIAL or FAILED by what they came to. */
  conclude(): void {
    const outcome = outcomeOf(this.items);
    const failed = this.items.filter((i) => i.state === 'FAILED').map((i) => `item ${i.orderItemReference}: ${i.message}`);
    this.move(
      outcome,
      outcome === 'COMPLETED' ? 'Every order item is installed and active.' : `Not every order item could be delivered (${failed.join('; ')}).`,
    );
  }

  stepStarted(item: OrderItemProgress, step: FulfilmentStep): void {
    item.state = step;
    item.message = undefined;
    this.planFrom(item, step);
    if (step === 'INSTALL') this.installStarted = true;
    this.on.changed();
  }

  /** The seller took the step on: the item's plan runs from now. */
  stepTakenOn(item: OrderItemProgress, step: FulfilmentStep): void {
    this.planFrom(item, step);
  }

  /** The item's plan, from now: its steps' times from `step` on. */
  private planFrom(item: OrderItemProgress, step: FulfilmentStep): void {
    this.dueBy.set(item.orderItemReference, Date.now() + plannedRunningMs(this.stepPlans, step));
  }

  /**
   * The seller took longer than planned (`allowance`) to take the step on: the order is in
   * jeopardy (the first such step is the reason), and the item's plan moves on. Returns what
   * the alert says.
   */
  stepOverran(item: OrderItemProgress, step: FulfilmentStep, took: number, allowance: number): { message: string; projectedCompletionDate: string } {
    const message = `Order item ${item.orderItemReference}: the seller took ${spanText(took)} to take the ${step} step on, ${spanText(allowance)} planned.`;
    this.jeopardyReason ??= message;
    this.stepTakenOn(item, step);
    this.on.changed();
    return { message, projectedCompletionDate: this.plan().expectedCompletionDate! };
  }

  /** Time the order ran (was not paused) since its workflow began: what a step's overrun is measured in. */
  runningMs(): number {
    const now = Date.now();
    return now - this.pausedTotal - (this.pausedAt === undefined ? 0 : now - this.pausedAt);
  }

  /** The seller needs the buyer's answer: the order is PENDING, unless it is held or a cancel is assessed. */
  waitForBuyer(item: OrderItemProgress, message: string): void {
    item.state = 'WAITING_FOR_BUYER';
    item.message = message;
    if (this.is('IN_PROGRESS')) this.move('PENDING', `Waiting for the buyer: ${message}`);
    else this.on.changed();
  }

  /** The buyer answered: the step goes on, and the order with it once no item waits any more. */
  buyerAnswered(item: OrderItemProgress, step: FulfilmentStep): void {
    item.state = step;
    item.message = undefined;
    if (this.is('PENDING') && !this.items.some((i) => i.state === 'WAITING_FOR_BUYER')) {
      this.move('IN_PROGRESS', 'The buyer answered; fulfilment resumes.');
    }
  }

  itemFailed(item: OrderItemProgress, message: string): void {
    item.state = 'FAILED';
    item.message = message;
    this.on.changed();
  }

  itemCompleted(item: OrderItemProgress): void {
    item.state = 'COMPLETED';
    this.on.changed();
  }

  /** A PUT or PATCH the seller accepted: a new version; before fulfilment the items follow the new document. */
  replace(next: MefOrderDocument): void {
    this.order = next;
    this.version += 1;
    if (this.is('ACKNOWLEDGED')) this.items = progressOf(this.order);
  }

  /** Why a buyer's or operator's action cannot be done now (undefined: it can): where it leads must be a move the table allows. */
  refusalOf(action: MefOrderAction): string | undefined {
    const now = this.stage.now;
    if (now === 'VALIDATING' || !isAllowed(action, now)) return refusalMessage(action, this.status, this.orderId);
    const to = this.targetOf(action);
    return to === undefined || allows(MEF_ORDER_LIFECYCLE, now, to) ? undefined : `Order ${this.orderId} is ${now}: ${refusedMove(MEF_ORDER_LIFECYCLE, now, to)}`;
  }

  refuseUnless(action: MefOrderAction): void {
    const now = this.stage.now;
    if (now === 'VALIDATING' || !isAllowed(action, now)) {
      throw ApplicationFailure.nonRetryable(refusalMessage(action, this.status, this.orderId), MefFailure.invalidState);
    }
  }

  refuseUnlessRunning(what: string): void {
    if (this.is('VALIDATING') || this.closing) {
      throw ApplicationFailure.nonRetryable(`Order ${this.orderId} is ${this.status}: cannot ${what} now.`, MefFailure.invalidState);
    }
  }

  checkVersion(baseVersion: number): void {
    if (baseVersion !== this.version) {
      throw ApplicationFailure.nonRetryable(
        `Order ${this.orderId} is at buyerOrderVersion ${this.version}; the change was made against version ${baseVersion}.`,
        MefFailure.versionConflict,
      );
    }
  }

  /** id and link first, as the seed shows them, then the buyer's fields; the seller's fields always win over anything of the same name in the document. */
  view(): MefOrderView {
    const own = { id: this.orderId, link: { href: `${this.publicBaseUrl}/orders/${this.orderId}` } };
    return withItemStates(
      Object.assign({ ...own }, this.order, { ...own, objectType: 'order' as const, orderStatus: this.status, buyerOrderVersion: String(this.version) }, this.plan()),
      this.items,
    );
  }

  /** Whether a step has overrun its plan. */
  get inJeopardy(): boolean {
    return this.jeopardyReason !== undefined;
  }

  /**
   * The seller's plan as the buyer reads it. While the order is paused its dates assume it
   * runs again now: the written view keeps the date of the moment it paused, and the release
   * moves the plan on by the time paused.
   */
  private plan(): SellerPlan {
    const jeopardy = this.jeopardyReason === undefined ? { jeopardy: false } : { jeopardy: true, jeopardyReason: this.jeopardyReason };
    if (this.is('VALIDATING') || this.finished) return jeopardy;
    const now = Date.now();
    const paused = this.pausedAt === undefined ? 0 : now - this.pausedAt;
    const whole = plannedRunningMs(this.stepPlans);
    let end: number;
    if (!this.fulfilmentStarted) {
      const start = this.order.requestedStartDate ? Date.parse(this.order.requestedStartDate) : now;
      end = Math.max(now, start) + whole;
    } else {
      const open = this.items.filter((i) => i.state !== 'COMPLETED' && i.state !== 'FAILED' && i.state !== 'CANCELLED');
      end = Math.max(now, ...open.map((i) => (this.dueBy.get(i.orderItemReference) ?? now + whole) + paused));
    }
    return { expectedCompletionDate: new Date(end).toISOString(), ...jeopardy };
  }

  /** A pause stops every item's plan; the resume moves each on by the time paused. */
  private pausedOrResumed(wasPaused: boolean): void {
    if (!wasPaused && this.paused) this.pausedAt = Date.now();
    if (wasPaused && !this.paused && this.pausedAt !== undefined) {
      const paused = Date.now() - this.pausedAt;
      this.pausedTotal += paused;
      for (const [ref, due] of this.dueBy) this.dueBy.set(ref, due + paused);
      this.pausedAt = undefined;
    }
  }

  /** Each item's own state (MEF item states), as the view shows it. */
  itemStates(): { orderItemReference: string; state: MefItemState }[] {
    return withItemStates({ orderStatus: this.status, orderItems: this.order.orderItems }, this.items).orderItems;
  }

  answer(): ActionAnswer {
    return { id: this.orderId, orderStatus: this.status, statusMessage: this.statusMessage };
  }

  progress(): { orderStatus: MefOrderStatus; statusMessage: string; items: OrderItemProgress[] } {
    return { orderStatus: this.status, statusMessage: this.statusMessage, items: this.items };
  }

  /** Where an action would take the order now. */
  private targetOf(action: MefOrderAction): MefOrderStatus | undefined {
    if (action === 'hold') return 'HELD';
    if (action === 'release') return this.resumed(this.heldFrom);
    if (action === 'cancel') return this.installStarted ? 'ASSESSING_CANCELLATION' : 'CANCELLED';
    return undefined;
  }

  /** Back to where the order was, unless an item began waiting for the buyer meanwhile (or stopped waiting). */
  private resumed(from: MefOrderStatus): MefOrderStatus {
    if (from === 'HELD' || from === 'ACKNOWLEDGED') return from;
    return this.items.some((i) => i.state === 'WAITING_FOR_BUYER') ? 'PENDING' : 'IN_PROGRESS';
  }
}

function progressOf(order: MefOrderDocument): OrderItemProgress[] {
  return order.orderItems.map((i) => ({ orderItemReference: i.orderItemReference, state: 'NOT_STARTED' }));
}

/** "1 h", "40 min", "20 s": a plan as the buyer reads it. */
function spanText(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
