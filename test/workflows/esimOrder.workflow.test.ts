import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { EsimOrderBodySchema } from '../../src/api/esimOrders/schema';
import { DEMO_UNACTIVATABLE_ICCID } from '../../src/db/esimOrders/demoData';
import { EsimCustomerEsimSchema, EsimOrderRecordSchema, PublicIdSchema, SimulatedEsimPlanSchema, SimulatedEsimProfileSchema } from '../../src/db/entities';
import { EsimPlatform, EsimPlatformRejectedError, httpEsimPlatform, simulatedEsimPlatform, SimulatedEsimPlatformSettings } from '../../src/external/esimOrders/esimPlatform';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import {
  cancelEsimOrderUpdate,
  esimBulkBatchWorkflowId,
  EsimOrderRequest,
  EsimOrderSettings,
  esimOrderWorkflowId,
  EsimOrderView,
  IccidResult,
  retryEsimStepUpdate,
  skipEsimStepUpdate,
  submitEsimOrderUpdate,
} from '../../src/workflows/esimOrders/contract';
import { esimOrderWorkflow } from '../../src/workflows/esimOrders/workflow';
import type { TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { freshStock, seedBulk, seedNewEsim, seedTopup } from '../support/esimOrders';
import { encodedBytes, historyPayloads } from '../support/historyPayloads';
import { testConfig } from '../support/harness';
import { startStubServer } from '../support/stubServer';
import { runWithWorker, useTimeSkipping } from '../support/workflowTests';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const SETTINGS: EsimOrderSettings = { pollInitialInterval: '10s', pollMaxInterval: '10m', profileReadyLimit: '1 day', bulkConcurrency: 2 };
const PLATFORM: SimulatedEsimPlatformSettings = { latencyMs: 0, pollsUntilReady: 0, readyAfterMs: 0, transientFailures: 0, rejectIccids: [DEMO_UNACTIVATABLE_ICCID] };

/** The order as the API hands it to the workflow: parsed, alias resolved. */
function parsed(body: unknown): EsimOrderRequest {
  const { input } = EsimOrderBodySchema.parse(body);
  return { ...input, operationType: input.operationType === 'TOPUP_ACTIVATION' ? 'TOPUP' : input.operationType };
}

describe('eSIM order workflow on the time-skipping server', () => {
  const stack = useTimeSkipping();
  let env: TestWorkflowEnvironment, db: TestDatabase;
  beforeAll(() => void ({ env, db } = stack));

  async function withWorker<T>(platform: Partial<SimulatedEsimPlatformSettings> | EsimPlatform, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const activities = createActivities({
        config: testConfig(),
        orm: db.orm,
        provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
        esimPlatform: 'activatePlan' in platform ? platform : simulatedEsimPlatform(db.orm, { ...PLATFORM, ...platform }),
      });
    return runWithWorker(env, activities, fn);
  }

  async function submit(taskQueue: string, order: EsimOrderRequest, settings: Partial<EsimOrderSettings> = {}) {
    const externalId = randomUUID();
    const handle = await env.client.workflow.start(esimOrderWorkflow, {
      taskQueue,
      workflowId: esimOrderWorkflowId(externalId),
      args: [{ externalId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', order }, { ...SETTINGS, ...settings }],
    });
    const accepted = await handle.executeUpdate(submitEsimOrderUpdate, { args: [{ requestHash: 'h' }] });
    return { handle, accepted, externalId };
  }

  /**
   * A bulk order's per-ICCID output, as GET answers it (the read model's JSON, parsed):
   * its workflow's result and status query go without it (see EsimOrderView).
   */
  async function bulkOutputOf(externalId: string, final: EsimOrderView): Promise<IccidResult[]> {
    expect(final.output).toBeUndefined();
    const row = await db.orm.em.fork().findOneOrFail(EsimOrderRecordSchema, { externalId });
    expect(row.status).toBe(final.status);
    return JSON.parse(row.output!) as IccidResult[];
  }

  it('polls a profile that takes an hour through server-side retries with back-off, and completes with one profile', async () => {
    const startedAt = await env.currentTimeMs();
    // 10 s doubling to 10 min: 12 "not ready" answers span a little over an hour.
    await withWorker({ pollsUntilReady: 12 }, async (taskQueue) => {
      const { handle, accepted, externalId } = await submit(taskQueue, parsed(seedNewEsim()));
      expect(accepted).toEqual({ externalId, status: 'ACCEPTED' });
      const final: EsimOrderView = await handle.result();
      expect(final).toMatchObject({ status: 'COMPLETED', output: { iccid: expect.stringMatching(/^\d{19}$/) } });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + HOUR);
      const profile = await db.orm.em.fork().findOneOrFail(SimulatedEsimProfileSchema, { orderId: externalId });
      expect(profile.polls).toBe(13);
      // One activity, retried by the server: its single started event records the 13th attempt.
      const history = await handle.fetchHistory();
      const pollAttempts = history.events
        ?.filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt)
        .filter((a) => a && a > 1);
      expect(pollAttempts).toEqual([13]);
    });
  });

  it('ends FAILED, saying why, when the profile is not ready within the configured limit', async () => {
    await withWorker({ pollsUntilReady: 1_000_000 }, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(seedNewEsim()), { profileReadyLimit: '2 hours' });
      const final: EsimOrderView = await handle.result();
      expect(final).toEqual({ externalId, status: 'FAILED', reason: 'The eSIM profile was not ready within 2 hours.' });
      const row = await db.orm.em.fork().findOneOrFail(EsimOrderRecordSchema, { externalId });
      expect(row).toMatchObject({ status: 'FAILED', stage: 'FAILED', reason: final.reason });
    });
  });

  it('retries transient platform failures and still makes one profile', async () => {
    await withWorker({ transientFailures: 2, pollsUntilReady: 1 }, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(seedNewEsim()));
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect(await db.orm.em.fork().count(SimulatedEsimProfileSchema, { orderId: externalId })).toBe(1);
    });
  });

  it('activates a plan with a future activationDate then, on a durable timer, and not before', async () => {
    const startedAt = await env.currentTimeMs();
    const activationDate = new Date(startedAt + 10 * DAY).toISOString();
    await withWorker({}, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(seedTopup(activationDate)));
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect(final.output).toMatchObject({ subscriptions: [{ productId: 'a3u3z000000PZBhAAO', activationDate, state: 'ACTIVE' }] });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 10 * DAY);
      const plan = await db.orm.em.fork().findOneOrFail(SimulatedEsimPlanSchema, { planId: `${externalId}:s0` });
      expect(plan.status).toBe('ACTIVE');
    });
  });

  /** The read model's row once `check` holds: polled, because only `result()` lets the time-skipping server jump ahead. */
  const rowWhen = (externalId: string, check: (row: { status: string; stage: string; output: EsimOrderView['output'] }) => void) =>
    eventually(async () => {
      const row = await db.orm.em.fork().findOneOrFail(EsimOrderRecordSchema, { externalId });
      const seen = { status: row.status, stage: row.stage, output: row.output ? (JSON.parse(row.output) as EsimOrderView['output']) : undefined };
      check(seen);
      return seen;
    }, 30_000);

  it('NEW_ESIM with a plan a week ahead: COMPLETED with the installation data as soon as the profile is ready, the plan SCHEDULED, then ACTIVE at its date', async () => {
    const startedAt = await env.currentTimeMs();
    const activationDate = new Date(startedAt + 7 * DAY).toISOString();
    await withWorker({ pollsUntilReady: 1 }, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(seedNewEsim(activationDate)));
      // Before the week passes (nothing awaits the result, so the server's clock stands still).
      const early = await rowWhen(externalId, (row) => expect(row.status).toBe('COMPLETED'));
      expect(early.output).toEqual({
        iccid: expect.stringMatching(/^\d{19}$/),
        matchingId: expect.any(String),
        smdpUrl: 'rsp.truphone.com',
        subscriptions: [{ productId: 'a3u3z000000PZBhAAO', activationDate, state: 'SCHEDULED' }],
      });
      expect(early.stage).toBe('SCHEDULED');
      expect(await env.currentTimeMs()).toBeLessThan(startedAt + 7 * DAY);
      expect(await db.orm.em.fork().count(SimulatedEsimPlanSchema, { planId: `${externalId}:s0` })).toBe(0);
      // The order still has a write to come: its public id is not finished yet.
      expect((await db.orm.em.fork().findOneOrFail(PublicIdSchema, { workflowId: handle.workflowId })).finishedAt).toBeNull();

      const final: EsimOrderView = await handle.result();
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 7 * DAY);
      expect(final).toEqual({ externalId, status: 'COMPLETED', output: { ...(early.output as object), subscriptions: [{ productId: 'a3u3z000000PZBhAAO', activationDate, state: 'ACTIVE' }] } });
      expect(await rowWhen(externalId, (row) => expect(row.stage).toBe('COMPLETED'))).toMatchObject({ status: 'COMPLETED', output: final.output });
      expect((await db.orm.em.fork().findOneOrFail(SimulatedEsimPlanSchema, { planId: `${externalId}:s0` })).status).toBe('ACTIVE');
      expect((await db.orm.em.fork().findOneOrFail(PublicIdSchema, { workflowId: handle.workflowId })).finishedAt).not.toBeNull();
    });
  });

  it('a plan that fails after the order is COMPLETED: that subscription is FAILED with the reason, the order stays COMPLETED (stage PLAN_FAILED) and keeps its active plan', async () => {
    const simulated = simulatedEsimPlatform(db.orm, PLATFORM);
    const platform: EsimPlatform = {
      ...simulated,
      async activatePlan(plan) {
        if (plan.productId === 'a3mM0000000Dcmr') throw new EsimPlatformRejectedError('product withdrawn by the platform');
        return simulated.activatePlan(plan);
      },
    };
    const later = new Date((await env.currentTimeMs()) + 7 * DAY).toISOString();
    const body = seedTopup();
    body.input.subscriptions = [
      { id: 'a3u3z000000PZBhAAO', price: 10, currency: 'USD' } as (typeof body.input.subscriptions)[number],
      { id: 'a3mM0000000Dcmr', activationDate: later, price: 5, currency: 'USD' },
    ];
    await withWorker(platform, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body));
      const early = await rowWhen(externalId, (row) => expect(row.status).toBe('COMPLETED'));
      expect((early.output as { subscriptions: unknown }).subscriptions).toEqual([
        { productId: 'a3u3z000000PZBhAAO', activationDate: expect.any(String), state: 'ACTIVE' },
        { productId: 'a3mM0000000Dcmr', activationDate: later, state: 'SCHEDULED' },
      ]);
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect((final.output as { subscriptions: unknown }).subscriptions).toEqual([
        { productId: 'a3u3z000000PZBhAAO', activationDate: expect.any(String), state: 'ACTIVE' },
        { productId: 'a3mM0000000Dcmr', activationDate: later, state: 'FAILED', reason: 'The plan could not be activated: product withdrawn by the platform' },
      ]);
      const row = await db.orm.em.fork().findOneOrFail(EsimOrderRecordSchema, { externalId });
      expect(row).toMatchObject({ status: 'COMPLETED', stage: 'PLAN_FAILED' });
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } });
      expect(plans.map((p) => [p.planId, p.status])).toEqual([[`${externalId}:s0`, 'ACTIVE']]);
    });
  });

  it('BULK_ACTIVATION: a permanent failure of one ICCID rolls back what was activated and ends FAILED with per-ICCID results', async () => {
    const good = await freshStock(db.orm, 3);
    const body = seedBulk();
    body.input.subscriptions = [
      { iccid: [`${good[0]}, ${good[1]}`], id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate },
      { iccid: [DEMO_UNACTIVATABLE_ICCID, good[2]!], id: 'a3mM0000000Dcmw', activationDate: body.input.subscriptions[0]!.activationDate },
    ];
    await withWorker({}, async (taskQueue) => {
      // One at a time, so the ICCIDs after the failing one are never attempted.
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkConcurrency: 1 });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('FAILED');
      expect(final.reason).toContain(`ICCID ${DEMO_UNACTIVATABLE_ICCID} could not be activated`);
      expect(final.reason).toContain('rolled back');
      const results = await bulkOutputOf(externalId, final);
      expect(results.map((r) => [r.iccid, r.status])).toEqual([
        [good[0], 'ROLLED_BACK'],
        [good[1], 'ROLLED_BACK'],
        [DEMO_UNACTIVATABLE_ICCID, 'FAILED'],
        [good[2], 'NOT_ATTEMPTED'],
      ]);
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } });
      expect(plans).toHaveLength(2);
      expect(plans.every((p) => p.status === 'DEACTIVATED')).toBe(true);
    });
  });

  it('BULK_ACTIVATION: activates every ICCID with bounded concurrency and reports one entry each', async () => {
    const iccids = await freshStock(db.orm, 5);
    const body = seedBulk();
    body.input.subscriptions = [{ iccid: iccids, id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate }];
    await withWorker({}, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkConcurrency: 2 });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect((await bulkOutputOf(externalId, final)).map((r) => [r.iccid, r.status])).toEqual(iccids.map((i) => [i, 'ACTIVATED']));
      expect(await db.orm.em.fork().count(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` }, status: 'ACTIVE' })).toBe(5);
      // Never more than two activations in flight, and two at once did happen (in the order's one batch).
      const history = await env.client.workflow.getHandle(esimBulkBatchWorkflowId(handle.workflowId, 0)).fetchHistory();
      const open = new Set<string>();
      let peak = 0;
      for (const e of history.events ?? []) {
        if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'activateEsimPlan') {
          open.add(String(e.eventId));
          peak = Math.max(peak, open.size);
        }
        const done = e.activityTaskCompletedEventAttributes?.scheduledEventId;
        if (done) open.delete(String(done));
      }
      expect(peak).toBe(2);
    });
  });

  it('BULK_ACTIVATION of a few hundred ICCIDs runs in child workflows of the batch size and activates each plan exactly once', async () => {
    // 200 ICCIDs; the first 40 also get a second product: 240 activations, batches of at most 50.
    const iccids = await freshStock(db.orm, 200);
    const body = seedBulk();
    const activationDate = body.input.subscriptions[0]!.activationDate;
    body.input.subscriptions = [
      { iccid: iccids, id: 'a3mM0000000Dcmr', activationDate },
      { iccid: iccids.slice(0, 40), id: 'a3mM0000000Dcmw', activationDate },
    ];
    await withWorker({}, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkConcurrency: 4, bulkBatchSize: 50 });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect((await bulkOutputOf(externalId, final)).map((r) => [r.iccid, r.status])).toEqual(iccids.map((i) => [i, 'ACTIVATED']));

      // The order's own history starts children and never an activation itself.
      const events = (await handle.fetchHistory()).events ?? [];
      const children = events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
      // 25 ICCIDs with two plans fill the first batch; 15 of them + 20 others the second; 160 others make 50, 50, 40.
      expect(children).toEqual([0, 1, 2, 3, 4].map((n) => esimBulkBatchWorkflowId(handle.workflowId, n)));
      expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'activateEsimPlan')).toEqual([]);
      expect(events.filter((e) => e.childWorkflowExecutionCompletedEventAttributes)).toHaveLength(5);

      let scheduled = 0;
      for (const id of children) {
        const child = (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
        const activations = child.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'activateEsimPlan').length;
        expect(activations).toBeLessThanOrEqual(50);
        scheduled += activations;
      }
      // Exactly once: as many activities as activations, and as many plans on the platform, each active.
      expect(scheduled).toBe(240);
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } });
      expect(plans).toHaveLength(240);
      expect(plans.every((p) => p.status === 'ACTIVE')).toBe(true);
      expect(new Set(plans.map((p) => `${p.iccid}/${p.productId}`)).size).toBe(240);
      // The stock now belongs to the order's customer.
      expect(await db.orm.em.fork().count(EsimCustomerEsimSchema, { iccid: { $in: iccids }, email: 'test_customer_e2e@gmail.com' })).toBe(200);
    });
  });

  it('BULK_ACTIVATION in batches: no ICCID passes through the order\'s own history but in its input and its check\'s, so it grows by batches and not by ICCIDs; the output is exact', async () => {
    /** A completed order of `n` fresh ICCIDs in batches of 50: its own history, and what its payloads hold. */
    const orderOf = async (taskQueue: string, n: number) => {
      const iccids = await freshStock(db.orm, n);
      const body = seedBulk();
      body.input.subscriptions = [{ iccid: iccids, id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate }];
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkConcurrency: 4, bulkBatchSize: 50 });
      const final: EsimOrderView = await handle.result();
      expect(final).toEqual({ externalId, status: 'COMPLETED' });
      expect(await handle.query('status')).toEqual(final);
      // Exact: every ICCID once, in the order named, with the profile the platform answered.
      expect(await bulkOutputOf(externalId, final)).toEqual(iccids.map((iccid) => ({ iccid, matchingId: `M-${iccid.slice(-8)}`, smdpUrl: 'rsp.truphone.com', status: 'ACTIVATED' })));
      expect(await db.orm.em.fork().count(EsimCustomerEsimSchema, { iccid: { $in: iccids }, email: 'test_customer_e2e@gmail.com' })).toBe(n);
      const history = await handle.fetchHistory();
      const payloads = await historyPayloads(history);
      const carriesOrder = (p: { where: string }) =>
        p.where === 'workflowExecutionStartedEventAttributes:esimOrderWorkflow' || p.where === 'activityTaskScheduledEventAttributes:checkEsimOrder';
      const inherent = payloads.filter(carriesOrder);
      const others = payloads.filter((p) => !carriesOrder(p));
      return { iccids, history, inherent, others, batches: history.events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length };
    };
    await withWorker({}, async (taskQueue) => {
      const small = await orderOf(taskQueue, 50);
      const large = await orderOf(taskQueue, 200);
      expect([small.batches, large.batches]).toEqual([1, 4]);
      // The decryption works: the order's input (its first argument; the second is its settings) and its check's input do name every ICCID.
      const named = large.inherent.filter((p) => large.iccids.every((iccid) => p.text.includes(iccid)));
      expect(named.map((p) => p.where)).toEqual(['workflowExecutionStartedEventAttributes:esimOrderWorkflow', 'activityTaskScheduledEventAttributes:checkEsimOrder']);
      // No other payload names any: not the batches' inputs and answers, nor the read-model writes, nor the result.
      for (const iccid of large.iccids) expect(large.others.filter((p) => p.text.includes(iccid)).map((p) => p.where)).toEqual([]);
      expect(Math.max(...large.others.map((p) => p.text.length))).toBeLessThan(2048);
      // Apart from the order itself, three more batches cost a few small events each, not 150 ICCIDs' worth (~19 KiB of profiles).
      const beyondOrder = (o: typeof small) => encodedBytes(o.history) - o.inherent.reduce((n, p) => n + p.storedBytes, 0);
      expect(beyondOrder(large) - beyondOrder(small)).toBeLessThan(3 * 2048);
    });
  });

  it('completes a NEW_ESIM through the HTTP adapter against a stub platform that is "in progress" twice, sending the whole device', async () => {
    const calls: string[] = [];
    let polls = 0;
    const stub = await startStubServer((req, res) => {
      calls.push(`${req.method} ${req.url?.replace(/[0-9a-f-]{36}/, '<id>')}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.method === 'GET') {
        polls += 1;
        res.end(JSON.stringify(polls <= 2 ? { state: 'IN_PROGRESS' } : { state: 'READY', iccid: '8944474600000101811', matchingId: 'M-HTTP', smdpUrl: 'smdp.example' }));
      } else {
        res.end(JSON.stringify({ iccid: '8944474600000101811', matchingId: 'M-HTTP', smdpUrl: 'smdp.example' }));
      }
    });
    try {
      const platform = httpEsimPlatform(stub.url, 2000);
      const body = seedNewEsim();
      body.input.device = { ...body.input.device, uicc: '89014103211118510720', imei: '356938035643809' } as typeof body.input.device;
      await withWorker(platform, async (taskQueue) => {
        const { handle } = await submit(taskQueue, parsed(body));
        const final: EsimOrderView = await handle.result();
        expect(final).toMatchObject({ status: 'COMPLETED', output: { iccid: '8944474600000101811', matchingId: 'M-HTTP', smdpUrl: 'smdp.example' } });
      });
      expect(calls).toEqual(['PUT /profiles/<id>', 'GET /profiles/<id>', 'GET /profiles/<id>', 'GET /profiles/<id>', 'PUT /plans/<id>%3As0']);
      // The device as the partner sent it, uicc and imei included (issue 16).
      expect(stub.seen[0]!.body).toEqual({
        countryCode: 'PT',
        device: { type: 'ios', id: '123456789', model: 'iPhone', uicc: '89014103211118510720', imei: '356938035643809' },
        customer: { email: 'john@doe.com' },
      });
    } finally {
      await stub.close();
    }
  });

  /** The read model's stage: polled, because only `result()` lets the time-skipping server jump ahead. */
  const stageOf = (externalId: string, stage: string) =>
    eventually(async () => expect((await db.orm.em.fork().findOne(EsimOrderRecordSchema, { externalId }))?.stage).toBe(stage), 30_000);

  it('an operator cancels a plan waiting for its activationDate: that subscription is CANCELLED, the order stays COMPLETED and its active plan stays', async () => {
    // One plan now (no activationDate), one in ten days of the server's clock (ahead of ours after other tests skipped time).
    const body = seedNewEsim();
    body.input.subscriptions = [
      { id: 'a3u3z000000PZBhAAO', price: 10, currency: 'USD' } as (typeof body.input.subscriptions)[number],
      { id: 'a3mM0000000Dcmr', activationDate: new Date((await env.currentTimeMs()) + 10 * DAY).toISOString(), price: 5, currency: 'USD' },
    ];
    await withWorker({}, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body));
      await stageOf(externalId, 'SCHEDULED');
      const first = await db.orm.em.fork().findOneOrFail(SimulatedEsimPlanSchema, { planId: `${externalId}:s0` });
      expect(first.status).toBe('ACTIVE');

      expect((await db.orm.em.fork().findOneOrFail(EsimOrderRecordSchema, { externalId })).status).toBe('COMPLETED');

      const answer = await handle.executeUpdate(cancelEsimOrderUpdate, { args: [{ reason: 'trip called off', by: 'ops-test' }] });
      expect(answer).toMatchObject({ action: 'cancel', before: 'SCHEDULED', after: 'COMPLETED' });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('COMPLETED');
      expect(final.reason).toBeUndefined();
      expect((final.output as { subscriptions: unknown }).subscriptions).toEqual([
        { productId: 'a3u3z000000PZBhAAO', activationDate: expect.any(String), state: 'ACTIVE' },
        { productId: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[1]!.activationDate, state: 'CANCELLED', reason: 'Cancelled by an operator: trip called off.' },
      ]);
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } });
      expect(plans.map((p) => [p.planId, p.status])).toEqual([[`${externalId}:s0`, 'ACTIVE']]);
      // Nothing waits any more: a second cancel is refused with the reason.
      await expect(handle.executeUpdate(cancelEsimOrderUpdate, { args: [{}] })).rejects.toThrow();
    });
  });

  it('BULK_ACTIVATION in batches: a phase due later waits in SCHEDULED; an operator\'s cancel undoes the phase already activated, in an undo child', async () => {
    const iccids = await freshStock(db.orm, 3);
    const later = new Date((await env.currentTimeMs()) + 10 * DAY).toISOString();
    const body = seedBulk();
    body.input.subscriptions = [
      { iccid: iccids, id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate },
      { iccid: iccids, id: 'a3mM0000000Dcmw', activationDate: later },
    ];
    await withWorker({}, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkBatchSize: 2 });
      await stageOf(externalId, 'SCHEDULED');
      expect(await db.orm.em.fork().count(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:s0:%` }, status: 'ACTIVE' })).toBe(3);
      const answer = await handle.executeUpdate(cancelEsimOrderUpdate, { args: [{ reason: 'fleet sold', by: 'ops-test' }] });
      expect(answer).toMatchObject({ action: 'cancel', before: 'SCHEDULED', after: 'CANCELLED' });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('FAILED');
      expect(final.reason).toBe('Cancelled by an operator: fleet sold; every plan this order activated was deactivated.');
      expect((await bulkOutputOf(externalId, final)).map((r) => r.status)).toEqual(['ROLLED_BACK', 'ROLLED_BACK', 'ROLLED_BACK']);
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } });
      expect(plans.map((p) => [p.productId, p.status])).toEqual(iccids.map(() => ['a3mM0000000Dcmr', 'DEACTIVATED']));
      // Two batches of the first phase, none of the second; two undo steps of at most two plans.
      const children = ((await handle.fetchHistory()).events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
      expect(children.map((id) => id.replace(handle.workflowId, ''))).toEqual(['-batch-0', '-batch-1', '-undo-0', '-undo-1']);
    });
  });

  it('a compensation step that fails waits in NEEDS_OPERATOR; an operator skips one (done by hand) and retries the next once the platform is back', async () => {
    const good = await freshStock(db.orm, 2);
    const body = seedBulk();
    body.input.subscriptions = [{ iccid: [...good, DEMO_UNACTIVATABLE_ICCID], id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate }];
    const simulated = simulatedEsimPlatform(db.orm, PLATFORM);
    let deactivationBroken = true;
    let deactivations = 0;
    const platform: EsimPlatform = {
      ...simulated,
      async deactivatePlan(req) {
        deactivations += 1;
        if (deactivationBroken) throw new EsimPlatformRejectedError('the platform refuses deactivations today');
        return simulated.deactivatePlan(req);
      },
    };
    await withWorker(platform, async (taskQueue) => {
      const { handle, externalId } = await submit(taskQueue, parsed(body), { bulkConcurrency: 1 });
      await stageOf(externalId, 'NEEDS_OPERATOR');
      // The partner sees the order still IN_PROGRESS, with what it is stuck on.
      expect(await handle.query('status')).toMatchObject({ status: 'IN_PROGRESS', reason: expect.stringContaining('deactivating plan') });
      // What an operator may send by mistake from the UI is ignored, and the step still waits.
      await handle.signal('skip');
      await handle.signal('retry', 42);
      await handle.signal('skip', { reason: '' });
      const skip = await handle.executeUpdate(skipEsimStepUpdate, { args: [{ reason: 'deactivated in the platform console', by: 'ops-test' }] });
      expect(skip).toMatchObject({ action: 'skip', before: 'NEEDS_OPERATOR', after: 'COMPENSATING' });
      // The next plan's deactivation fails too, and waits for an operator again.
      await eventually(async () => expect(deactivations).toBe(2), 30_000);
      deactivationBroken = false;
      const retry = await eventually(() => handle.executeUpdate(retryEsimStepUpdate, { args: [{ by: 'ops-test' }] }), 30_000);
      expect(retry).toMatchObject({ action: 'retry', before: 'NEEDS_OPERATOR', after: 'COMPENSATING' });
      const final: EsimOrderView = await handle.result();
      expect(final.status).toBe('FAILED');
      expect(final.reason).toContain(`ICCID ${DEMO_UNACTIVATABLE_ICCID} could not be activated`);
      expect(final.reason).toContain(`plan ${externalId}:s0:${good[1]} was deactivated by hand (deactivated in the platform console)`);
      const plans = await db.orm.em.fork().find(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}:%` } }, { orderBy: { planId: 'asc' } });
      // The skipped one was "done by hand" (the simulation still has it ACTIVE); the retried one is deactivated.
      expect(Object.fromEntries(plans.map((p) => [p.iccid, p.status]))).toEqual({ [good[0]!]: 'DEACTIVATED', [good[1]!]: 'ACTIVE' });
      const history = (await handle.fetchHistory()).events ?? [];
      expect(history.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      expect(history.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(3);
    });
  });
});
