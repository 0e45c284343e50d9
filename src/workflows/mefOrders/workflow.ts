import { allHandlersFinished, condition, log, patched, setHandler, sleep } from '@temporalio/workflow';
import type { MefNotificationRecord, MefOrderActivities } from '../../activities/mefOrders/activities';
import { FULFILMENT_STEPS, FulfilmentStep, MefOrderStatus } from '../../domain/mefOrders/lifecycle';
import type { MefOrderItem } from '../../domain/mefOrders/mefOrder';
import { flagJeopardy } from '../shared/stage';
import { ownDatabase, partnerSystem } from '../shared/activityPresets';
import { rootMessage } from '../shared/failures';
import { opsDesk } from '../shared/opsActions';
import { outbox } from '../shared/outbox';
import { pausableClock } from '../shared/pausableClock';
import { answerSubmit } from '../shared/submitUpdate';
import { buyerNotifications } from './buyerNotifications';
import { hubEvents } from './hubEvents';
import { buyerActions, buyerUpdates } from './buyerRequests';
import { MefFailure, MefOrderInput, MefOrderSettings, MefOrderView, OrderItemProgress, progressQuery, statusQuery, submitOrderUpdate } from './contract';
import { LIFECYCLE_ENFORCED, MefOrderState } from './orderState';
import { publicIdWrite } from '../shared/sameRequest';

const db = ownDatabase<MefOrderActivities>();

/** Runs started before jeopardy existed replay without its search attribute. */
export const JEOPARDY = 'mef-jeopardy';

/** How long the seller may take to take a step on, for orders started before MEF_SELLER_STEP_ALLOWANCE. */
const DEFAULT_SELLER_STEP_ALLOWANCE_MS = 60_000;

// A step the seller refuses for good fails the order item at once.
const seller = partnerSystem<MefOrderActivities>({
  summary: 'The seller\'s fulfilment system; retried with back-off for a day unless it refuses the step',
  giveUpAfter: '1 day',
  firstRetryAfter: '2s',
  retryAtMostEvery: '10m',
  refusedForGood: [MefFailure.sellerStepFailed],
});

// The buyer's notification endpoint may be down for hours: every error retries, for a week.
const buyer = partnerSystem<MefOrderActivities>({
  summary: 'The buyer\'s notification endpoint; retried with back-off for up to 7 days',
  giveUpAfter: '7 days',
  firstRetryAfter: '1s',
  retryAtMostEvery: '10m',
});

