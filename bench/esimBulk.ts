import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { EsimCustomerEsimSchema, SimulatedEsimPlanSchema } from '../src/db/entities';
import { esimBulkBatchWorkflowId, esimOrderWorkflowId, EsimOrderView, IccidResult, MAX_BULK_ACTIVATIONS } from '../src/workflows/esimOrders/contract';
import { freshDatabase, TestDatabase } from '../test/support/databases';
import { luhnCheckDigit } from '../src/domain/esimOrders/iccid';
import { future, seedBulk, stocked } from '../test/support/esimOrders';
import { startHarness } from '../test/support/harness';
import { encodedBytes, historyPayloads } from '../test/support/historyPayloads';
import { testDataConverter } from '../test/support/payloadKeys';
import { startDevServer } from '../test/support/temporal';

/**
 * Issue 15 (3): a BULK_ACTIVATION of the documented maximum (10,000 ICCIDs) against a
 * real dev server and worker. Prints the wall time from POST to the order's result,
 * and for the order's workflow and each batch child its history: events and bytes
 * (the server's historySizeBytes, and the fetched history encoded as protobuf) and
 * its largest payload. Histories are read with a client's default settings (4 MiB
 * gRPC receive limit), as the UI, the CLI or a worker replaying after a restart would.
 * Temporal's limits are 50,000 events / 50 MB per history; the aim is ≤ ~5,000 events.
 * BENCH_ICCIDS, BENCH_DB (libsql | postgresql, the latter with TEST_POSTGRES_URL),
 * ESIM_BULK_BATCH_SIZE, ESIM_BULK_CONCURRENCY, SIM_ESIM_LATENCY_MS override the defaults.
 */
const ICCIDS = Number(process.env.BENCH_ICCIDS ?? MAX_BULK_ACTIVATIONS);
const DB = (process.env.BENCH_DB ?? 'libsql') as TestDatabase['name'];
const SETTINGS = {
  ESIM_BULK_BATCH_SIZE: process.env.ESIM_BULK_BATCH_SIZE ?? '500',
  ESIM_BULK_CONCURRENCY: process.env.ESIM_BULK_CONCURRENCY ?? '8',
  SIM_ESIM_LATENCY_MS: process.env.SIM_ESIM_LATENCY_MS ?? '0',
  ESIM_ANSWER_TIMEOUT_MS: '60000',
};

interface HistoryFigures {
  workflowId: string;
  events: number;
  serverBytes: number;
  encodedBytes: number;
  /** Stored (encrypted) size of its largest payload, and where it is. */
  largestPayload: number;
  largestPayloadAt: string;
}

