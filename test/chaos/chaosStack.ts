import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { writeWorkflowBundle } from '../../src/worker/workflowBundle';
import { apiApp } from '../support/api';
import { freshDatabase, TestDatabase } from '../support/databases';
import { countBy, esimProfiles, expectedRuns, FAST_SIMULATIONS, Placed, readFeed, waitForFinalStates, workflowRuns } from './load';
import { Partner, until } from './partner';
import { DevServerProcess, sleep, WorkerProcess } from './processes';
import { ApiProcess, startApiProcess } from '../support/apiProcess';
import { dataConverterFor } from '../../src/temporal/dataConverter';
import { TEST_PAYLOAD_KEYS } from '../support/payloadKeys';

const TASK_QUEUE = 'chaos';

export interface ChaosStack {
  dir: string;
  db: TestDatabase;
  temporal: DevServerProcess;
  /** Every worker process, one task queue. */
  workers: WorkerProcess[];
  /** The first worker. */
  worker: WorkerProcess;
  /** The API processes behind the partner's round robin; none when the API runs in this process. */
  apis: ApiProcess[];
  /** The test's own Temporal client: the API's and the operator's. */
  client: Client;
  partner: Partner;
  /** SIGKILL of API process `i`, `downMs` with nothing on its port, then a fresh API on the same port. */
  killAndRestartApi(i: number, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ChaosStackShape {
  /** API processes (real `src/api/server.ts`, each its own port); without it, one API app in this process. */
  apiProcesses?: number;
  workers?: number;
  /** More settings for the API processes (RATE_LIMIT_PER_MINUTE, …). */
  apiEnv?: Record<string, string>;
  /** The partner keeps every answer under its token (Partner.answers). */
  recordAnswers?: boolean;
}

/**
 * Temporal dev server and workers as real child processes (so they can be killed and
 * restarted), one database of `kind`, and the API: in this process on 127.0.0.1, or as
 * `apiProcesses` real API processes the partner calls in turn.
 */
export async function startChaosStack(kind: TestDatabase['name'], shape: ChaosStackShape = {}): Promise<ChaosStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordering-chaos-'));
  const stack: Partial<ChaosStack> & { server?: Server; connection?: Connection } = { dir, workers: [], apis: [] };
  const stop = async () => {
    await Promise.all(stack.workers!.map((w) => w.stop()));
    await Promise.all(stack.apis!.map((a) => a.kill()));
    // close() waits for idle keep-alive sockets too: drop them at once, not after.
    const closed = new Promise((r) => (stack.server ? stack.server.close(r) : r(undefined)));
    stack.server?.closeAllConnections();
    await closed;
    await stack.connection?.close().catch(() => undefined);
    await stack.temporal?.stop();
    await stack.db?.drop();
    if (!process.env.CHAOS_KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    stack.db = await freshDatabase(kind);
    // One bundle for the 20+ worker starts: webpack on every start would dominate the run.
    const bundle = await writeWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
    stack.temporal = await DevServerProcess.start(dir);
    const settings = { NODE_ENV: 'test', ...TEST_PAYLOAD_KEYS, ...FAST_SIMULATIONS, TEMPORAL_ADDRESS: stack.temporal.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE };
    for (let w = 0; w < (shape.workers ?? 1); w += 1) {
      const log = path.join(dir, w === 0 ? 'worker.log' : `worker-${w + 1}.log`);
      stack.workers!.push(new WorkerProcess({ ...settings, DATABASE_URL: stack.db.url, WORKFLOW_BUNDLE_PATH: bundle, LOG_LEVEL: 'info' }, log));
    }
    stack.worker = stack.workers![0];
    await Promise.all(stack.workers!.map((w) => w.start()));
    stack.connection = await Connection.connect({ address: stack.temporal.address });
    const config = loadConfig({ ...settings, LOG_LEVEL: 'silent' });
    stack.client = new Client({ connection: stack.connection, dataConverter: dataConverterFor(config) });
    let urls: string[];
    if (shape.apiProcesses) {
      const apiEnv = { ...settings, DATABASE_URL: stack.db.url, ...shape.apiEnv };
      for (let a = 0; a < shape.apiProcesses; a += 1) stack.apis!.push(await startApiProcess(apiEnv));
      urls = stack.apis!.map((a) => a.url);
      stack.killAndRestartApi = async (i, downMs) => {
        const api = stack.apis![i]!;
        await api.kill();
        await sleep(downMs);
        stack.apis![i] = await startApiProcess(apiEnv, { port: api.port });
      };
    } else {
      const app = apiApp({ config, client: stack.client, orm: stack.db.orm, taskQueue: TASK_QUEUE });
      stack.server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      urls = [`http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`];
      stack.killAndRestartApi = () => Promise.reject(new Error('the API runs in this process: start the stack with apiProcesses'));
    }
    stack.partner = new Partner(urls, undefined, shape.recordAnswers);
    await stack.partner.signIn();
    return { ...(stack as ChaosStack), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * What "nothing lost, nothing twice" means for one run: every order in the final
 * state its input leads to (GET), one read-model row and one workflow run per order
 * in the state its family ends in (Temporal), each final fibre item exactly once in
 * its since-feed (the client loop), one eSIM profile per NEW_ESIM order and no ICCID
 * in two profiles (the simulated platform's table).
 */
export async function expectEveryOrderDoneOnce(stack: ChaosStack, placed: Placed[], perFamily: number): Promise<void> {
  const { partner, client, db } = stack;
  expect(countBy(placed, (o) => o.family)).toEqual({ salesLead: perFamily, esimOrder: perFamily, offerInquiry: perFamily, fiberOrder: perFamily, mefOrder: perFamily });
  expect(new Set(placed.map((o) => o.id)).size).toBe(placed.length);

  expect(await waitForFinalStates(partner, placed, 6 * 60_000)).toEqual([]);

  const count = async (table: string) =>
    Number(((await db.orm.em.getConnection().execute(`select count(*) as n from ${table}`)) as { n: number | string }[])[0]!.n);
  expect({
    sales_leads: await count('sales_leads'),
    esim_orders: await count('esim_orders'),
    fibre_inquiries: await count('fibre_inquiries'),
    fibre_orders: await count('fibre_orders'),
    mef_orders: await count('mef_orders'),
    sim_provisioning_activations: await count('sim_provisioning_activations'),
  }).toEqual({
    sales_leads: perFamily,
    esim_orders: perFamily,
    fibre_inquiries: perFamily,
    fibre_orders: perFamily,
    mef_orders: perFamily,
    // One activation per activated lead, however often provisioning was asked.
    sim_provisioning_activations: placed.filter((o) => o.family === 'salesLead' && o.expected === 'ACTIVATED').length,
  });

  // Visibility is eventually consistent: wait (bounded) until it has caught up.
  const want = expectedRuns(placed);
  const runs = await until('Temporal visibility', async () => {
    const got = await workflowRuns(client);
    const same = got.size === want.size && [...want].every(([id, states]) => JSON.stringify(got.get(id)) === JSON.stringify(states));
    return same ? { done: true, value: got } : { done: false, seen: [...got].filter(([id, s]) => JSON.stringify(want.get(id)) !== JSON.stringify(s)).slice(0, 10) };
  }, 120_000, 2000).catch(async () => workflowRuns(client));
  expect(Object.fromEntries(runs)).toEqual(Object.fromEntries(want));

  const ids = (family: string, pick: (o: Placed) => boolean = () => true) => placed.filter((o) => o.family === family && pick(o)).map((o) => o.id).sort();
  const inquiries = await readFeed(partner, 'inquiries');
  expect(inquiries.map((i) => i.id).sort()).toEqual(ids('offerInquiry', (o) => o.expected === 'DONE_ASYNC_ANSWER_SUCCESS'));
  expect(new Set(inquiries.map((i) => i.state))).toEqual(new Set(['DONE_ASYNC_ANSWER_SUCCESS']));
  const orders = await readFeed(partner, 'orders');
  expect(orders.map((i) => i.id).sort()).toEqual(ids('fiberOrder'));
  expect(new Set(orders.map((i) => i.state))).toEqual(new Set(['DELIVERED']));

  const profiles = await esimProfiles(db.orm);
  expect(profiles.map((p) => p.orderId).sort()).toEqual(ids('esimOrder', (o) => o.kind === 'NEW_ESIM'));
  expect(new Set(profiles.map((p) => p.iccid)).size).toBe(profiles.length);
  const iccidOf = new Map(profiles.map((p) => [p.orderId, p.iccid]));
  for (const o of placed.filter((x) => x.kind === 'NEW_ESIM')) {
    expect((await partner.get(o.path)).body.output?.iccid).toBe(iccidOf.get(o.id));
  }
}
