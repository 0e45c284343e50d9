import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import {
  FULFILMENT_STEPS,
  isAllowed,
  MEF_ORDER_LIFECYCLE,
  MefOrderAction,
  MefOrderStatus,
  outcomeOf,
  refusalMessage,
} from '../../domain/mefOrders/lifecycle';
import { allows, isTerminal, refusedMove } from '../../domain/shared/lifecycle';
import type { MefNotificationRecord } from '../../activities/mefOrders/activities';
import { rootMessage } from '../shared/failures';
import {
  ActionAnswer,
  ActionRequest,
  addBuyerNoteUpdate,
  BuyerNoteInput,
  cancelOrderUpdate,
  cancelSignal,
  holdOrderUpdate,
  holdSignal,
  MefFailure,
  MefOrderDocument,
  MefOrderInput,
  MefOrderSettings,
  MefOrderView,
  NotificationType,
  OrderItemProgress,
  progressQuery,
  recordStatusResponseUpdate,
  releaseOrderUpdate,
  releaseSignal,
  ReplaceOrderInput,
  replaceOrderUpdate,
  StatusRequest,
  requestStatusUpdate,
  statusQuery,
  submitOrderUpdate,
  UpstreamStatusResponse,
} from './contract';
import { ownDatabase as db, partnerSystem } from '../shared/activityPresets';
import { opsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import { trackedStage } from '../shared/stage';
import { answerSubmit } from '../shared/submitUpdate';

// A step the seller refuses for good fails the order item at once.
const seller = partnerSystem({
  summary: 'The seller\'s fulfilment system; retried with back-off for a day unless it refuses the step',
  giveUpAfter: '1 day',
  firstRetryAfter: '2s',
  retryAtMostEvery: '10m',
  refusedForGood: [MefFailure.sellerStepFailed],
});

// The buyer's notification endpoint may be down for hours: every error retries, for a week.
const buyer = partnerSystem({
  summary: 'The buyer\'s notification endpoint; retried with back-off for up to 7 days',
  giveUpAfter: '7 days',
  firstRetryAfter: '1s',
  retryAtMostEvery: '10m',
});

/**
 * Runs started before the lifecycle table was enforced replay as they ran: their history
 * may hold a move the table now forbids (a COMPLETED order reopened by the seller's late
 * refusal of a cancel), or a step that ended while the order was paused.
 */
const LIFECYCLE_ENFORCED = 'mef-lifecycle-table-enforced';

export async function mefOrderWorkflow(input: MefOrderInput, settings: MefOrderSettings): Promise<MefOrderView> {
  const { orderId, tenantId } = input;
  let order: MefOrderDocument = input.order;
  let version = 1;
  const stage = trackedStage<MefOrderStatus | 'VALIDATING'>('VALIDATING');
  let statusMessage = 'The order is being validated against the seller\'s data.';
  let items: OrderItemProgress[] = [];
  let heldFrom: MefOrderStatus = 'ACKNOWLEDGED';
  let cancelFrom: MefOrderStatus = 'ACKNOWLEDGED';
  let cancelReason = '';
  let cancelConfirmed = false;
  let installStarted = false;
  // What POST (and its retries) answer: the order as the seller's validation left it.
  let decision: MefOrderView | undefined;
  let buyerNotes = 0;
  // Who causes the state change being entered: the seller unless a buyer's or operator's action does.
  const BY_SELLER = { changedBy: 'seller' } as const;
  let actingNow: { changedBy: 'buyer' | 'seller' | 'operator'; reason?: string } = BY_SELLER;
  let cancelledBy = actingNow;

  // Changes are persisted by one loop, in order, so an older snapshot never overwrites a newer one.
  let revision = 0;
  let persistedRevision = 0;
  let notificationSeq = 0;
  const unstored: MefNotificationRecord[] = [];
  const undelivered: string[] = [];
  const statusRequests = new Map<string, string>();
  const statusResponses = new Map<string, { requestHash: string; notificationId: string }>();

  const publicStatus = (): MefOrderStatus => (stage.now === 'VALIDATING' ? 'ACKNOWLEDGED' : stage.now);
  // id and link first, as the seed shows them, then the buyer's fields; the
  // seller's fields always win over anything of the same name in the document.
  const view = (): MefOrderView => {
    const own = { id: orderId, link: { href: `${settings.publicBaseUrl}/orders/${orderId}` } };
    return Object.assign({ ...own }, order, { ...own, objectType: 'order' as const, orderStatus: publicStatus(), buyerOrderVersion: String(version) });
  };
  const answer = (): ActionAnswer => ({ id: orderId, orderStatus: publicStatus(), statusMessage });

  function notify(type: NotificationType, message: string, detail?: Record<string, unknown>, deliver = true): string {
    notificationSeq += 1;
    const id = `${orderId}-N${String(notificationSeq).padStart(4, '0')}`;
    unstored.push({
      id,
      orderId,
      tenantId,
      seq: notificationSeq,
      notificationType: type,
      orderStatus: publicStatus(),
      buyerOrderVersion: String(version),
      message,
      detail: detail ?? null,
      delivery: deliver ? 'PENDING' : 'NOT_APPLICABLE',
    });
    if (deliver) undelivered.push(id);
    revision += 1;
    return id;
  }

  /** The one way the order's state changes: a move the lifecycle table does not allow is logged and not made. */
  function enter(next: MefOrderStatus, message: string): boolean {
    const previous = stage.now;
    const from = previous === 'VALIDATING' ? undefined : previous;
    if (!allows(MEF_ORDER_LIFECYCLE, from, next) && patched(LIFECYCLE_ENFORCED)) {
      log.warn(refusedMove(MEF_ORDER_LIFECYCLE, from, next), { orderId, message });
      return false;
    }
    stage.set(next);
    statusMessage = message;
    notify('ORDER_STATE_CHANGE', message, { previousStatus: previous === 'VALIDATING' ? null : previous, ...actingNow });
    ops.waitingFor(waitOf(next, message));
    return true;
  }

  /** What the order waits for in `state`, for the Temporal UI's current details. */
  function waitOf(state: MefOrderStatus, message: string): string {
    const now = new Date();
    switch (state) {
      case 'ACKNOWLEDGED':
        return order.requestedStartDate ? `the requested start date, ${order.requestedStartDate}.` : 'fulfilment to start.';
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
          ? `nothing: the order is ${state}; it answers status requests and notes until ${new Date(now.getTime() + settings.closedOrderWindowMs).toISOString()}.`
          : '';
    }
  }

  /** Resolves once everything changed so far is in the read model. */
  const persisted = (): Promise<void> => {
    const wanted = revision;
    return condition(() => persistedRevision >= wanted);
  };

  function refuseUnless(action: MefOrderAction): void {
    if (stage.now === 'VALIDATING' || !isAllowed(action, stage.now)) {
      throw ApplicationFailure.nonRetryable(refusalMessage(action, publicStatus(), orderId), MefFailure.invalidState);
    }
  }

  setHandler(statusQuery, view);
  setHandler(progressQuery, () => ({ orderStatus: publicStatus(), statusMessage, items }));

  answerSubmit(submitOrderUpdate, {
    requestHash: input.requestHash,
    what: `order (${orderId})`,
    ready: () => decision !== undefined,
    beforeAnswering: persisted,
    answer: () => decision!,
  });

  function hold({ reason }: ActionRequest): void {
    heldFrom = publicStatus();
    enter('HELD', reason ? `The order is held: ${reason}` : 'The order is held by the buyer.');
  }
  function release({ reason }: ActionRequest): void {
    enter(resumed(heldFrom), reason ? `The order is released: ${reason}` : 'The order is released and fulfilment resumes.');
  }
  /** Back to where the order was, unless an item began waiting for the buyer meanwhile (or stopped waiting). */
  function resumed(from: MefOrderStatus): MefOrderStatus {
    if (from === 'HELD' || from === 'ACKNOWLEDGED') return from;
    return items.some((i) => i.state === 'WAITING_FOR_BUYER') ? 'PENDING' : 'IN_PROGRESS';
  }
  function cancel({ reason }: ActionRequest): void {
    cancelReason = reason ?? 'cancelled by the buyer';
    cancelledBy = actingNow;
    if (!installStarted) {
      // Before installation nothing is built: the seller cancels at once.
      cancelConfirmed = true;
      return;
    }
    cancelFrom = publicStatus();
    enter('ASSESSING_CANCELLATION', `Installation has started; the seller is assessing the cancellation (${cancelReason}).`);
    // Runs beside the fulfilment; the update answers ASSESSING_CANCELLATION at once.
    void assessCancellation();
  }

  async function assessCancellation(): Promise<void> {
    await condition(() => cancelConfirmed, settings.cancellationAssessmentMs, { summary: 'The seller assesses the cancellation' });
    const decision = await seller.assessMefCancellation({ orderId, items });
    if (decision.accepted) {
      cancelConfirmed = true;
    } else {
      enter(resumed(cancelFrom), `The seller refused the cancellation: ${decision.reason}`);
    }
  }

  // hold, release and cancel: the buyer's HTTP actions (updates) and the operator's signals, one rule.
  const ops = opsDesk({ family: 'mef', publicId: orderId, state: publicStatus });
  /** Where an action would take the order now: its answer must be a move the lifecycle table allows. */
  const targetOf = (action: MefOrderAction): MefOrderStatus | undefined => {
    if (action === 'hold') return 'HELD';
    if (action === 'release') return resumed(heldFrom);
    if (action === 'cancel') return installStarted ? 'ASSESSING_CANCELLATION' : 'CANCELLED';
    return undefined;
  };
  const refusalOf = (action: MefOrderAction) => () => {
    if (stage.now === 'VALIDATING' || !isAllowed(action, stage.now)) return refusalMessage(action, publicStatus(), orderId);
    const to = targetOf(action);
    return to === undefined || allows(MEF_ORDER_LIFECYCLE, stage.now, to) ? undefined : `Order ${orderId} is ${stage.now}: ${refusedMove(MEF_ORDER_LIFECYCLE, stage.now, to)}`;
  };
  const buyerAction = (action: MefOrderAction, apply: (req: ActionRequest) => void, settled: () => boolean) => ({
    action,
    schema: ActionRequest,
    refusal: refusalOf(action),
    apply: (req: ActionRequest) => {
      // The buyer reads who changed the state and why on the notification; an operator's own name stays in the ops audit trail.
      actingNow = { changedBy: req.by?.startsWith('buyer ') ? 'buyer' : 'operator', ...(req.reason ? { reason: req.reason } : {}) };
      try {
        apply(req);
      } finally {
        actingNow = BY_SELLER;
      }
    },
    settled,
    // The state the action led to, even if fulfilment moves on before the read model catches up.
    answer: answer,
    beforeAnswering: persisted,
    why: (req: ActionRequest) => req.reason,
  });
  ops.action(buyerAction('hold', hold, () => true), holdSignal, holdOrderUpdate);
  ops.action(buyerAction('release', release, () => true), releaseSignal, releaseOrderUpdate);
  // An immediate cancel answers once the order is CANCELLED; otherwise with ASSESSING_CANCELLATION.
  ops.action(buyerAction('cancel', cancel, () => stage.now === 'CANCELLED' || stage.now === 'ASSESSING_CANCELLATION'), cancelSignal, cancelOrderUpdate);

  setHandler(
    replaceOrderUpdate,
    async ({ kind, order: next, baseVersion }) => {
      const verdict = await db.validateMefOrder({ tenantId, order: next });
      // Checked again after the await: another change may have landed meanwhile.
      refuseUnless('update');
      checkVersion(baseVersion);
      if (!verdict.valid) {
        throw ApplicationFailure.nonRetryable(`The changed order is not valid: ${verdict.reasons.join(' ')}`, MefFailure.invalidOrder);
      }
      order = next;
      version += 1;
      if (stage.now === 'ACKNOWLEDGED') items = progressOf(order);
      notify('ORDER_UPDATE', `The order was changed by ${kind} to version ${version}.`, { kind });
      const changed = view();
      await persisted();
      return changed;
    },
    {
      validator: (raw) => {
        parsedOrRefused(ReplaceOrderInput, raw, 'replaceOrder');
        const { order: next, baseVersion } = raw;
        refuseUnless('update');
        checkVersion(baseVersion);
        const refs = (o: MefOrderDocument) => o.orderItems.map((i) => i.orderItemReference).sort().join(',');
        if (stage.now !== 'ACKNOWLEDGED' && refs(next) !== refs(order)) {
          throw ApplicationFailure.nonRetryable(
            `Order ${orderId} is ${publicStatus()}: order items cannot be added or removed once fulfilment has started.`,
            MefFailure.itemsFrozen,
          );
        }
      },
    },
  );

  function checkVersion(baseVersion: number): void {
    if (baseVersion !== version) {
      throw ApplicationFailure.nonRetryable(
        `Order ${orderId} is at buyerOrderVersion ${version}; the change was made against version ${baseVersion}.`,
        MefFailure.versionConflict,
      );
    }
  }

  setHandler(
    addBuyerNoteUpdate,
    async ({ note }) => {
      buyerNotes += 1;
      const notificationId = notify('BUYER_NOTE', note, undefined, false);
      await persisted();
      return { notificationId };
    },
    {
      validator: (raw) => {
        parsedOrRefused(BuyerNoteInput, raw, 'addBuyerNote');
        refuseUnlessRunning('add a note');
      },
    },
  );

  setHandler(
    requestStatusUpdate,
    async ({ requestId }) => {
      let notificationId = statusRequests.get(requestId);
      if (!notificationId) {
        notificationId = notify('STATUS_RESPONSE', `Order ${orderId} is ${publicStatus()}: ${statusMessage}`, {
          requestId,
          orderItems: items,
        });
        statusRequests.set(requestId, notificationId);
      }
      await persisted();
      return { requestId, notificationId };
    },
    {
      validator: (raw) => {
        parsedOrRefused(StatusRequest, raw, 'requestStatus');
        refuseUnlessRunning('request status');
      },
    },
  );

  setHandler(
    recordStatusResponseUpdate,
    async (res) => {
      let seen = statusResponses.get(res.responseId);
      if (!seen) {
        const message = res.statusMessage ?? `Upstream order status ${res.orderStatus}`;
        const notificationId = notify('UPSTREAM_STATUS_RESPONSE', message, { ...res, requestHash: undefined }, false);
        seen = { requestHash: res.requestHash, notificationId };
        statusResponses.set(res.responseId, seen);
      }
      await persisted();
      return { notificationId: seen.notificationId };
    },
    {
      validator: (raw) => {
        const res = parsedOrRefused(UpstreamStatusResponse, raw, 'recordStatusResponse');
        refuseUnlessRunning('record a status response');
        const seen = statusResponses.get(res.responseId);
        if (seen && seen.requestHash !== res.requestHash) {
          throw ApplicationFailure.nonRetryable(
            `Status response ${res.responseId} was already recorded with another body.`,
            MefFailure.statusResponseConflict,
          );
        }
      },
    },
  );

  let closing = false;
  function refuseUnlessRunning(what: string): void {
    if (stage.now === 'VALIDATING' || closing) {
      throw ApplicationFailure.nonRetryable(`Order ${orderId} is ${publicStatus()}: cannot ${what} now.`, MefFailure.invalidState);
    }
  }

  const persister = (async () => {
    for (;;) {
      await condition(() => revision > persistedRevision);
      const target = revision;
      const notifications = unstored.splice(0);
      await db.recordMefOrder({
        view: view(),
        tenantId,
        correlationId: input.correlationId,
        orderDate: order.orderDate ?? input.receivedAt,
        statusMessage,
        items,
        notifications,
        publicId: { requestHash: input.requestHash, finished: isTerminal(MEF_ORDER_LIFECYCLE, publicStatus()) },
      });
      persistedRevision = target;
    }
  })();

  // Delivered in the order they were made; a buyer endpoint that is down holds the
  // queue (durable retries) without holding up fulfilment.
  const deliverer = (async () => {
    for (;;) {
      await condition(() => undelivered.length > 0 && persistedRevision > 0);
      const id = undelivered[0]!;
      await persistedNotification(id);
      try {
        await buyer.deliverMefNotification({ notificationId: id });
      } catch (err) {
        log.warn('notification could not be delivered within a week', { id, error: String(err) });
        await db.markMefNotificationUndeliverable({ notificationId: id });
      }
      undelivered.shift();
    }
  })();

  async function persistedNotification(id: string): Promise<void> {
    await condition(() => !unstored.some((n) => n.id === id));
    await persisted();
  }

  const stopped = () => cancelConfirmed;
  const paused = () => stage.now === 'HELD' || stage.now === 'ASSESSING_CANCELLATION' || stage.now === 'PENDING';

  /**
   * A step's duration as a pausable clock: a hold (or a cancellation being assessed)
   * stops it, and release resumes with the remaining time. Durable timers underneath.
   */
  async function clock(ms: number): Promise<boolean> {
    let remaining = ms;
    while (remaining > 0) {
      await condition(() => !paused() || stopped());
      if (stopped()) return false;
      const started = Date.now();
      await condition(() => paused() || stopped(), remaining, { summary: 'A fulfilment step\'s time (paused while held)' });
      remaining -= Date.now() - started;
    }
    // The step's time ran out in the very workflow task a hold or a cancel paused the order
    // (updates and signals are applied before timers): the buyer has been answered HELD or
    // ASSESSING_CANCELLATION, so the step ends only once the pause does. Decided: the
    // action wins over the timer; COMPLETED is never entered from a paused state.
    if (paused() && !stopped() && patched(LIFECYCLE_ENFORCED)) {
      await condition(() => !paused() || stopped());
    }
    return !stopped();
  }

  async function fulfil(item: OrderItemProgress): Promise<void> {
    const detail = order.orderItems.find((i) => i.orderItemReference === item.orderItemReference)!;
    for (const step of FULFILMENT_STEPS) {
      await condition(() => !paused() || stopped());
      if (stopped()) return;
      item.state = step;
      item.message = undefined;
      if (step === 'INSTALL') installStarted = true;
      revision += 1;
      try {
        let result = await seller.performMefSellerStep({ orderId, item: detail, step });
        while (result.outcome === 'NEEDS_BUYER' && !stopped()) {
          const notesBefore = buyerNotes;
          item.state = 'WAITING_FOR_BUYER';
          item.message = result.message;
          if (stage.now === 'IN_PROGRESS') enter('PENDING', `Waiting for the buyer: ${result.message}`);
          else revision += 1;
          await condition(() => buyerNotes > notesBefore || stopped());
          if (stopped()) return;
          item.state = step;
          item.message = undefined;
          if (stage.now === 'PENDING' && !items.some((i) => i.state === 'WAITING_FOR_BUYER')) {
            enter('IN_PROGRESS', 'The buyer answered; fulfilment resumes.');
          }
          result = await seller.performMefSellerStep({ orderId, item: detail, step, buyerAnswered: true });
        }
      } catch (err) {
        item.state = 'FAILED';
        item.message = rootMessage(err);
        revision += 1;
        return;
      }
      if (!(await clock(settings.stepDurations[step]))) return;
    }
    item.state = 'COMPLETED';
    revision += 1;
  }

  async function untilStart(): Promise<void> {
    // Re-read after every accepted change: a PUT/PATCH may move requestedStartDate.
    const startAt = () => (order.requestedStartDate ? Date.parse(order.requestedStartDate) : 0);
    while (!stopped() && Date.now() < startAt()) {
      const seen = version;
      await condition(() => stopped() || version !== seen, startAt() - Date.now());
    }
    await condition(() => stage.now !== 'HELD' || stopped());
  }

  async function finish(): Promise<MefOrderView> {
    // Still answers status requests and notes for a while; actions are refused by state.
    if (settings.closedOrderWindowMs > 0) await sleep(settings.closedOrderWindowMs);
    closing = true;
    await condition(allHandlersFinished);
    await ops.written();
    await condition(() => undelivered.length === 0 && revision === persistedRevision && unstored.length === 0);
    void persister;
    void deliverer;
    return view();
  }

  // 1. Validation against the seller's data (known ENNIs, product specifications).
  const verdict = await db.validateMefOrder({ tenantId, order });
  if (!verdict.valid) {
    enter('REJECTED', `The order was rejected: ${verdict.reasons.join(' ')}`);
    decision = view();
    return finish();
  }
  items = progressOf(order);
  enter('ACKNOWLEDGED', 'The order is acknowledged by the seller.');
  decision = view();

  // 2. Fulfilment, from requestedStartDate (or at once), per order item.
  await untilStart();
  if (!stopped()) {
    enter('IN_PROGRESS', 'Fulfilment has started.');
    await Promise.all(items.map(fulfil));
    // The last item failed while the order was held or a cancel was assessed: the outcome,
    // like a completion, waits for the release or the seller's decision.
    if (paused() && !stopped() && patched(LIFECYCLE_ENFORCED)) await condition(() => !paused() || stopped());
  }
  if (stopped()) {
    await seller.releaseMefResources({ orderId });
    for (const item of items) if (item.state !== 'COMPLETED' && item.state !== 'FAILED') item.state = 'CANCELLED';
    actingNow = cancelledBy;
    enter('CANCELLED', `The order is cancelled: ${cancelReason}`);
    actingNow = BY_SELLER;
    return finish();
  }
  const outcome = outcomeOf(items);
  const failed = items.filter((i) => i.state === 'FAILED').map((i) => `item ${i.orderItemReference}: ${i.message}`);
  enter(
    outcome,
    outcome === 'COMPLETED' ? 'Every order item is installed and active.' : `Not every order item could be delivered (${failed.join('; ')}).`,
  );
  return finish();
}

function progressOf(order: MefOrderDocument): OrderItemProgress[] {
  return order.orderItems.map((i) => ({ orderItemReference: i.orderItemReference, state: 'NOT_STARTED' }));
}