async function main(): Promise<void> {
  const env = await startDevServer({ logLevel: 'error' });
  const db = await freshDatabase(DB);
  const h = await startHarness(env, db, { configEnv: SETTINGS });
  try {
    // The tenant's stock: a reseller's delivery, made here and not in the demo data.
    // In a range of their own (89444746 1…): the tests' freshIccid() runs into the demo customers' eSIMs past 10,000.
    const bodies = Array.from({ length: ICCIDS }, (_, i) => `894447461${String(i).padStart(9, '0')}`);
    const iccids = await stocked(db.orm, bodies.map((b) => `${b}${luhnCheckDigit(b)}`));
    const body = seedBulk(future(0, 1000));
    body.input.customer.email = 'bulk.bench@example.com';
    body.input.subscriptions = [{ iccid: iccids, id: 'a3mM0000000Dcmr', activationDate: body.input.subscriptions[0]!.activationDate }];
    const token = await h.token('demo');
    console.log(`BULK_ACTIVATION of ${ICCIDS} ICCIDs on ${DB}; ${JSON.stringify(SETTINGS)}; request body ${(JSON.stringify(body).length / 1024).toFixed(0)} KiB`);

    const started = performance.now();
    const res = await request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${token}`).send(body);
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    const accepted = performance.now();
    const handle = env.client.workflow.getHandle(esimOrderWorkflowId(res.body.externalId as string));
    const view = (await handle.result()) as EsimOrderView;
    const done = performance.now();
    // A bulk order's result carries no output (see EsimOrderView): GET builds it from the database.
    const got = await request(h.app).get(`/esim/v1/order/${res.body.externalId as string}`).set('Authorization', `Bearer ${token}`);
    const results = (got.body as EsimOrderView).output as IccidResult[];
    const activated = results.filter((r) => r.status === 'ACTIVATED').length;
    const inOrder = results.every((r, i) => r.iccid === iccids[i]);
    console.log(`status ${view.status} (result ${JSON.stringify(view).length} bytes); GET: ${activated} of ${results.length} ICCIDs ACTIVATED, ${inOrder ? 'in the order named' : 'NOT in the order named'}, ${(got.text.length / 1024).toFixed(0)} KiB${view.reason ? `; ${view.reason}` : ''}`);
    console.log(`wall time: ${((done - started) / 1000).toFixed(1)} s (POST answered in ${((accepted - started) / 1000).toFixed(2)} s); ${(ICCIDS / ((done - started) / 1000)).toFixed(0)} activations/s`);
    const em = db.orm.em.fork();
    console.log(
      `platform plans of the order: ${await em.count(SimulatedEsimPlanSchema, { planId: { $like: `${res.body.externalId}:%` } })}; ` +
        `eSIMs now owned by the customer: ${await em.count(EsimCustomerEsimSchema, { email: 'bulk.bench@example.com' })}`,
    );

    // Default settings on purpose: every history must fit a client's default 4 MiB receive limit.
    const connection = await Connection.connect({ address: env.address });
    const reader = new Client({ connection, dataConverter: testDataConverter() });
    const figures: HistoryFigures[] = [];
    const measure = async (workflowId: string) => {
      const child = reader.workflow.getHandle(workflowId);
      const desc = await child.describe();
      const history = await child.fetchHistory();
      const largest = (await historyPayloads(history)).reduce((a, b) => (b.storedBytes > a.storedBytes ? b : a));
      figures.push({
        workflowId,
        events: history.events?.length ?? 0,
        serverBytes: Number(desc.raw.workflowExecutionInfo?.historySizeBytes ?? 0),
        encodedBytes: encodedBytes(history),
        largestPayload: largest.storedBytes,
        largestPayloadAt: largest.where.replace('EventAttributes', ''),
      });
    };
    await measure(handle.workflowId);
    const children = (await reader.workflow.getHandle(handle.workflowId).fetchHistory()).events?.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length ?? 0;
    for (let n = 0; n < children; n += 1) await measure(esimBulkBatchWorkflowId(handle.workflowId, n));

    const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log('\nworkflow                                                         events   server bytes  encoded bytes  largest payload');
    for (const f of figures) {
      console.log(`${f.workflowId.padEnd(64)} ${String(f.events).padStart(6)} ${kb(f.serverBytes).padStart(14)} ${kb(f.encodedBytes).padStart(14)} ${kb(f.largestPayload).padStart(8)} (${f.largestPayloadAt})`);
    }
    const kids = figures.slice(1);
    if (kids.length) {
      const max = (key: 'events' | 'serverBytes' | 'encodedBytes' | 'largestPayload') => Math.max(...kids.map((f) => f[key]));
      console.log(`\n${kids.length} batch children: at most ${max('events')} events, ${kb(max('serverBytes'))} (server), ${kb(max('encodedBytes'))} (encoded), largest payload ${kb(max('largestPayload'))} each`);
    }
    const order = figures[0]!;
    console.log(`order's own history: ${order.events} events, ${kb(order.serverBytes)} (server), ${kb(order.encodedBytes)} (encoded), largest payload ${kb(order.largestPayload)} (${order.largestPayloadAt})`);
    const payloads = await historyPayloads(await reader.workflow.getHandle(handle.workflowId).fetchHistory());
    const rest = payloads.filter((p) => !/workflowExecutionStarted|checkEsimOrder/.test(p.where)).sort((a, b) => b.storedBytes - a.storedBytes);
    console.log(`order's payloads besides its input and the check's: ${rest.length}, largest ${rest[0]?.storedBytes ?? 0} bytes (${rest[0]?.where ?? '-'}), together ${kb(rest.reduce((n, p) => n + p.storedBytes, 0))}`);
    await connection.close();
  } finally {
    await h.stop();
    await db.drop();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
