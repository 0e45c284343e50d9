import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { deriveId } from '../../src/api/shared/idempotency';
import {
  EsimOrderRecordSchema,
  FibreInquiryRecordSchema,
  FibreOrderRecordSchema,
  MefOrderRecordSchema,
  SalesLeadRecordSchema,
} from '../../src/db/entities';
import { createWorker } from '../../src/worker/createWorker';
import { writeWorkflowBundle } from '../../src/worker/workflowBundle';
import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { fibreOrderWorkflowId } from '../../src/workflows/fibre/orderContract';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';
import { ApiProcess, startApiProcess } from '../support/apiProcess';
import { freshDatabase, TestDatabase } from '../support/databases';
import { seedNewEsim } from '../support/esimOrders';
import { eventually } from '../support/eventually';
import { FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { Harness, startHarness, testConfig } from '../support/harness';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';
import { startDevServer } from '../support/temporal';

/**
 * Issue 6: "Kill the API between workflow start and HTTP response; the client's retry
 * with the same Idempotency-Key gets the same order." Every POST that starts a workflow
 * is an Update-with-Start that answers only once the workflow has handled its update,
 * which needs a worker. The killed API's task queue has none: each workflow is started
 * while its POST still waits, which is the window. The fibre order's workflow takes its
 * offer from its inquiry's workflow, which runs on another queue with a worker,
 * once the restarted worker runs it.
 */
const TENANT = 'demo';
// Far beyond the test: the first API must still be waiting when it is killed.
const WAIT_FOR_ANSWER_MS = '120000';

interface Family {
  name: string;
  path: string;
  key: string;
  body: unknown;
  otherBody: unknown;
  id: string;
  workflowId: string;
  answered: number[];
  idOf(body: Record<string, unknown>): unknown;
  /** What the same key with another body gets, as before this test: 409 in every family. */
  reused: { status: number; body: Record<string, unknown> };
  rows(): Promise<number>;
}

describe('the API killed between the workflow start and its HTTP answer (libsql)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let bundleDir: string;
  let offers: Harness;
  let killedQueueWorker: Worker | undefined;
  let workerRunning: Promise<void> | undefined;
  const apis: ApiProcess[] = [];
  const queue = `api-killed-${randomUUID()}`;
  let inquiryToOrder: string;

  beforeAll(async () => {
    env = await startDevServer();
    db = await freshDatabase('libsql');
    // Both workers load one bundle instead of running webpack twice.
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-killed-'));
    process.env.WORKFLOW_BUNDLE_PATH = await writeWorkflowBundle(path.join(bundleDir, 'workflows.js'));
    // The inquiry the fibre order orders lives on a queue with a worker: its offer can be taken.
    offers = await startHarness(env, db, { configEnv: { SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' } });
    const token = await offers.token('demo');
    const inquiry = await request(offers.app).post(`${FIBRE_BASE}/offerInquiry`).set('Authorization', `Bearer ${token}`).send(syncInquiry());
    expect(inquiry.body.status.state).toBe('DONE_SUCCESS');
    inquiryToOrder = inquiry.body.inquiryId;
  });
  afterAll(async () => {
    for (const a of apis) await a.kill();
    if (killedQueueWorker?.getState() === 'RUNNING') killedQueueWorker.shutdown();
    await workerRunning;
    await offers?.stop();
    delete process.env.WORKFLOW_BUNDLE_PATH;
    if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
    await db?.drop();
    await env?.teardown();
  });

  const apiEnv = (answerTimeoutMs: string) => ({
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: queue,
    LEAD_ANSWER_TIMEOUT_MS: answerTimeoutMs,
    ESIM_ANSWER_TIMEOUT_MS: answerTimeoutMs,
    FIBRE_ANSWER_TIMEOUT_MS: answerTimeoutMs,
    MEF_ANSWER_TIMEOUT_MS: answerTimeoutMs,
    // Nothing finishes while the test looks: the orders stay running.
    MEF_STEP_DESIGN: '1 hour',
  });
  const tokenOf = async (api: ApiProcess) => {
    const res = await fetch(`${api.url}/api/1.0/auth`, { headers: { Authorization: `Basic ${Buffer.from('demo:demo-secret').toString('base64')}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const post = (api: ApiProcess, token: string, f: Family, body: unknown) =>
    fetch(`${api.url}${f.path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': f.key },
      body: JSON.stringify(body),
    });
  const workflowsNamed = async (client: Client, workflowId: string) => {
    const runs = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(wf.runId);
    return runs;
  };
  const em = () => db.orm.em.fork();

  const families = (): Family[] => {
    const key = (name: string) => `kill-${name}-${randomUUID()}`;
    const lead = key('lead');
    const esim = key('esim');
    const inquiry = key('inquiry');
    const order = key('order');
    const mef = key('mef');
    const leadId = deriveId(TENANT, 'sales-lead', lead);
    const esimId = deriveId(TENANT, 'esim-order', esim);
    const inquiryId = deriveId(TENANT, 'offer-inquiry', inquiry);
    const orderId = deriveId(TENANT, 'fiber-order', order);
    const mefId = `ORD-${deriveId(TENANT, 'mef-order', mef)}`;
    // The fibre workflows' refusal also names its failure type; a closed one's (read from its memo) does not.
    const reusedCause = { status: 409, body: expect.objectContaining({ cause: expect.stringContaining('Idempotency-Key was already used'), message: expect.any(String) }) };
    return [
      {
        name: 'sales lead', path: '/2.5/sp_spec/sales_leads/', key: lead, body: validLead(), otherBody: validLead(),
        id: leadId, workflowId: salesLeadWorkflowId(leadId), answered: [200], idOf: (b) => b.orderId,
        reused: { status: 409, body: { cause: expect.stringContaining('Idempotency-Key was already used'), message: expect.any(String) } },
        rows: () => em().count(SalesLeadRecordSchema, { tenantId: TENANT }),
      },
      {
        name: 'eSIM order', path: '/esim/v1/order', key: esim, body: seedNewEsim(), otherBody: { input: { ...seedNewEsim().input, countryCode: 'ES' } },
        id: esimId, workflowId: esimOrderWorkflowId(esimId), answered: [201], idOf: (b) => b.externalId,
        reused: { status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } },
        rows: () => em().count(EsimOrderRecordSchema, { tenantId: TENANT }),
      },
      {
        name: 'fibre offer inquiry', path: `${FIBRE_BASE}/offerInquiry`, key: inquiry, body: syncInquiry(), otherBody: syncInquiry(),
        id: inquiryId, workflowId: offerInquiryWorkflowId(inquiryId), answered: [201, 202], idOf: (b) => b.inquiryId,
        reused: reusedCause,
        // The inquiry made in beforeAll for the fibre order, and this one.
        rows: async () => (await em().count(FibreInquiryRecordSchema, { tenantId: TENANT })) - 1,
      },
      {
        name: 'fibre order', path: `${FIBRE_BASE}/orders`, key: order, body: orderBody(inquiryToOrder), otherBody: orderBody(inquiryToOrder, { endCustomer: { ...(orderBody(inquiryToOrder).endCustomer as object), companyName: 'Other AB' } }),
        id: orderId, workflowId: fibreOrderWorkflowId(orderId), answered: [201, 202], idOf: (b) => b.orderId,
        reused: reusedCause,
        rows: () => em().count(FibreOrderRecordSchema, { tenantId: TENANT }),
      },
      {
        name: 'MEF order', path: '/orders', key: mef, body: mefOrder(), otherBody: mefOrder(),
        id: mefId, workflowId: mefOrderWorkflowId(mefId), answered: [201], idOf: (b) => b.id,
        reused: { status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } },
        rows: () => em().count(MefOrderRecordSchema, { tenantId: TENANT }),
      },
    ];
  };

  it('a retry with the same Idempotency-Key after the restart gets the same order of every family, started once; another body gets 409, as in every family', async () => {
    const all = families();
    const first = await startApiProcess(apiEnv(WAIT_FOR_ANSWER_MS));
    apis.push(first);
    const firstToken = await tokenOf(first);

    // All five POSTs in flight at once; none may answer before the kill.
    const settled = new Map<string, string>();
    const inFlight = all.map((f) =>
      post(first, firstToken, f, f.body).then(
        async (res) => settled.set(f.name, `answered ${res.status} ${await res.text()}`),
        (err: Error) => settled.set(f.name, `no answer: ${err.message}`),
      ),
    );
    await eventually(async () => {
      for (const f of all) await env.client.workflow.getHandle(f.workflowId).describe();
    }, 30_000, 200);
    expect(settled).toEqual(new Map());
    await first.kill();
    await Promise.all(inFlight);
    for (const f of all) expect(settled.get(f.name)).toMatch(/^no answer/);

    // The restart: a worker for the queue, and a new API process.
    const config = testConfig({ SIM_ESIM_LATENCY_MS: '0', SIM_FIBRE_SUPPLIER_LATENCY_MS: '0', SIM_MEF_SELLER_LATENCY_MS: '0' });
    killedQueueWorker = await createWorker({ config, connection: env.nativeConnection, orm: db.orm, taskQueue: queue });
    workerRunning = killedQueueWorker.run();
    const second = await startApiProcess(apiEnv('30000'));
    apis.push(second);
    const token = await tokenOf(second);

    for (const f of all) {
      const retry = await post(second, token, f, f.body);
      const body = (await retry.json()) as Record<string, unknown>;
      expect(`${f.name}: ${retry.status}`).toMatch(new RegExp(`^${f.name}: (${f.answered.join('|')})$`));
      expect({ family: f.name, id: f.idOf(body) }).toEqual({ family: f.name, id: f.id });
    }
    for (const f of all) {
      // One workflow of that id, one run: the retry attached to the killed API's start.
      await eventually(async () => expect({ family: f.name, runs: (await workflowsNamed(env.client, f.workflowId)).length }).toEqual({ family: f.name, runs: 1 }), 10_000, 200);
      await eventually(async () => expect({ family: f.name, rows: await f.rows() }).toEqual({ family: f.name, rows: 1 }), 20_000, 200);
    }

    for (const f of all) {
      const reused = await post(second, token, f, f.otherBody);
      expect({ family: f.name, status: reused.status, body: await reused.json() }).toEqual({ family: f.name, ...f.reused });
    }
    // Still one order each: the refused bodies started nothing.
    for (const f of all) expect({ family: f.name, rows: await f.rows() }).toEqual({ family: f.name, rows: 1 });
  });
});
