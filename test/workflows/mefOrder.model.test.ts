/**
 * Model-based test of the MEF order lifecycle (issue 15): fast-check generates orders
 * (items that install, need site access from the buyer, or are refused by the seller) and
 * interleavings of hold, release and cancel (buyer updates and operator signals), PUT and
 * PATCH, buyer notes, status requests, time running over the step and assessment timers,
 * the seller refusing the next step, and several of these landing in one workflow task
 * (the worker stopped while they pile up). The model is the lifecycle table itself: what
 * the order does depends on timers and the seller, so answers are judged against the
 * tables rather than predicted. Checked: every move the workflow records (its
 * ORDER_STATE_CHANGE notifications, each naming the state it left) is in
 * MEF_ORDER_LIFECYCLE and starts where the last one ended; every other notification
 * carries the state of the moment; queries between commands only ever see states the
 * table leads to; an action's answer or refusal agrees with ACTION_ALLOWED_FROM; and,
 * time run on (holds released, the seller's questions answered), the order ends terminal.
 *
 *   MODEL_RUNS=100 npx jest --runInBand test/workflows/mefOrder.model.test.ts   (default 10 runs)
 *   MODEL_SEED=<seed> MODEL_PATH=<path> ...                                      replays a failure fast-check printed
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import fc from 'fast-check';
import { createActivities } from '../../src/activities';
import type { MefNotificationRecord } from '../../src/activities/mefOrders/activities';
import { httpBuyerNotifier } from '../../src/external/mefOrders/buyerNotifications';
import { isTerminal, reachable } from '../../src/domain/shared/lifecycle';
import { ACTION_ALLOWED_FROM, MEF_ORDER_LIFECYCLE, MefOrderStatus, mergePatch, OPEN_STATUSES } from '../../src/domain/mefOrders/lifecycle';
import {
  addBuyerNoteUpdate,
  cancelOrderUpdate,
  cancelSignal,
  holdOrderUpdate,
  holdSignal,
  MefFailure,
  MefOrderDocument,
  MefOrderSettings,
  MefOrderView,
  mefOrderWorkflowId,
  releaseOrderUpdate,
  releaseSignal,
  replaceOrderUpdate,
  requestStatusUpdate,
  submitOrderUpdate,
} from '../../src/workflows/mefOrders/contract';
import { mefOrderWorkflow } from '../../src/workflows/mefOrders/workflow';
import { testConfig } from '../support/harness';
import { mefOrder } from '../support/mefOrders';
import { modelRunOptions, runScenario, trace } from '../support/model/options';
import { Observed } from '../support/model/moves';
import { useModelServer } from '../support/model/modelServer';
import { inOneTask, nextTimerAt, quiescent } from '../support/model/oneTask';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Steps of an hour and an assessment of half of one, so advances of 15-minute multiples hit timers exactly. */
const SETTINGS: MefOrderSettings = {
  stepDurations: { DESIGN: HOUR, INSTALL: HOUR, ACTIVATE: HOUR },
  cancellationAssessmentMs: 30 * MINUTE,
  // Longer than an assessment: a seller's late answer must still find the finished order running.
  closedOrderWindowMs: 6 * HOUR,
  publicBaseUrl: '',
};

type Handle = WorkflowHandle<typeof mefOrderWorkflow>;
type ItemKind = 'installs' | 'needs-access' | 'refused';
type Action = 'hold' | 'release' | 'cancel' | 'put' | 'patch' | 'note' | 'status';
type Via = 'update' | 'signal';

interface Real {
  handle: Handle;
  orderId: string;
}
type Model = object;
type Outcome = { ok: true; status?: MefOrderStatus } | { ok: false; type: string; message: string };

