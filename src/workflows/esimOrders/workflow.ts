import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  executeChild,
  log,
  patched,
  setHandler,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { EsimOrderActivities, EsimOrderCheck } from '../../activities/esimOrders/activities';
import { rootMessage } from '../shared/failures';
import { esimBulkBatchWorkflow, esimBulkUndoWorkflow } from './bulkBatchWorkflows';
import { bulkPhases } from './bulkBatches';
import {
  BulkBatchOutcome,
  CancelEsimOrder,
  cancelEsimOrderUpdate,
  cancelEsimSignal,
  DEFAULT_BULK_BATCH_SIZE,
  esimBulkBatchWorkflowId,
  esimBulkUndoWorkflowId,
  EsimFailure,
  EsimOrderInput,
  EsimOrderSettings,
  EsimOrderStage,
  EsimOrderStatus,
  esimOrderStatusQuery,
  EsimOrderView,
  EsimProfile,
  IccidResult,
  ResolvedPlan,
  RetryEsimStep,
  retryEsimStepSignal,
  retryEsimStepUpdate,
  SkipEsimStep,
  skipEsimStepSignal,
  skipEsimStepUpdate,
  submitEsimOrderUpdate,
  SubscriptionView,
} from './contract';
import { platform, reasonOf } from './platformCalls';
import { ownDatabase, partnerSystem } from '../shared/activityPresets';
import { opsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import { trackedStage } from '../shared/stage';
import { answerSubmit } from '../shared/submitUpdate';
import type { EsimBulkActivationActivities } from '../../activities/esimOrders/bulkActivations';
import { publicIdWrite } from '../shared/sameRequest';

const db = ownDatabase<EsimOrderActivities & EsimBulkActivationActivities>();

/**
 * Orders started since this marker run a BULK_ACTIVATION in child workflows, one per
 * batch; those started before keep activating in their own history, as they began.
 */
const BULK_IN_CHILD_BATCHES = 'esim-bulk-in-child-batches';

/**
 * A NEW_ESIM or TOPUP started since this marker is COMPLETED, with its installation data,
 * as soon as the eSIM is installable and every plan is active or booked; plans due later
 * start after that. Those started before stay IN_PROGRESS until their last plan started.
 */
const COMPLETED_WHEN_INSTALLABLE = 'esim-completed-when-installable';

const PUBLIC_STATUS: Record<EsimOrderStage, EsimOrderStatus> = {
  CHECKING: 'ACCEPTED',
  ACCEPTED: 'ACCEPTED',
  PROVISIONING: 'IN_PROGRESS',
  WAITING_FOR_PROFILE: 'IN_PROGRESS',
  SCHEDULED: 'IN_PROGRESS',
  ACTIVATING: 'IN_PROGRESS',
  COMPENSATING: 'IN_PROGRESS',
  NEEDS_OPERATOR: 'IN_PROGRESS',
  // Only ever entered once the order is COMPLETED.
  PLAN_FAILED: 'COMPLETED',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'FAILED',
  FAILED: 'FAILED',
  REJECTED: 'FAILED',
};

interface Activated {
  planId: string;
  iccid: string;
}

export async function esimOrderWorkflow(input: EsimOrderInput, settings: EsimOrderSettings): Promise<EsimOrderView> {
  const { externalId, tenantId, order } = input;

  // Polling the platform until the profile is ready: the samples' "polling/infrequent"
  // pattern. Each poll is one short activity attempt; "not ready" is a benign
  // retryable failure and the retry policy is the loop. Between polls the server
  // holds the retry timer, so no worker slot is held and a worker restart loses
  // nothing; history grows by one event pair however many polls it takes (a
  // sleep loop in the workflow would add events per poll; a heartbeating
  // long-running activity would hold a slot). The back-off doubles up to
  // pollMaxInterval; scheduleToCloseTimeout is the "stuck" limit that ends the order FAILED.
  const poll = partnerSystem<EsimOrderActivities>({
    summary: `Polling the eSIM platform until the profile is ready (back-off up to ${String(settings.pollMaxInterval)}, for at most ${String(settings.profileReadyLimit)})`,
    giveUpAfter: settings.profileReadyLimit,
    firstRetryAfter: settings.pollInitialInterval,
    retryAtMostEvery: settings.pollMaxInterval,
    refusedForGood: [EsimFailure.platformRejected],
  });

  const stage = trackedStage<EsimOrderStage>('CHECKING');
  let view: EsimOrderView = { externalId, status: 'ACCEPTED' };
  // Set once a NEW_ESIM or TOPUP is COMPLETED; its status never goes back from there.
  let installable = false;
  // Its plans as `output.subscriptions` shows them; the order's last write is the one where none is SCHEDULED.
  let subscriptions: SubscriptionView[] = [];
  let checked: EsimOrderCheck | undefined;

  setHandler(esimOrderStatusQuery, () => view);
  answerSubmit(submitEsimOrderUpdate, {
    requestHash: input.requestHash,
    what: `eSIM order (externalId ${externalId})`,
    ready: () => checked !== undefined,
    answer: () => {
      if (checked && !checked.ok) throw ApplicationFailure.nonRetryable(checked.message, checked.code);
      return { externalId, status: 'ACCEPTED' as const };
    },
  });

  // Ops: cancel what still waits for its activationDate; retry or skip a failed compensation step.
  let cancelRequest: CancelEsimOrder | undefined;
  // A cancel that the order took without leaving COMPLETED: what the update waits for.
  let cancelTaken = false;
  let plansWaiting = 0;
  let stepDecision: { retry: true } | { retry: false; reason: string } | undefined;
  const ops = opsDesk({ family: 'esim', publicId: externalId, state: () => stage.now });
  ops.action(
    {
      action: 'cancel',
      schema: CancelEsimOrder,
      refusal: () =>
        plansWaiting > 0 && !cancelRequest
          ? undefined
          : `the order is ${stage.now}${cancelRequest ? ' and already being cancelled' : ''}: only an order with a plan waiting for its activationDate can be cancelled`,
      apply: (req) => {
        cancelRequest = req;
      },
      settled: () => stage.now === 'CANCELLED' || stage.now === 'NEEDS_OPERATOR' || cancelTaken,
      why: (req) => req.reason,
    },
    cancelEsimSignal,
    cancelEsimOrderUpdate,
  );
  const stepRefusal = (action: string) => () =>
    stage.now === 'NEEDS_OPERATOR' && !stepDecision ? undefined : `the order is ${stage.now}: only a failed compensation step (NEEDS_OPERATOR) can be ${action}`;
  ops.action<RetryEsimStep>(
    { action: 'retry', schema: RetryEsimStep, refusal: stepRefusal('retried'), apply: () => void (stepDecision = { retry: true }), settled: () => stage.now !== 'NEEDS_OPERATOR' },
    retryEsimStepSignal,
    retryEsimStepUpdate,
  );
  ops.action<SkipEsimStep>(
    {
      action: 'skip',
      schema: SkipEsimStep,
      refusal: stepRefusal('skipped'),
      apply: ({ reason }) => void (stepDecision = { retry: false, reason }),
      settled: () => stage.now !== 'NEEDS_OPERATOR',
      why: (req) => req.reason,
    },
    skipEsimStepSignal,
    skipEsimStepUpdate,
  );

  /**
   * `bulkOutput`: a bulk order in batches; the read model's output is built from the
   * database by the write itself, and `view` (the status query and the result) goes
   * without it: see EsimOrderView.
   */
  async function enter(next: EsimOrderStage, { bulkOutput, ...extra }: Pick<EsimOrderView, 'output' | 'reason'> & { bulkOutput?: true } = {}): Promise<void> {
    stage.set(next);
    view = { externalId, status: installable ? 'COMPLETED' : PUBLIC_STATUS[next], ...extra };
    // `finished`: nothing more will be written (src/activities/shared/publicIds.ts refuses a write after it).
    const final = view.status === 'FAILED' || (view.status === 'COMPLETED' && !subscriptions.some((sub) => sub.state === 'SCHEDULED'));
    await db.recordEsimOrderStatus({
      externalId,
      tenantId,
      operationType: order.operationType,
      correlationId: input.correlationId,
      stage: next,
      status: view.status,
      reason: view.reason,
      output: view.output,
      // Kept with the order; absent from what GET answers.
      device: { uicc: order.device.uicc, imei: order.device.imei },
      ...(bulkOutput ? { bulkOutput } : {}),
      publicId: publicIdWrite(input, final),
    });
  }

  async function finish(): Promise<EsimOrderView> {
    ops.waitingFor('');
    await condition(allHandlersFinished);
    await ops.written();
    return view;
  }

  // Saga: every plan activated is pushed here; a permanent failure undoes them in reverse.
  const activated: Activated[] = [];
  // A step that fails for good (after its own retries) does not leave the order IN_PROGRESS
  // for ever: it waits for an operator, who retries it once the platform is back, or
  // skips it once it was done by hand. What was skipped is in the order's reason.
  const skipped: string[] = [];
  /** Deactivating a plan failed for good: waits for an operator's retry or skip. True when skipped (done by hand). */
  async function skippedByOperator(planId: string, why: string): Promise<boolean> {
    log.warn('a compensation step failed; waiting for an operator', { planId, why });
    stepDecision = undefined;
    await enter('NEEDS_OPERATOR', { reason: `Undoing the order is stuck: deactivating plan ${planId} failed: ${why}` });
    ops.waitingFor(`an operator since ${new Date().toISOString()}: deactivating plan ${planId} failed (${why}). Send retry once the platform is back, or skip with a reason once it was done by hand.`);
    await condition(() => stepDecision !== undefined);
    const decision = stepDecision!;
    await enter('COMPENSATING');
    if (decision.retry) return false;
    skipped.push(`plan ${planId} was deactivated by hand (${decision.reason})`);
    return true;
  }
  async function compensate(): Promise<void> {
    stage.set('COMPENSATING');
    let pending = [...activated].reverse();
    while (pending.length) {
      const plan = pending[0]!;
      try {
        await platform.deactivateEsimPlan(plan);
        pending = pending.slice(1);
      } catch (err) {
        if (await skippedByOperator(plan.planId, reasonOf(err, settings))) pending = pending.slice(1);
      }
    }
  }
  // What a failure thrown out of the order's steps undoes: the plans tracked here, or
  // (a bulk order in batches) what its work list in the database says is active.
  let compensateOnError = async (): Promise<void> => {
    if (activated.length) await compensate();
  };
  const undone = (reason: string) => (skipped.length ? `${reason} (${skipped.join('; ')})` : reason);
  const cancelled = () => `Cancelled by an operator${cancelRequest?.reason ? `: ${cancelRequest.reason}` : ''}; every plan this order activated was deactivated.`;

  /** The order's plans on one eSIM, each at its activationDate (a durable timer when it is in the future). */
  async function activatePlans(iccid: string, plans: ResolvedPlan[], track: boolean): Promise<EsimProfile> {
    let profile: EsimProfile | undefined;
    const byDate = [...plans].sort((a, b) => Date.parse(a.activationDate) - Date.parse(b.activationDate));
    for (const plan of byDate) {
      const wait = Date.parse(plan.activationDate) - Date.now();
      if (wait > 0) {
        if (track) await enter('SCHEDULED');
        ops.waitingFor(`the activationDate ${plan.activationDate} of plan ${plan.productId}; an operator may cancel until then.`);
        // A durable timer an operator's cancel cuts short.
        plansWaiting += 1;
        const stopped = await condition(() => cancelRequest !== undefined, wait, { summary: `activationDate of plan ${plan.productId}; an operator may cancel until then` });
        plansWaiting -= 1;
        if (stopped) throw new OrderCancelled();
      }
      if (track && stage.now !== 'ACTIVATING') await enter('ACTIVATING');
      const planId = order.operationType === 'BULK_ACTIVATION' ? `${plan.planId}:${iccid}` : plan.planId;
      profile = await platform.activateEsimPlan({ ...plan, planId, iccid });
      activated.push({ planId, iccid });
    }
    return profile!;
  }

  /**
   * The plans on an installable eSIM. Those due now are activated first (a
   * failure there fails the order, undoing them, as before); then the order is COMPLETED
   * with the installation data and every plan ACTIVE or SCHEDULED, so a traveller can
   * install the eSIM before the trip. Each later plan starts at its activationDate and
   * changes only its own subscription: ACTIVE, FAILED (the order stays COMPLETED, its stage
   * becomes PLAN_FAILED for ops) or CANCELLED by an operator. Nothing delivered is undone.
   */
  async function completeWhenInstallable(profile: EsimProfile, plans: ResolvedPlan[]): Promise<void> {
    subscriptions = plans.map((p) => ({ productId: p.productId, activationDate: p.activationDate, state: 'SCHEDULED' }));
    const output = () => ({ ...profile, subscriptions: subscriptions.map((sub) => ({ ...sub })) });
    const byDate = plans.map((_, i) => i).sort((a, b) => Date.parse(plans[a]!.activationDate) - Date.parse(plans[b]!.activationDate));
    for (const i of byDate.filter((i) => Date.parse(plans[i]!.activationDate) <= Date.now())) {
      if (stage.now !== 'ACTIVATING') await enter('ACTIVATING');
      await platform.activateEsimPlan({ ...plans[i]!, iccid: profile.iccid });
      activated.push({ planId: plans[i]!.planId, iccid: profile.iccid });
      subscriptions[i]!.state = 'ACTIVE';
    }
    installable = true;
    activated.length = 0;
    const failed: string[] = [];
    const settledStage = (): EsimOrderStage => (failed.length ? 'PLAN_FAILED' : subscriptions.some((sub) => sub.state === 'SCHEDULED') ? 'SCHEDULED' : 'COMPLETED');
    await enter(settledStage(), { output: output() });
    for (const i of byDate) {
      const plan = plans[i]!;
      const sub = subscriptions[i]!;
      if (sub.state !== 'SCHEDULED') continue;
      const wait = Date.parse(plan.activationDate) - Date.now();
      if (wait > 0) {
        const alert = failed.length ? ` Already failed: ${failed.join('; ')}.` : '';
        ops.waitingFor(`the activationDate ${plan.activationDate} of plan ${plan.productId}; an operator may cancel the plans still scheduled until then (the order stays COMPLETED).${alert}`);
        plansWaiting += 1;
        const stopped = await condition(() => cancelRequest !== undefined, wait, { summary: `activationDate of plan ${plan.productId}; an operator may cancel until then` });
        plansWaiting -= 1;
        if (stopped) {
          const reason = `Cancelled by an operator${cancelRequest?.reason ? `: ${cancelRequest.reason}` : ''}.`;
          for (const other of subscriptions) if (other.state === 'SCHEDULED') Object.assign(other, { state: 'CANCELLED', reason });
          await enter(settledStage(), { output: output() });
          cancelTaken = true;
          return;
        }
      }
      if (!failed.length) stage.set('ACTIVATING');
      try {
        await platform.activateEsimPlan({ ...plan, iccid: profile.iccid });
        sub.state = 'ACTIVE';
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const reason = reasonOf(err, settings);
        log.warn('a plan of a COMPLETED eSIM order failed; the order stays COMPLETED, ops look (OrderStatus PLAN_FAILED)', { planId: plan.planId, reason, tenantId });
        Object.assign(sub, { state: 'FAILED', reason: `The plan could not be activated: ${reason}` });
        failed.push(`plan ${plan.productId} (${reason})`);
      }
      await enter(settledStage(), { output: output() });
    }
  }

  // The 422 checks run here, not in the API, so the rule lives in one place and the
  // POST still gets a synchronous answer through the update.
  const bulkBatchSize = settings.bulkBatchSize ?? DEFAULT_BULK_BATCH_SIZE;
  const check = await db.checkEsimOrder({
    tenantId,
    externalId,
    order,
    now: new Date(Date.now()).toISOString(),
    // A bulk order's check also writes its work list, cut in batches of this size.
    ...(order.operationType === 'BULK_ACTIVATION' ? { bulkBatchSize } : {}),
  });
  if (!check.ok) {
    stage.set('REJECTED');
    checked = check;
    await condition(allHandlersFinished);
    // Failing (not completing) the run lets the same request be tried again once
    // the data is fixed: the start uses ALLOW_DUPLICATE_FAILED_ONLY.
    throw ApplicationFailure.nonRetryable(check.message, check.code);
  }
  await enter('ACCEPTED');
  checked = check;

  try {
    if (order.operationType === 'NEW_ESIM') {
      await enter('PROVISIONING');
      await db.ensureEsimCustomer({ tenantId, customer: order.customer });
      await platform.orderEsimProfile({
        orderId: externalId,
        countryCode: order.countryCode,
        // The whole device, uicc and imei included.
        device: order.device,
        customer: { email: order.customer.email },
      });
      await enter('WAITING_FOR_PROFILE');
      ops.waitingFor(`the eSIM platform to prepare the profile, since ${new Date().toISOString()} (polled with back-off for up to ${String(settings.profileReadyLimit)}).`);
      const profile = await poll.pollEsimProfile({ orderId: externalId });
      await db.recordEsimOwnership({ tenantId, email: order.customer.email, externalId, profile });
      if (patched(COMPLETED_WHEN_INSTALLABLE)) await completeWhenInstallable(profile, check.plans);
      else {
        await activatePlans(profile.iccid, check.plans, true);
        await enter('COMPLETED', { output: profile });
      }
    } else if (order.operationType === 'TOPUP') {
      if (patched(COMPLETED_WHEN_INSTALLABLE)) await completeWhenInstallable(check.topupProfile!, check.plans);
      else {
        await activatePlans(check.topupProfile!.iccid, check.plans, true);
        await enter('COMPLETED', { output: check.topupProfile! });
      }
    } else {
      await bulkActivation(check.plans);
    }
  } catch (err) {
    if (err instanceof OrderCancelled) {
      await compensate();
      await enter('CANCELLED', { reason: undone(cancelled()) });
      return finish();
    }
    const reason = reasonOf(err, settings);
    log.warn('eSIM order failed', { reason, correlationId: input.correlationId, tenantId });
    await compensateOnError();
    await enter('FAILED', { reason: undone(reason) });
  }
  return finish();

  /**
   * BULK_ACTIVATION: every subscription's product on each of its ICCIDs, a bounded
   * number of ICCIDs at once. The first permanent failure stops new ones, lets the
   * running ones finish, then undoes everything activated for this order.
   */
  async function bulkActivation(plans: ResolvedPlan[]): Promise<void> {
    if (patched(BULK_IN_CHILD_BATCHES)) return bulkInChildBatches(plans);
    await enter('PROVISIONING');
    await db.ensureEsimCustomer({ tenantId, customer: order.customer });
    const plansByIccid = new Map<string, ResolvedPlan[]>();
    order.subscriptions.forEach((sub, i) => {
      for (const iccid of sub.iccid ?? []) {
        const list = plansByIccid.get(iccid) ?? [];
        if (!list.includes(plans[i]!)) list.push(plans[i]!);
        plansByIccid.set(iccid, list);
      }
    });
    const results = new Map<string, IccidResult>([...plansByIccid.keys()].map((iccid) => [iccid, { iccid, status: 'NOT_ATTEMPTED' }]));
    const queue = [...plansByIccid.keys()];
    let failure: string | undefined;
    await enter('ACTIVATING');
    const runner = async () => {
      while (queue.length && failure === undefined) {
        const iccid = queue.shift()!;
        try {
          const profile = await activatePlans(iccid, plansByIccid.get(iccid)!, false);
          results.set(iccid, { ...profile, status: 'ACTIVATED' });
        } catch (err) {
          if (err instanceof OrderCancelled) {
            failure ??= 'cancelled';
            continue;
          }
          const reason = reasonOf(err, settings);
          results.set(iccid, { iccid, status: 'FAILED', reason });
          failure ??= `ICCID ${iccid} could not be activated: ${reason}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.bulkConcurrency, queue.length) }, runner));
    if (failure !== undefined) {
      await compensate();
      for (const r of results.values()) if (r.status === 'ACTIVATED') r.status = 'ROLLED_BACK';
      if (cancelRequest) await enter('CANCELLED', { reason: undone(cancelled()), output: [...results.values()] });
      else await enter('FAILED', { reason: undone(`${failure}; every plan activated for this order was rolled back.`), output: [...results.values()] });
      return;
    }
    for (const r of results.values()) {
      await db.recordEsimOwnership({ tenantId, email: order.customer.email, externalId, profile: { iccid: r.iccid, matchingId: r.matchingId!, smdpUrl: r.smdpUrl! } });
    }
    await enter('COMPLETED', { output: [...results.values()] });
  }

  /**
   * BULK_ACTIVATION in child workflows (one history with an activity per ICCID would
   * reach Temporal's limits at a few thousand). One phase per activationDate,
   * each waited for here (an operator may cancel while it waits); each phase's
   * activations in batches of `bulkBatchSize`, one child at a time, each running
   * `bulkConcurrency` ICCIDs at once, so the platform sees the load it saw before.
   * No per-ICCID data passes through this history beyond the order's input and the
   * check's (which needs every ICCID): the check wrote the order's work
   * list (esim_bulk_activations), each child reads its batch there and writes back
   * what each activation came to, and answers with counts; the undo children and the
   * final read-model write read it there too. This history grows by a few small
   * events per batch; a child's by a few per activation.
   * The first permanent failure starts no further batch; everything activated is
   * undone (in child workflows too) and the order ends FAILED with per-ICCID results.
   */
  async function bulkInChildBatches(plans: ResolvedPlan[]): Promise<void> {
    await enter('PROVISIONING');
    await db.ensureEsimCustomer({ tenantId, customer: order.customer });
    const orderId = workflowInfo().workflowId;
    const child = { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE };
    // Plans that may be active: none means nothing to undo, and no undo child to start.
    let mayBeActive = 0;
    let undoSteps = 0;
    async function compensateBulk(): Promise<void> {
      stage.set('COMPENSATING');
      for (let more = mayBeActive > 0; more; ) {
        const outcome = await executeChild(esimBulkUndoWorkflow, {
          ...child,
          workflowId: esimBulkUndoWorkflowId(orderId, undoSteps++),
          args: [{ externalId, limit: bulkBatchSize, settings }],
          staticSummary: `Undoing up to ${bulkBatchSize} of the plans eSIM order ${externalId} activated`,
        });
        more = outcome.more;
        if (outcome.stuck && (await skippedByOperator(outcome.stuck.planId, outcome.stuck.reason))) {
          await db.markEsimBulkUndone({ externalId, planIds: [outcome.stuck.planId], undone: 'SKIPPED' });
        }
      }
    }
    // An undo child that ended without an answer: the order's catch starts the undo again, from what is left.
    compensateOnError = async () => {
      if (mayBeActive > 0) await compensateBulk();
    };
    let failure: string | undefined;
    let batchNo = 0;
    const phases = bulkPhases(order.subscriptions, plans, bulkBatchSize);
    const batchCount = phases.reduce((n, p) => n + p.batches.length, 0);
    try {
      phases: for (const phase of phases) {
        const wait = Date.parse(phase.dueAt) - Date.now();
        if (wait > 0) {
          await enter('SCHEDULED');
          ops.waitingFor(`the activationDate ${phase.dueAt} of ${phase.productIds.join(', ')}; an operator may cancel until then.`);
          plansWaiting += 1;
          const stopped = await condition(() => cancelRequest !== undefined, wait, { summary: `activationDate of ${phase.productIds.join(', ')}; an operator may cancel until then` });
          plansWaiting -= 1;
          if (stopped) throw new OrderCancelled();
        }
        if (stage.now !== 'ACTIVATING') await enter('ACTIVATING');
        for (const items of phase.batches) {
          const batch = batchNo++;
          let outcome: BulkBatchOutcome;
          try {
            outcome = await executeChild(esimBulkBatchWorkflow, {
              ...child,
              workflowId: esimBulkBatchWorkflowId(orderId, batch),
              args: [{ externalId, batch, plans, settings }],
              staticSummary: `Batch ${batch + 1} of ${batchCount} of eSIM order ${externalId}: ${items.length} ICCIDs`,
            });
          } catch (err) {
            // A batch that ended without an answer (terminated, say) may have activated
            // any of its plans: all are undone, since undoing one never activated is harmless.
            const reason = `its batch ended without an answer: ${rootMessage(err)}`;
            await db.failEsimBulkBatch({ externalId, batch, reason });
            mayBeActive += items.reduce((n, item) => n + item.plans.length, 0);
            outcome = { activated: 0, failed: items.length, failure: { iccid: items[0]!.iccid, reason } };
          }
          mayBeActive += outcome.activated;
          if (outcome.failure) {
            failure = `ICCID ${outcome.failure.iccid} could not be activated: ${outcome.failure.reason}`;
            break phases;
          }
        }
      }
    } catch (err) {
      if (!(err instanceof OrderCancelled)) throw err;
      failure = 'cancelled';
    }
    if (failure !== undefined) {
      await compensateBulk();
      if (cancelRequest) await enter('CANCELLED', { reason: undone(cancelled()), bulkOutput: true });
      else await enter('FAILED', { reason: undone(`${failure}; every plan activated for this order was rolled back.`), bulkOutput: true });
      return;
    }
    await db.recordEsimBulkOwnerships({ tenantId, email: order.customer.email, externalId });
    await enter('COMPLETED', { bulkOutput: true });
  }
}

/** Thrown where a plan waits for its activationDate when an operator cancels: unwinds to the saga. */
class OrderCancelled extends Error {}