export async function mefOrderWorkflow(input: MefOrderInput, settings: MefOrderSettings): Promise<MefOrderView> {
  const { orderId, tenantId } = input;
  // The read model and the buyer's notifications are written by one loop, in order, so an older snapshot never overwrites a newer one.
  const notifications = outbox<MefNotificationRecord>({
    store: async (queued) =>
      hub.stored(await db.recordMefOrder({
        view: state.view(),
        tenantId,
        correlationId: input.correlationId,
        orderDate: state.order.orderDate ?? input.receivedAt,
        statusMessage: state.statusMessage,
        items: state.items,
        notifications: queued,
        publicId: publicIdWrite(input, state.finished),
        hubEvents: hub.take(),
        cancellations: state.cancellations,
      })),
    deliver: (id) => buyer.deliverMefNotification({ notificationId: id }),
    undeliverable: (id, err) => {
      log.warn('notification could not be delivered within a week', { id, error: String(err) });
      return db.markMefNotificationUndeliverable({ notificationId: id });
    },
  });
  const hub = hubEvents(orderId, settings.hubRetryForMs);
  // Items and cancellations whose state moved become the hub's events (an order being validated has neither yet).
  const itemsMoved = () => {
    if (state.is('VALIDATING')) return;
    hub.observe('productOrderItemStateChangeEvent', state.itemStates().map((i) => ({ key: i.orderItemReference, state: i.state, event: { orderItemId: i.orderItemReference } })));
    hub.observe('cancelProductOrderStateChangeEvent', state.cancellations.map((c) => ({ key: c.id, state: c.state, event: { cancelProductOrderId: c.id } })));
  };
  const state: MefOrderState = new MefOrderState(orderId, input.order, settings.publicBaseUrl, settings.stepDurations, {
    entered: ({ previous, next, message, by }) => {
      notify('ORDER_STATE_CHANGE', message, { previousStatus: previous ?? null, ...by });
      itemsMoved();
      ops.waitingFor(waitOf(state, settings, next, message));
    },
    changed: () => {
      itemsMoved();
      notifications.changed();
    },
  });
  const notify = buyerNotifications({ orderId, tenantId }, state, notifications);
  const stepClock = pausableClock({
    paused: () => state.paused,
    stopped: () => state.stopped,
    summary: 'A fulfilment step\'s time (paused while held)',
    // Decided: a hold or cancel that lands in the workflow task the step's time ran out
    // wins over the timer (the buyer was answered HELD or ASSESSING_CANCELLATION), so
    // COMPLETED is never entered from a paused state.
    endsAfterPause: () => patched(LIFECYCLE_ENFORCED),
  });

  setHandler(statusQuery, () => state.view());
  setHandler(progressQuery, () => state.progress());
  answerSubmit(submitOrderUpdate, {
    requestHash: input.requestHash,
    what: `order (${orderId})`,
    ready: () => state.firstAnswer !== undefined,
    beforeAnswering: notifications.stored,
    answer: () => state.firstAnswer!,
  });
  const ops = opsDesk({ family: 'mef', publicId: orderId, state: () => state.status });
  const requests = { state, stored: notifications.stored };
  buyerActions(ops, requests, () => void assessCancellation());
  buyerUpdates(requests, tenantId, notify);
  // Started after the handlers, where the loops always began: which wait resolves first
  // decides the order of commands, and recorded histories must replay.
  notifications.start();
  hub.start();

  // 1. Validation against the seller's data (known ENNIs, product specifications).
  const verdict = await db.validateMefOrder({ tenantId, order: state.order });
  if (!verdict.valid) {
    state.reject(verdict.reasons);
    state.firstAnswer = state.view();
    return finish();
  }
  state.acknowledge();
  state.firstAnswer = state.view();

  // 2. Fulfilment, from requestedStartDate (or at once), per order item.
  await untilStart();
  if (!state.stopped) {
    state.startFulfilment();
    await Promise.all(state.items.map(fulfil));
    // The last item failed while the order was held or a cancel was assessed: the outcome,
    // like a completion, waits for the release or the seller's decision.
    if (state.paused && !state.stopped && patched(LIFECYCLE_ENFORCED)) await stepClock.running();
  }
  if (state.stopped) {
    await seller.releaseMefResources({ orderId });
    state.cancelled();
    return finish();
  }
  state.conclude();
  return finish();

  async function untilStart(): Promise<void> {
    // Re-read after every accepted change: a PUT/PATCH may move requestedStartDate.
    const startAt = () => (state.order.requestedStartDate ? Date.parse(state.order.requestedStartDate) : 0);
    while (!state.stopped && Date.now() < startAt()) {
      const seen = state.version;
      await condition(() => state.stopped || state.version !== seen, startAt() - Date.now());
    }
    await condition(() => !state.is('HELD') || state.stopped);
  }

  async function fulfil(item: OrderItemProgress): Promise<void> {
    const detail = state.order.orderItems.find((i) => i.orderItemReference === item.orderItemReference)!;
    for (const step of FULFILMENT_STEPS) {
      await stepClock.running();
      if (state.stopped) return;
      state.stepStarted(item, step);
      if (!(await runStep(item, detail, step))) return;
      milestone(item, step);
    }
    state.itemCompleted(item);
  }

  /**
   * One step of one item: the seller takes it on, then its time runs. True once it is done,
   * false when the item failed or the order was cancelled meanwhile. A seller that takes longer
   * than planned to take the step on puts the order in jeopardy.
   */
  async function runStep(item: OrderItemProgress, detail: MefOrderItem, step: FulfilmentStep): Promise<boolean> {
    const runningAtStart = state.runningMs();
    if (!(await performStep(item, detail, step))) return false;
    const took = state.runningMs() - runningAtStart;
    if (took > (settings.sellerStepAllowanceMs ?? DEFAULT_SELLER_STEP_ALLOWANCE_MS) && patched(JEOPARDY)) overran(item, step, took);
    else state.stepTakenOn(item, step);
    return stepClock.run(settings.stepDurations[step]);
  }

  /**
   * The item finished a step: a milestone for the hub's listeners. It goes with the order's
   * next write (the next step's start, or the item's completion; after a release when the
   * step ended as the order paused), so it costs no write of its own.
   */
  function milestone(item: OrderItemProgress, step: FulfilmentStep): void {
    hub.once('productSpecificProductOrderMilestoneEvent', [
      { key: `${item.orderItemReference} ${step}`, event: { orderItemId: item.orderItemReference, milestoneName: `${step}_COMPLETED`, milestoneDate: new Date().toISOString() } },
    ]);
  }

  /** The seller's work on one step: false when the item failed or the order was cancelled meanwhile. */
  async function performStep(item: OrderItemProgress, detail: MefOrderItem, step: FulfilmentStep): Promise<boolean> {
    try {
      let result = await seller.performMefSellerStep({ orderId, item: detail, step });
      while (result.outcome === 'NEEDS_BUYER' && !state.stopped) {
        const notesBefore = state.buyerNotes;
        state.waitForBuyer(item, result.message);
        await condition(() => state.buyerNotes > notesBefore || state.stopped);
        if (state.stopped) return false;
        state.buyerAnswered(item, step);
        result = await seller.performMefSellerStep({ orderId, item: detail, step, buyerAnswered: true });
      }
      return true;
    } catch (err) {
      state.itemFailed(item, rootMessage(err));
      return false;
    }
  }

  /** A jeopardy alert to the hub's listeners, the order's `jeopardy`, and `Jeopardy` for operators. */
  function overran(item: OrderItemProgress, step: FulfilmentStep, took: number): void {
    const first = !state.inJeopardy;
    const alert = state.stepOverran(item, step, took, settings.sellerStepAllowanceMs ?? DEFAULT_SELLER_STEP_ALLOWANCE_MS);
    hub.once('productOrderJeopardyAlertEvent', [
      {
        key: `${item.orderItemReference} ${step}`,
        event: { orderItemId: item.orderItemReference, jeopardyType: 'Normal', name: `${step}_OVERRUN`, message: alert.message, alertDate: new Date().toISOString(), projectedCompletionDate: alert.projectedCompletionDate },
      },
    ]);
    if (first) flagJeopardy();
  }

  async function assessCancellation(): Promise<void> {
    await condition(() => state.stopped, settings.cancellationAssessmentMs, { summary: 'The seller assesses the cancellation' });
    state.cancellationAssessed(await seller.assessMefCancellation({ orderId, items: state.items }));
  }

  async function finish(): Promise<MefOrderView> {
    // Still answers status requests and notes for a while; actions are refused by state.
    if (settings.closedOrderWindowMs > 0) await sleep(settings.closedOrderWindowMs);
    state.closing = true;
    await condition(allHandlersFinished);
    await ops.written();
    await notifications.drained();
    await hub.drained();
    return state.view();
  }
}

/** What the order waits for in `next`, for the Temporal UI's current details. */
function waitOf(state: MefOrderState, settings: MefOrderSettings, next: MefOrderStatus, message: string): string {
  const now = new Date();
  switch (next) {
    case 'ACKNOWLEDGED':
      return state.order.requestedStartDate ? `the requested start date, ${state.order.requestedStartDate}.` : 'fulfilment to start.';
    case 'IN_PROGRESS':
      return `the seller's fulfilment steps (${FULFILMENT_STEPS.join(', ')}) of each order item, since ${now.toISOString()}.`;
    case 'PENDING':
      return `the buyer (a note answers it), since ${now.toISOString()}: ${message}`;
    case 'HELD':
      return `a release by the buyer or an operator, held since ${now.toISOString()} (step clocks paused).`;
    case 'ASSESSING_CANCELLATION':
      return `the seller's decision on the cancellation, due by ${new Date(now.getTime() + settings.cancellationAssessmentMs).toISOString()}.`;
    default:
      return settings.closedOrderWindowMs > 0
        ? `nothing: the order is ${next}; it answers status requests and notes until ${new Date(now.getTime() + settings.closedOrderWindowMs).toISOString()}.`
        : '';
  }
}