describe('MEF order lifecycle, model-based on the time-skipping server', () => {
  const observed = new Observed(MEF_ORDER_LIFECYCLE);
  const notifications = new Map<string, Map<number, MefNotificationRecord>>();
  const snapshots = new Map<string, MefOrderView>();
  /** Orders whose next seller step the seller refuses for good. */
  const refuseNextStep = new Set<string>();

  const server = useModelServer((db) => {
    const activities = createActivities({
      config: testConfig({ SIM_MEF_SELLER_LATENCY_MS: '0' }),
      orm: db.orm,
      provisioning: { activate: () => Promise.reject(new Error('unused')) },
      buyerNotifier: httpBuyerNotifier(2000),
    });
    const { recordMefOrder, performMefSellerStep } = activities;
    activities.recordMefOrder = async (s) => {
      const answer = await recordMefOrder(s);
      snapshots.set(s.view.id, s.view);
      const seen = notifications.get(s.view.id) ?? new Map<number, MefNotificationRecord>();
      notifications.set(s.view.id, seen);
      for (const n of s.notifications) seen.set(n.seq, n);
      return answer;
    };
    activities.performMefSellerStep = async (req) => {
      if (refuseNextStep.delete(req.orderId)) {
        throw ApplicationFailure.nonRetryable(`the seller refuses ${req.step} of item ${req.item.orderItemReference} (model)`, MefFailure.sellerStepFailed);
      }
      return performMefSellerStep(req);
    };
    return activities;
  });

  async function startOrder(items: [ItemKind, ItemKind], startInHours: number): Promise<Real> {
    const startsAt = startInHours > 0 ? new Date((await server.env.currentTimeMs()) + startInHours * HOUR).toISOString() : undefined;
    const order = mefOrder((o) => {
      const ids = { installs: undefined, 'needs-access': 'UNI-ACCESS', refused: 'UNI-FAIL' } as const;
      if (ids[items[0]]) o.orderItems[0]!.orderItemDetail.buyerOvcId = ids[items[0]]!;
      if (ids[items[1]]) o.orderItems[1]!.orderItemDetail.buyerUniId = ids[items[1]]!;
      if (startsAt) (o as { requestedStartDate?: string }).requestedStartDate = startsAt;
    });
    const orderId = `ORD-M-${randomUUID()}`;
    const handle: Handle = await server.env.client.workflow.start(mefOrderWorkflow, {
      taskQueue: server.worker.taskQueue,
      workflowId: mefOrderWorkflowId(orderId),
      args: [{ orderId, tenantId: 'demo', correlationId: 'c-model', requestHash: 'h', receivedAt: new Date().toISOString(), order }, SETTINGS],
    });
    await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
    const real = { handle, orderId };
    look(real);
    return real;
  }

  /**
   * The state as the read model last got it, checked to follow the last one seen. Not a
   * query: without a sticky cache a query replays the whole history in a task of its own,
   * and the SDK's core drops a task that arrives while it evicts (a 10 s stall each time).
   */
  function look(real: Real): MefOrderStatus {
    const orderStatus = latest(real).orderStatus;
    trace(`  seen ${orderStatus}`);
    observed.seen(real.orderId, orderStatus);
    return orderStatus;
  }
  const latest = (real: Real): MefOrderView => snapshots.get(real.orderId)!;

  /** Sends an action; PUT and PATCH need the order as it is (`current`, read while a worker runs). */
  async function send(real: Real, action: Action, via: Via, current?: ReturnType<typeof currentOrder>): Promise<Outcome> {
    const { handle } = real;
    try {
      switch (action) {
        case 'hold':
        case 'release':
        case 'cancel': {
          if (via === 'signal') {
            await handle.signal({ hold: holdSignal, release: releaseSignal, cancel: cancelSignal }[action], { by: 'ops model', reason: 'model' });
            return { ok: true };
          }
          const answer = await handle.executeUpdate({ hold: holdOrderUpdate, release: releaseOrderUpdate, cancel: cancelOrderUpdate }[action], {
            args: [{ reason: `model ${action}`, by: 'buyer model' }],
          });
          return { ok: true, status: answer.orderStatus };
        }
        case 'put':
        case 'patch': {
          const { order, version } = current ?? currentOrder(real);
          const next = action === 'put' ? { ...order, notes: `put ${version}` } : (mergePatch(order, { notes: `patched ${version}` }) as typeof order);
          const view = await handle.executeUpdate(replaceOrderUpdate, { args: [{ kind: action === 'put' ? 'PUT' : 'PATCH', order: next, baseVersion: version }] });
          return { ok: true, status: view.orderStatus };
        }
        case 'note':
          await handle.executeUpdate(addBuyerNoteUpdate, { args: [{ note: 'site access on Monday (model)' }] });
          return { ok: true };
        case 'status':
          await handle.executeUpdate(requestStatusUpdate, { args: [{ requestId: randomUUID() }] });
          return { ok: true };
      }
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause as { type?: string; message: string };
        return { ok: false, type: cause.type ?? 'unknown', message: cause.message };
      }
      // The order's closed-order window passed: the workflow is gone, nothing more can change.
      if ((err as Error).name === 'WorkflowNotFoundError') return { ok: false, type: 'Closed', message: (err as Error).message };
      throw err;
    }
  }

  /** The order as last recorded: a change made since makes the PUT/PATCH a version conflict, which the judge allows. */
  function currentOrder(real: Real) {
    const { buyerOrderVersion, orderStatus: _s, id: _i, link: _l, ...order } = latest(real);
    return { order: order as MefOrderDocument, version: Number(buyerOrderVersion) };
  }

  /** An answer or a refusal must agree with the action table. */
  function judge(action: Action, outcome: Outcome): void {
    const what = `${action}: ${JSON.stringify(outcome)}`;
    if (outcome.ok) {
      if (outcome.status === undefined) return;
      const expected: Record<Action, readonly MefOrderStatus[]> = {
        hold: ['HELD'],
        release: ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING'],
        cancel: ['CANCELLED', 'ASSESSING_CANCELLATION'],
        put: OPEN_STATUSES,
        patch: OPEN_STATUSES,
        note: [],
        status: [],
      };
      // The answer is the state when the update answers: another action in the same task
      // (hold, then release) may have moved it on, but only by moves of the table.
      if (!expected[action].some((s) => reachable(MEF_ORDER_LIFECYCLE, s, outcome.status!))) throw new Error(`answered a state the action cannot lead to: ${what}`);
      return;
    }
    if (outcome.type === 'Closed') return;
    if ((action === 'put' || action === 'patch') && outcome.type === MefFailure.versionConflict) return;
    if (outcome.type !== MefFailure.invalidState) throw new Error(`refused for an unexpected reason: ${what}`);
    const state = /is ([A-Z_]+):/.exec(outcome.message)?.[1] as MefOrderStatus | undefined;
    if (!state) throw new Error(`a refusal that does not name the state: ${what}`);
    const key = action === 'put' || action === 'patch' ? 'update' : action;
    if (key !== 'note' && key !== 'status' && ACTION_ALLOWED_FROM[key].includes(state)) throw new Error(`refused in a state the action table allows it from: ${what}`);
  }

  class Act implements fc.AsyncCommand<Model, Real> {
    constructor(readonly action: Action, readonly via: Via) {}
    check = () => true;
    async run(_m: Model, real: Real) {
      trace(this.toString());
      judge(this.action, await send(real, this.action, this.via));
      look(real);
    }
    toString = () => `${this.action}${this.via === 'signal' ? ' (signal)' : ''}`;
  }

  class Advance implements fc.AsyncCommand<Model, Real> {
    constructor(readonly ms: number) {}
    check = () => true;
    async run(_m: Model, real: Real) {
      trace(this.toString());
      await server.env.sleep(this.ms);
      look(real);
    }
    toString = () => `advance ${this.ms / MINUTE} min`;
  }

  /** Time to the next timer exactly (a step's end, the assessment's, the start date): where races live. */
  class ToNextTimer implements fc.AsyncCommand<Model, Real> {
    check = () => true;
    async run(_m: Model, real: Real) {
      trace(this.toString());
      await quiescent(real.handle);
      const at = await nextTimerAt(real.handle);
      if (at !== undefined) await server.env.sleep(Math.max(0, Math.ceil(at - (await server.env.currentTimeMs()))));
      look(real);
    }
    toString = () => 'to the next timer';
  }

  class SellerRefusesNextStep implements fc.AsyncCommand<Model, Real> {
    check = () => true;
    async run(_m: Model, real: Real) {
      refuseNextStep.add(real.orderId);
      look(real);
    }
    toString = () => 'seller refuses the next step';
  }

  /** Actions sent (and the next timer fired) while no worker runs: the next workflow task holds them all. */
  class OneTask implements fc.AsyncCommand<Model, Real> {
    constructor(readonly actions: [Action, Via][], readonly fireTimer: boolean) {}
    check = () => true;
    async run(_m: Model, real: Real) {
      trace(this.toString());
      const current = currentOrder(real);
      const outcomes = await inOneTask(server.env, server.worker, real.handle, this.fireTimer, this.actions.map(([a, v]) => () => send(real, a, v, current)));
      outcomes.forEach((o, i) => judge(this.actions[i]![0], o));
      look(real);
    }
    toString = () => `in one task: ${this.actions.map(([a, v]) => `${a}${v === 'signal' ? ' (signal)' : ''}`).join(', ')}${this.fireTimer ? ', the next timer' : ''}`;
  }

  /** Time runs on, holds are released and the seller's questions answered, until the workflow closes. */
  async function runToTheEnd(real: Real): Promise<MefOrderStatus> {
    for (let i = 0; i < 40; i++) {
      if ((await real.handle.describe()).status.name !== 'RUNNING') break;
      const state = look(real);
      if (state === 'HELD') judge('release', await send(real, 'release', 'update'));
      else if (state === 'PENDING') await send(real, 'note', 'update');
      else await server.env.sleep(2 * HOUR);
    }
    return (await real.handle.result()).orderStatus;
  }

  /** Every notification carries the state of its moment: the one the latest state change entered. */
  function checkNotifications(orderId: string, final: MefOrderStatus): void {
    const all = [...(notifications.get(orderId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    expect(all.map((n) => n.seq)).toEqual(all.map((_, i) => i + 1));
    let state: MefOrderStatus | undefined;
    for (const n of all) {
      if (n.notificationType === 'ORDER_STATE_CHANGE') {
        const previous = (n.detail as { previousStatus: MefOrderStatus | null }).previousStatus ?? undefined;
        observed.move(orderId, n.orderStatus as MefOrderStatus, previous);
        state = n.orderStatus as MefOrderStatus;
      } else if (n.orderStatus !== state) {
        throw new Error(`notification ${n.seq} (${n.notificationType}) says ${n.orderStatus} while the order was ${state}`);
      }
    }
    observed.check(orderId);
    expect(state).toBe(final);
  }

  const action = fc.constantFrom<Action>('hold', 'release', 'cancel', 'put', 'patch', 'note', 'status');
  const via = fc.constantFrom<Via>('update', 'update', 'signal');
  const advance = fc.integer({ min: 1, max: 8 }).map((k) => k * 15 * MINUTE);
  const commands = fc.commands(
    [
      fc.tuple(action, via).map(([a, v]) => new Act(a, a === 'hold' || a === 'release' || a === 'cancel' ? v : 'update')),
      advance.map((ms) => new Advance(ms)),
      fc.constant(new SellerRefusesNextStep()),
      // Listed more than once to weigh them: step ends, and a hold or cancel landing with
      // the timer that ends a step (the race of issue 15), are where the lifecycle breaks.
      fc.constant(new ToNextTimer()),
      fc.constant(new ToNextTimer()),
      fc.constant(new ToNextTimer()),
      fc.constantFrom<Action>('hold', 'cancel').map((a) => new OneTask([[a, 'update']], true)),
      fc.constantFrom<Action>('hold', 'cancel').map((a) => new OneTask([[a, 'update']], true)),
      fc
        // Updates only: a task holding an operator's signal and a buyer's update failed to
        // replay (TMPRL1100, the update's acceptance where an activity was expected) on this
        // SDK and test server; signals are sent on their own (Act).
        .tuple(fc.array(fc.constantFrom<Action>('hold', 'release', 'cancel', 'patch', 'note'), { minLength: 1, maxLength: 2 }), fc.boolean())
        .map(([acts, fire]) => new OneTask(acts.map((a) => [a, 'update']), fire)),
    ] as fc.Arbitrary<fc.AsyncCommand<Model, Real>>[],
    { maxCommands: 14 },
  );
  const kind = fc.constantFrom<ItemKind>('installs', 'installs', 'needs-access', 'refused');

  it('every observed move is in the lifecycle table, and every order ends terminal', async () => {
    const opts = modelRunOptions(10);
    process.stderr.write(`MEF model: ${opts.numRuns} runs, seed ${opts.seed} (MODEL_SEED=${opts.seed} replays them)\n`);
    await fc.assert(
      fc.asyncProperty(fc.tuple(kind, kind), fc.constantFrom(0, 0, 1, 2), commands, (items, startIn, cmds) =>
        runScenario(
          server,
          async () => {
            trace(`items ${items.join('/')}, start in ${startIn} h`);
            return startOrder(items, startIn);
          },
          async (real) => {
            await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
            const final = await runToTheEnd(real);
            expect(isTerminal(MEF_ORDER_LIFECYCLE, final)).toBe(true);
            checkNotifications(real.orderId, final);
          },
        ),
      ),
      opts,
    );
  }, modelRunOptions(10).testTimeoutMs);

  it('a cancel in the same workflow task as the last step\'s timer: the cancel wins, and the order never moves back', async () => {
    // The interleaving of issue 15, made on purpose rather than left to the generator.
    await runScenario(server, () => startOrder(['installs', 'installs'], 0), async (real) => {
      await server.env.sleep(2 * HOUR + 30 * MINUTE);
      await new OneTask([['cancel', 'update']], true).run({}, real);
      const final = await runToTheEnd(real);
      checkNotifications(real.orderId, final);
      // The seller refuses: both items are being activated. Back to IN_PROGRESS, and then the step ends.
      expect(observed.movesOf(real.orderId).map((m) => m.to)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'ASSESSING_CANCELLATION', 'IN_PROGRESS', 'COMPLETED']);
    });
  }, 120_000);
});
