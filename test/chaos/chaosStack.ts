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
import { DevServerProcess, WorkerProcess } from './processes';
import { dataConverterFor } from '../../src/temporal/dataConverter';
import { TEST_PAYLOAD_KEYS } from '../support/payloadKeys';

const TASK_QUEUE = 'chaos';

export interface ChaosStack {
  dir: string;
  db: TestDatabase;
  temporal: DevServerProcess;
  worker: WorkerProcess;
  /** The test's own Temporal client: the API's and the operator's. */
  client: Client;
  partner: Partner;
  stop(): Promise<void>;
}

/**
 * Temporal dev server and worker as real child processes (so they can be killed and
 * restarted), the API in this process on 127.0.0.1, one database of `kind`.
 */
export async function startChaosStack(kind: TestDatabase['name']): Promise<ChaosStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordering-chaos-'));
  const stack: Partial<ChaosStack> & { server?: Server; connection?: Connection } = { dir };
  const stop = async () => {
    await stack.worker?.stop();
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
    stack.worker = new WorkerProcess({ ...settings, DATABASE_URL: stack.db.url, WORKFLOW_BUNDLE_PATH: bundle, LOG_LEVEL: 'info' }, path.join(dir, 'worker.log'));
    await stack.worker.start();
    stack.connection = await Connection.connect({ address: stack.temporal.address });
    const config = loadConfig({ ...settings, LOG_LEVEL: 'silent' });
    stack.client = new Client({ connection: stack.connection, dataConverter: dataConverterFor(config) });
    const app = apiApp({ config, client: stack.client, orm: stack.db.orm, taskQueue: TASK_QUEUE });
    stack.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    stack.partner = new Partner(`http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`);
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
