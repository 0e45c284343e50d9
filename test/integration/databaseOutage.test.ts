import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  EsimOrderRecordSchema,
  FibreInquiryRecordSchema,
  FibreOrderRecordSchema,
  MefOrderRecordSchema,
  SalesLeadRecordSchema,
} from '../../src/db/entities';
import { openOrm, Orm } from '../../src/db/orm';
import { readFeed } from '../../src/feeds/feedStore';
import { api, Api } from '../support/api';
import { freshDatabase, TestDatabase } from '../support/databases';
import { seedNewEsim } from '../support/esimOrders';
import { eventually } from '../support/eventually';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { Harness, startHarness } from '../support/harness';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';
import { startTcpProxy, TcpProxy, viaProxy } from '../support/tcpProxy';
import { startDevServer } from '../support/temporal';
import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { fibreOrderWorkflowId } from '../../src/workflows/fibre/orderContract';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';

// Issue 6: "the database unreachable for 30 s".
const OUTAGE_MS = 30_000;
// Once it is back, activities retry within their backoff's 30 s maximum interval.
const RECOVERY_MS = 90_000;
// A request during the outage must fail fast: the connect timeout (3 s) or the pool's acquire timeout (5 s), plus slack.
const FAIL_FAST_MS = 8_000;

const onPostgres = process.env.TEST_POSTGRES_URL ? describe : describe.skip;

