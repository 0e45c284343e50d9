import { randomUUID } from 'node:crypto';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { MefBuyerEndpointSchema, MefEnniSchema, MefHubListenerSchema, MefNotificationSchema, MefOrderRecordSchema, SimulatedMefReservationSchema } from '../../src/db/entities';
import { newWebhookSecret } from '../../src/external/shared/webhookSignature';
import { WebhookReceiver } from '../support/webhookReceiver';
import { ACTION_ALLOWED_FROM, MefOrderAction, MefOrderStatus } from '../../src/domain/mefOrders/lifecycle';
import { httpBuyerNotifier } from '../../src/external/mefOrders/buyerNotifications';
import {
  ActionAnswer,
  cancelOrderUpdate,
  holdOrderUpdate,
  MefOrderDocument,
  MefOrderSettings,
  mefOrderWorkflowId,
  progressQuery,
  releaseOrderUpdate,
  replaceOrderUpdate,
  statusQuery,
  submitOrderUpdate,
} from '../../src/workflows/mefOrders/contract';
import { mefOrderWorkflow } from '../../src/workflows/mefOrders/workflow';
import type { TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { testConfig } from '../support/harness';
import { mefOrder } from '../support/mefOrders';
import { startStubServer } from '../support/stubServer';
import { runWithWorker, useTimeSkipping } from '../support/workflowTests';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One hour per step: long enough that only env.sleep moves an order along. */
const SETTINGS: MefOrderSettings = {
  stepDurations: { DESIGN: HOUR, INSTALL: HOUR, ACTIVATE: HOUR },
  cancellationAssessmentMs: 30 * MINUTE,
  closedOrderWindowMs: 0,
  publicBaseUrl: '',
};

type Handle = WorkflowHandle<typeof mefOrderWorkflow>;

describe('MEF order workflow on the time-skipping server', () => {
  const stack = useTimeSkipping();
  let env: TestWorkflowEnvironment, db: TestDatabase;
  beforeAll(() => void ({ env, db } = stack));

  async function withWorker<T>(fn: (taskQueue: string) => Promise<T>, env_: Record<string, string> = {}): Promise<T> {
    const config = testConfig({ SIM_MEF_SELLER_LATENCY_MS: '0', ...env_ });
    const activities = createActivities({ config, orm: db.orm, provisioning: { activate: () => Promise.reject(new Error('unused')) }, buyerNotifier: httpBuyerNotifier(2000) });
    try {
      return await runWithWorker(env, activities, fn);
    } finally {
      // A running order whose worker is gone keeps the test server from skipping time for later tests.
      await Promise.all(started.splice(0).map((h) => h.terminate('test over').catch(() => undefined)));
    }
  }

  const started: Handle[] = [];

  async function start(taskQueue: string, order: MefOrderDocument = mefOrder(), settings: Partial<MefOrderSettings> = {}, tenantId = 'demo') {
    const orderId = `ORD-${randomUUID()}`;
    const handle: Handle = await env.client.workflow.start(mefOrderWorkflow, {
      taskQueue,
      workflowId: mefOrderWorkflowId(orderId),
      args: [{ orderId, tenantId, correlationId: 'c-1', requestHash: 'h', receivedAt: new Date().toISOString(), order }, { ...SETTINGS, ...settings }],
    });
    started.push(handle);
    const first = await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
    return { handle, first, orderId };
  }

  const progress = (handle: Handle) => handle.query(progressQuery);
  const reach = (handle: Handle, status: MefOrderStatus, itemState?: string) =>
    eventually(async () => {
      const p = await progress(handle);
      expect(p.orderStatus).toBe(status);
      if (itemState) expect(p.items.map((i) => i.state)).toContain(itemState);
      return p;
    }, 30_000, 50);
  const act = (handle: Handle, action: 'hold' | 'release' | 'cancel', reason?: string): Promise<ActionAnswer> =>
    handle.executeUpdate({ hold: holdOrderUpdate, release: releaseOrderUpdate, cancel: cancelOrderUpdate }[action], { args: [{ reason }] });
  const closeTimeOf = async (handle: Handle) => (await handle.describe()).closeTime!.getTime();

  it('a held order does not complete however long it is held; released, it completes after the remaining time', async () => {
    await withWorker(async (taskQueue) => {
      const { handle } = await start(taskQueue);
      await reach(handle, 'IN_PROGRESS', 'DESIGN');
      const planned = Date.parse((await handle.query(statusQuery)).expectedCompletionDate!);
      expect(planned - (await env.currentTimeMs())).toBeGreaterThan(3 * HOUR - 5 * MINUTE);
      expect(planned - (await env.currentTimeMs())).toBeLessThanOrEqual(3 * HOUR);
      await env.sleep(30 * MINUTE);
      expect((await act(handle, 'hold', 'waiting for budget')).orderStatus).toBe('HELD');
      await env.sleep(90 * DAY);
      const held = await progress(handle);
      expect(held.orderStatus).toBe('HELD');
      expect(held.items.map((i) => i.state)).toEqual(['DESIGN', 'DESIGN']);
      const releasedAt = await env.currentTimeMs();
      expect((await act(handle, 'release')).orderStatus).toBe('IN_PROGRESS');
      // The plan moved on by the 90 days held, and the hold was no overrun.
      const moved = await handle.query(statusQuery);
      expect(Math.abs(Date.parse(moved.expectedCompletionDate!) - (releasedAt + 2.5 * HOUR))).toBeLessThan(5 * MINUTE);
      const final = await handle.result();
      expect(final.orderStatus).toBe('COMPLETED');
      expect([final.jeopardy, final.jeopardyReason]).toEqual([false, undefined]);
      // 30 minutes of design were done before the hold: 2.5 hours remained.
      const took = (await closeTimeOf(handle)) - releasedAt;
      expect(took).toBeGreaterThanOrEqual(2.5 * HOUR);
      expect(took).toBeLessThan(2.5 * HOUR + 5 * MINUTE);
    });
  });

  it('a hold while waiting for requestedStartDate keeps the order from starting until it is released', async () => {
    await withWorker(async (taskQueue) => {
      const startsAt = (await env.currentTimeMs()) + DAY;
      const { handle, first } = await start(taskQueue, mefOrder((o) => { o.requestedStartDate = new Date(startsAt).toISOString(); }));
      expect(first.orderStatus).toBe('ACKNOWLEDGED');
      expect((await act(handle, 'hold')).orderStatus).toBe('HELD');
      await env.sleep(3 * DAY);
      expect((await progress(handle)).orderStatus).toBe('HELD');
      const releasedAt = await env.currentTimeMs();
      expect((await act(handle, 'release')).orderStatus).toBe('ACKNOWLEDGED');
      expect((await handle.result()).orderStatus).toBe('COMPLETED');
      const took = (await closeTimeOf(handle)) - releasedAt;
      expect(took).toBeGreaterThanOrEqual(3 * HOUR);
      expect(took).toBeLessThan(3 * HOUR + 5 * MINUTE);
    });
  });

  it('cancels at once during design, releasing the reserved resources', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, orderId } = await start(taskQueue);
      await reach(handle, 'IN_PROGRESS', 'DESIGN');
      expect((await act(handle, 'cancel', 'project stopped')).orderStatus).toBe('CANCELLED');
      expect((await handle.result()).orderStatus).toBe('CANCELLED');
      const rows = await db.orm.em.fork().find(SimulatedMefReservationSchema, { orderId });
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.releasedAt !== null)).toBe(true);
      expect((await progress(handle)).items.map((i) => i.state)).toEqual(['CANCELLED', 'CANCELLED']);
    });
  });

  it('after installation started a cancel is assessed (fulfilment paused) and then confirmed', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, orderId } = await start(taskQueue);
      await env.sleep(HOUR + MINUTE);
      await reach(handle, 'IN_PROGRESS', 'INSTALL');
      const answer = await act(handle, 'cancel', 'site sold');
      expect(answer.orderStatus).toBe('ASSESSING_CANCELLATION');
      expect(answer.statusMessage).toContain('site sold');
      expect((await handle.result()).orderStatus).toBe('CANCELLED');
      expect(await db.orm.em.fork().count(SimulatedMefReservationSchema, { orderId, releasedAt: null })).toBe(0);
    });
  });

  it('a cancel the seller refuses (activation started) goes back to IN_PROGRESS with the reason and the order completes', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, orderId } = await start(taskQueue);
      await env.sleep(2 * HOUR + MINUTE);
      await reach(handle, 'IN_PROGRESS', 'ACTIVATE');
      expect((await act(handle, 'cancel')).orderStatus).toBe('ASSESSING_CANCELLATION');
      const final = await handle.result();
      // The seed's body carries the seller's id "ORD-CC-12345"; the order's own id wins.
      expect(final).toMatchObject({ id: orderId, link: { href: `/orders/${orderId}` }, orderStatus: 'COMPLETED' });
      const notes = await db.orm.em.fork().find(MefNotificationSchema, { orderId: final.id }, { orderBy: { seq: 'asc' } });
      expect(notes.map((n) => n.orderStatus)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'ASSESSING_CANCELLATION', 'IN_PROGRESS', 'COMPLETED']);
      expect(notes[3]!.message).toContain('The seller refused the cancellation: order item 01, 02 is already being activated');
    });
  });

  const ALL: MefOrderStatus[] = ['ACKNOWLEDGED', 'IN_PROGRESS', 'HELD', 'PENDING', 'ASSESSING_CANCELLATION', 'CANCELLED', 'COMPLETED', 'PARTIAL', 'FAILED', 'REJECTED'];
  const ACTIONS: MefOrderAction[] = ['hold', 'release', 'cancel', 'update'];

  async function attempt(handle: Handle, action: MefOrderAction): Promise<MefOrderStatus> {
    if (action !== 'update') return (await act(handle, action)).orderStatus;
    const { buyerOrderVersion, orderStatus: _s, id: _i, link: _l, ...order } = await handle.query(statusQuery);
    const view = await handle.executeUpdate(replaceOrderUpdate, {
      args: [{ kind: 'PUT', order: { ...order, notes: 'changed' }, baseVersion: Number(buyerOrderVersion) }],
    });
    return view.orderStatus;
  }

  it('allows exactly the transitions of the lifecycle table and refuses every other one with the state in the message', async () => {
    const covered = new Set<string>();
    /** Every action the table refuses in the order's current state is refused, and leaves the state as it was. */
    async function refusesOthers(handle: Handle, status: MefOrderStatus) {
      await reach(handle, status);
      for (const action of ACTIONS.filter((a) => !ACTION_ALLOWED_FROM[a].includes(status))) {
        const err = await attempt(handle, action).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string };
        expect([action, status, cause.type]).toEqual([action, status, 'InvalidState']);
        expect(cause.message).toContain(`is ${status}:`);
        covered.add(`${action} refused in ${status}`);
      }
      expect((await progress(handle)).orderStatus).toBe(status);
    }
    async function allows(handle: Handle, action: MefOrderAction, from: MefOrderStatus, to: MefOrderStatus) {
      await reach(handle, from);
      expect([action, from, await attempt(handle, action)]).toEqual([action, from, to]);
      covered.add(`${action} allowed in ${from}`);
    }
    const window = { closedOrderWindowMs: 30 * DAY };
    const later = () => mefOrder((o) => { o.requestedStartDate = '2099-01-01T00:00:00Z'; });

    await withWorker(async (taskQueue) => {
      // Waiting for its start date: ACKNOWLEDGED ⇄ HELD, then cancelled at once.
      const a = (await start(taskQueue, later(), window)).handle;
      await refusesOthers(a, 'ACKNOWLEDGED');
      await allows(a, 'update', 'ACKNOWLEDGED', 'ACKNOWLEDGED');
      await allows(a, 'hold', 'ACKNOWLEDGED', 'HELD');
      await refusesOthers(a, 'HELD');
      await allows(a, 'update', 'HELD', 'HELD');
      await allows(a, 'release', 'HELD', 'ACKNOWLEDGED');
      await allows(a, 'cancel', 'ACKNOWLEDGED', 'CANCELLED');
      await refusesOthers(a, 'CANCELLED');

      // In design: changed, held, cancelled while held; and one cancelled while running.
      const b = (await start(taskQueue, mefOrder(), window)).handle;
      await reach(b, 'IN_PROGRESS', 'DESIGN');
      await refusesOthers(b, 'IN_PROGRESS');
      await allows(b, 'update', 'IN_PROGRESS', 'IN_PROGRESS');
      await allows(b, 'hold', 'IN_PROGRESS', 'HELD');
      await allows(b, 'cancel', 'HELD', 'CANCELLED');
      const c = (await start(taskQueue, mefOrder(), window)).handle;
      await reach(c, 'IN_PROGRESS', 'DESIGN');
      await allows(c, 'cancel', 'IN_PROGRESS', 'CANCELLED');

      // Waiting for site access after installation began: a cancel is assessed (10 days).
      const d = (await start(taskQueue, mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-ACCESS'; }), { ...window, cancellationAssessmentMs: 10 * DAY })).handle;
      await reach(d, 'IN_PROGRESS', 'DESIGN');
      await env.sleep(HOUR + MINUTE);
      await refusesOthers(d, 'PENDING');
      await allows(d, 'update', 'PENDING', 'PENDING');
      await allows(d, 'cancel', 'PENDING', 'ASSESSING_CANCELLATION');
      await refusesOthers(d, 'ASSESSING_CANCELLATION');

      // Final states, still inside their closed-order window.
      const quick = { ...window, stepDurations: { DESIGN: 1, INSTALL: 1, ACTIVATE: 1 } };
      const failing = (refs: number[]) => mefOrder((o) => refs.forEach((i) => {
        o.orderItems[i]!.orderItemDetail.buyerUniId = 'UNI-FAIL';
        o.orderItems[i]!.orderItemDetail.buyerOvcId = 'UNI-FAIL';
      }));
      const finals: [MefOrderStatus, Handle][] = [
        ['COMPLETED', (await start(taskQueue, mefOrder(), quick)).handle],
        ['PARTIAL', (await start(taskQueue, failing([1]), quick)).handle],
        ['FAILED', (await start(taskQueue, failing([0, 1]), quick)).handle],
        ['REJECTED', (await start(taskQueue, mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-0'; }), quick)).handle],
      ];
      await env.sleep(MINUTE);
      for (const [status, handle] of finals) await refusesOthers(handle, status);
    });

    // Every (action, state) pair of the table was tried, allowed or refused.
    const expected = ALL.flatMap((status) => ACTIONS.map((a) => `${a} ${ACTION_ALLOWED_FROM[a].includes(status) ? 'allowed' : 'refused'} in ${status}`));
    expect([...covered].sort()).toEqual(expected.sort());
  }, 300_000);

  it('delivers every notification, in order, to a buyer endpoint that is down for an hour and then recovers', async () => {
    const tenantId = `buyer-${randomUUID().slice(0, 8)}`;
    const startedAt = await env.currentTimeMs();
    const received: { id: string; orderStatus: string }[] = [];
    let refused = 0;
    const stub = await startStubServer((_req, res, body) => {
      void env.currentTimeMs().then((now) => {
        if (now < startedAt + HOUR) {
          refused += 1;
          res.writeHead(503).end();
          return;
        }
        received.push(body as (typeof received)[number]);
        res.writeHead(204).end();
      });
    });
    try {
      const url = `${stub.url}/notifications`;
      const em = db.orm.em.fork();
      await em.insert(MefEnniSchema, { tenantId, sellerEnniId: 'ENNI-123-abc' });
      await em.insert(MefBuyerEndpointSchema, { tenantId, notificationUrl: url });
      await withWorker(async (taskQueue) => {
        const { handle, orderId } = await start(taskQueue, mefOrder(), { stepDurations: { DESIGN: MINUTE, INSTALL: MINUTE, ACTIVATE: MINUTE } }, tenantId);
        const final = await handle.result();
        expect(final.orderStatus).toBe('COMPLETED');
        expect(received.map((n) => n.orderStatus)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
        expect(refused).toBeGreaterThan(5);
        const rows = await db.orm.em.fork().find(MefNotificationSchema, { orderId }, { orderBy: { seq: 'asc' } });
        expect(rows.map((r) => r.delivery)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
        expect(rows[0]!.deliveryAttempts).toBe(refused + 1);
        expect(received.map((n) => n.id)).toEqual(rows.map((r) => r.id));
      });
    } finally {
      await stub.close();
    }
  });

  it('a seller slower than planned to take a step on puts the order in jeopardy: one alert per overrun step to a hub listener, the reason on the order and in the read model', async () => {
    const tenantId = `buyer-${randomUUID().slice(0, 8)}`;
    const receiver = await WebhookReceiver.start(newWebhookSecret());
    try {
      const em = db.orm.em.fork();
      await em.insert(MefEnniSchema, { tenantId, sellerEnniId: 'ENNI-123-abc' });
      await em.insert(MefHubListenerSchema, { id: `LST-${randomUUID()}`, tenantId, callback: receiver.url, query: null, eventTypes: null, signingSecret: receiver.secret, createdAt: new Date(), deletedAt: null });
      // Every seller call fails 3 times first (retried after 2, 4 and 8 s): each step is taken on after 14 s, 10 s planned.
      await withWorker(async (taskQueue) => {
        const { handle, orderId } = await start(taskQueue, mefOrder(), { stepDurations: { DESIGN: MINUTE, INSTALL: MINUTE, ACTIVATE: MINUTE }, sellerStepAllowanceMs: 10_000 }, tenantId);
        const final = await handle.result();
        expect(final.orderStatus).toBe('COMPLETED');
        expect(final.jeopardy).toBe(true);
        expect(final.jeopardyReason).toMatch(/^Order item \S+: the seller took 14(\.\d)? s to take the DESIGN step on, 10 s planned\.$/);
        const row = await db.orm.em.fork().findOneOrFail(MefOrderRecordSchema, { id: orderId });
        expect(row.jeopardyReason).toBe(final.jeopardyReason);
        await eventually(async () => {
          const alerts = [...receiver.bodies.values()].filter((b) => b.eventType === 'productOrderJeopardyAlertEvent') as { event: Record<string, unknown> }[];
          expect(alerts.map((a) => [a.event.id, a.event.orderItemId, a.event.name, a.event.jeopardyType]).sort()).toEqual(
            final.orderItems.flatMap((i) => ['DESIGN', 'INSTALL', 'ACTIVATE'].map((step) => [orderId, i.orderItemReference, `${step}_OVERRUN`, 'Normal'])).sort(),
          );
          expect(alerts.every((a) => typeof a.event.projectedCompletionDate === 'string' && typeof a.event.alertDate === 'string')).toBe(true);
        }, 30_000, 100);
        expect(receiver.refused).toEqual([]);
      }, { SIM_MEF_TRANSIENT_FAILURES: '3' });
    } finally {
      await receiver.stop();
    }
  });
});