onPostgres('the database unreachable for 30 s (PostgreSQL behind a TCP proxy; skipped without TEST_POSTGRES_URL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let appOrm: Orm;
  let h: Harness;
  let demo: Api;

  beforeAll(async () => {
    env = await startDevServer();
    db = await freshDatabase('postgresql');
    proxy = await startTcpProxy({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) });
    // The API and the worker reach the database only through the proxy; the test reads it directly.
    appOrm = await openOrm(viaProxy(db.url, proxy));
    h = await startHarness(env, { ...db, orm: appOrm }, {
      configEnv: {
        // Short answers so a POST during the outage does not hold the test.
        LEAD_ANSWER_TIMEOUT_MS: '3000',
        ESIM_ANSWER_TIMEOUT_MS: '5000',
        // Work that is due during the outage: the async answer, the delivery (45 days in 4.5 s), MEF steps, eSIM polls.
        FIBRE_ASYNC_ANSWER_DELAY: '8s',
        FIBRE_DELIVERY_SPEEDUP: String(10 * 86400),
        SIM_FIBRE_SUPPLIER_LATENCY_MS: '0',
        MEF_STEP_DESIGN: '3s',
        MEF_STEP_INSTALL: '3s',
        MEF_STEP_ACTIVATE: '3s',
        SIM_MEF_SELLER_LATENCY_MS: '0',
        SIM_ESIM_POLLS_UNTIL_READY: '2',
        ESIM_POLL_INITIAL_INTERVAL: '2s',
        ESIM_POLL_MAX_INTERVAL: '2s',
        SIM_ESIM_LATENCY_MS: '0',
      },
    });
    demo = api(h, await h.token('demo'));
  });
  afterAll(async () => {
    proxy?.restore();
    await h?.stop();
    await appOrm?.close();
    await proxy?.close();
    await db?.drop();
    await env?.teardown();
  });

  const em = () => db.orm.em.fork();
  const timed = async (req: request.Test) => {
    const started = Date.now();
    const res = await req;
    return { res, ms: Date.now() - started };
  };
  /** The highest attempt of any activity in the workflow's history: above 1 means the outage hit it and it retried. */
  const mostAttempts = async (workflowId: string) => {
    const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return Math.max(0, ...(events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0));
  };
  const expectUnavailable = (res: request.Response, style: 'code' | 'cause') => {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    if (style === 'code') expect(res.body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'The database is temporarily unavailable; retry later' });
    else expect(res.body).toEqual({ cause: 'The database is temporarily unavailable; retry later', message: 'The database is temporarily unavailable; retry later' });
  };

  it('keeps orders in flight retrying, answers reads 503 with Retry-After, and completes everything exactly once when it returns', async () => {
    // Before: one order of each family, accepted, with work still to do.
    const lead = await demo.post('/2.5/sp_spec/sales_leads/', validLead());
    expect(lead.status).toBe(200);
    const esim = await demo.post('/esim/v1/order', seedNewEsim()).set('Idempotency-Key', 'outage-esim-1');
    expect(esim.status).toBe(201);
    const mef = await demo.post('/orders', mefOrder());
    expect(mef.status).toBe(201);
    const asyncInq = await demo.post(`${FIBRE_BASE}/offerInquiry`, asyncInquiry());
    expect(asyncInq.body.status.state).toBe('WAIT_ASYNC_ANSWER');
    const syncInq = await demo.post(`${FIBRE_BASE}/offerInquiry`, syncInquiry());
    expect(syncInq.body.status.state).toBe('DONE_SUCCESS');
    const fibreOrder = await demo.post(`${FIBRE_BASE}/orders`, orderBody(syncInq.body.inquiryId));
    expect(fibreOrder.status).toBe(201);

    proxy.cut();
    const cutAt = Date.now();

    // Reads that need the database: 503 + Retry-After in each family's error shape, fast.
    const reads: [string, 'code' | 'cause'][] = [
      [`/esim/v1/order/${esim.body.externalId}`, 'code'],
      [`/orders/${mef.body.id}`, 'code'],
      [`/2.5/sp_spec/sales_leads/${lead.body.orderId}`, 'cause'],
      [`${FIBRE_BASE}/inquiries/${asyncInq.body.inquiryId}`, 'cause'],
      [`${FIBRE_BASE}/inquiries`, 'cause'],
      [`${FIBRE_BASE}/orders`, 'cause'],
      [`${FIBRE_BASE}/invoiceGroup`, 'cause'],
      ['/orders?limit=5', 'code'],
    ];
    for (const [path, style] of reads) {
      const { res, ms } = await timed(demo.get(path));
      expectUnavailable(res, style);
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    }
    const ready = await request(h.ops).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ temporal: 'ok', database: expect.stringMatching(/^failing/) });

    // Orders sent during the outage: a lead is durably accepted (its first decision
    // waits for the database); an eSIM order's checks cannot run, so 503, and the
    // client's retry after the outage with the same key is the same order.
    const leadDuring = await demo.post('/2.5/sp_spec/sales_leads/', validLead());
    expect(leadDuring.status).toBe(200);
    expect(leadDuring.body).toMatchObject({ status: 'RECEIVED', orderId: expect.any(String) });
    const esimDuringBody = seedNewEsim();
    const esimDuring = await demo.post('/esim/v1/order', esimDuringBody).set('Idempotency-Key', 'outage-esim-2');
    expect(esimDuring.status).toBe(503);
    expect(esimDuring.headers['retry-after']).toBe('5');

    // Still cut off well into the outage: the pool keeps failing fast rather than hanging.
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt) - 3000)));
    expectUnavailable((await timed(demo.get(`/esim/v1/order/${esim.body.externalId}`))).res, 'code');
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
    proxy.restore();

    // After: the pool recovers, the retried POST joins its order, and every order finishes.
    await eventually(async () => expect((await request(h.ops).get('/readyz')).status).toBe(200), 15_000, 500);
    const final = async (path: string, pick: (b: Record<string, unknown>) => unknown, expected: unknown) =>
      eventually(async () => {
        const res = await demo.get(path);
        expect(res.status).toBe(200);
        expect(pick(res.body)).toEqual(expected);
        return res.body;
      }, RECOVERY_MS, 1000);
    const esimIdDuring = (await eventually(async () => {
      const res = await demo.post('/esim/v1/order', esimDuringBody).set('Idempotency-Key', 'outage-esim-2');
      expect(res.status).toBe(201);
      return res;
    }, RECOVERY_MS, 2000)).body.externalId as string;
    await Promise.all([
      final(`/2.5/sp_spec/sales_leads/${lead.body.orderId}`, (b) => b.status, 'ACTIVATED'),
      final(`/2.5/sp_spec/sales_leads/${leadDuring.body.orderId}`, (b) => b.status, 'ACTIVATED'),
      final(`/esim/v1/order/${esim.body.externalId}`, (b) => b.status, 'COMPLETED'),
      final(`/esim/v1/order/${esimIdDuring}`, (b) => b.status, 'COMPLETED'),
      final(`/orders/${mef.body.id}`, (b) => b.orderStatus, 'COMPLETED'),
      final(`${FIBRE_BASE}/inquiries/${asyncInq.body.inquiryId}`, (b) => (b.status as { state: string }).state, 'DONE_ASYNC_ANSWER_SUCCESS'),
      final(`${FIBRE_BASE}/orders/${fibreOrder.body.orderId}`, (b) => (b.status as { state: string }).state, 'DELIVERED'),
    ]);

    // The outage did hit them: each retried some database write or read.
    for (const workflowId of [
      salesLeadWorkflowId(leadDuring.body.orderId),
      esimOrderWorkflowId(esim.body.externalId),
      mefOrderWorkflowId(mef.body.id),
      offerInquiryWorkflowId(asyncInq.body.inquiryId),
      fibreOrderWorkflowId(fibreOrder.body.orderId),
    ]) {
      expect({ workflowId, retried: (await mostAttempts(workflowId)) > 1 }).toEqual({ workflowId, retried: true });
    }

    // Nothing lost, nothing twice: one read-model row per order, one feed item per completion.
    expect(await em().count(SalesLeadRecordSchema, { tenantId: 'demo' })).toBe(2);
    expect(await em().count(EsimOrderRecordSchema, { tenantId: 'demo' })).toBe(2);
    expect(await em().count(MefOrderRecordSchema, { tenantId: 'demo' })).toBe(1);
    expect(await em().count(FibreInquiryRecordSchema, { tenantId: 'demo' })).toBe(2);
    expect(await em().count(FibreOrderRecordSchema, { tenantId: 'demo' })).toBe(1);
    const inquiryFeed = await readFeed(db.orm, { feed: 'inquiries', tenantId: 'demo', limit: 100 });
    expect(inquiryFeed.map((e) => e.entityId)).toEqual([asyncInq.body.inquiryId]);
    const orderFeed = await readFeed(db.orm, { feed: 'orders', tenantId: 'demo', limit: 100 });
    expect(orderFeed.map((e) => e.entityId)).toEqual([fibreOrder.body.orderId]);
    // The API serves the same feeds again.
    expect((await demo.get(`${FIBRE_BASE}/orders`)).body.map((o: { orderId: string }) => o.orderId)).toEqual([fibreOrder.body.orderId]);
  }, OUTAGE_MS + 2 * RECOVERY_MS + 30_000);
});
