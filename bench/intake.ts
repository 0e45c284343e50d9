import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { EsimOrderBodySchema } from '../src/api/esimOrders/schema';
import { OfferInquirySchema } from '../src/api/fibre/inquiriesSchema';
import { OrderSchema } from '../src/api/mefOrders/schema';
import { SalesLeadSchema } from '../src/api/salesLeads/schema';
import { salesLeadStartDetails } from '../src/api/salesLeads/startDetails';
import { esimOrderStartDetails } from '../src/api/esimOrders/startDetails';
import { offerInquiryStartDetails } from '../src/api/fibre/startDetails';
import { mefOrderStartDetails } from '../src/api/mefOrders/startDetails';
import type { StartDetails } from '../src/api/shared/startDetails';
import { deriveId, requestHash } from '../src/api/shared/idempotency';
import { loadConfig } from '../src/config';
import { ESIM_ORDER_WORKFLOW_TYPE, esimOrderWorkflowId, submitEsimOrderUpdate } from '../src/workflows/esimOrders/contract';
import { MEF_ORDER_WORKFLOW_TYPE, MefOrderDocument, mefOrderWorkflowId, submitOrderUpdate } from '../src/workflows/mefOrders/contract';
import { OFFER_INQUIRY_WORKFLOW_TYPE, OfferInquiryRequest, offerInquiryWorkflowId, submitInquiryUpdate } from '../src/workflows/fibre/inquiryContract';
import { SALES_LEAD_WORKFLOW_TYPE, SalesLead, salesLeadWorkflowId, submitLeadUpdate } from '../src/workflows/salesLeads/contract';
import { API_FAMILIES, startSearchAttributes } from '../src/workflows/shared/searchAttributes';
import { freshDatabase } from '../test/support/databases';
import { future, seedNewEsim } from '../test/support/esimOrders';
import { syncInquiry } from '../test/support/fibreInquiryBodies';
import { validLead } from '../test/support/leads';
import { mefOrder } from '../test/support/mefOrders';
import { startDevServer } from '../test/support/temporal';
import { freePort } from '../test/support/freePort';
import { TEST_PAYLOAD_KEYS } from '../test/support/payloadKeys';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../src/temporal/devServer';
import { FLOOR_TASK_QUEUE } from './support/floorWorker';
import { floorSubmit } from './support/floorWorkflow';

/**
 * Benchmark 1 (issue 6): order intake. For each API family, HTTP POSTs of a valid
 * order through the real API process (auth, validation, idempotency, Update-with-Start)
 * against the ceiling: bare `client.workflow.executeUpdateWithStart` of the same
 * workflow, same options, same input, from this process — both at the same
 * concurrency, against the same dev server and the same worker.
 *
 * Every family's POST is an Update-with-Start that waits for the workflow's first
 * decision (there is no plain "start" endpoint), so a bare `workflow.start` would be
 * the wrong ceiling: it skips the worker's work that the POST waits for.
 * The ceiling is measured before and after the HTTP run (A-B-A) and averaged, so
 * drift on a shared machine (other load, a growing history store) does not bias the ratio.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 64);
const FAMILIES = (process.env.BENCH_FAMILIES ?? 'salesLeads,esim,fibreInquiry,mef').split(',');
const TASK_QUEUE = 'bench-intake';
/**
 * Where the dev server keeps Temporal's state: `wal-full` is the SQLite file as `npm start`
 * runs it (WAL, synchronous=FULL; the default), `file` that file in SQLite's default
 * rollback journal, `wal` WAL with synchronous=NORMAL, `memory` the in-memory store
 * earlier runs measured.
 */
const TEMPORAL_DB = process.env.BENCH_TEMPORAL_DB ?? 'wal-full';
const SQLITE_PRAGMAS: Record<string, string[]> = {
  memory: [],
  file: [],
  wal: ['journal_mode=WAL', 'synchronous=NORMAL'],
  'wal-full': DEV_SERVER_SQLITE_PRAGMAS,
};
const TENANT = 'demo';
const run = `${process.pid}`;

/**
 * Settings shared by the worker and the API. The simulated systems answer at once
 * (latency 0), so the figures are our path, not sleeps; every workflow parks on a
 * long timer once it has answered, so orders from one measurement do not keep the
 * worker busy during the next one.
 */
const SHARED_ENV: Record<string, string> = {
  TEMPORAL_TASK_QUEUE: TASK_QUEUE,
  SIM_PROVISIONING_LATENCY_MS: '0',
  SIM_ESIM_LATENCY_MS: '0',
  SIM_FIBRE_SUPPLIER_LATENCY_MS: '0',
  SIM_MEF_SELLER_LATENCY_MS: '0',
  ESIM_POLL_INITIAL_INTERVAL: '1h',
  MEF_STEP_DESIGN: '1 day',
  // On a loaded machine 32 orders in flight can take longer than the default 10 s
  // answer timeouts; past them the API answers "being assessed"/503 and the bare call
  // fails, which would measure the timeout, not the throughput.
  LEAD_ANSWER_TIMEOUT_MS: '60000',
  ESIM_ANSWER_TIMEOUT_MS: '60000',
  FIBRE_ANSWER_TIMEOUT_MS: '60000',
  MEF_ANSWER_TIMEOUT_MS: '60000',
};

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** CPU milliseconds per answered order, by process: where the time goes. */
  cpuPerOrder?: Record<string, number>;
}

/** The processes whose CPU time a measurement accounts for; `bench` is this one (autocannon or the bare client). */
type Processes = Record<string, number>;

function cpuOf(procs: Processes): Record<string, number> {
  return Object.fromEntries(Object.entries(procs).map(([name, pid]) => [name, pid === process.pid ? selfCpuSeconds() : cpuSeconds(pid)]));
}

function selfCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Runs a measurement and adds the CPU each process spent on it, per answered order. */
async function accounted(procs: Processes, measure: () => Promise<Figures>): Promise<Figures> {
  const before = cpuOf(procs);
  const figures = await measure();
  const after = cpuOf(procs);
  figures.cpuPerOrder = Object.fromEntries(Object.keys(procs).map((name) => [name, ((after[name]! - before[name]!) * 1000) / Math.max(1, figures.ok)]));
  return figures;
}

/** One family: what the HTTP side sends, and the bare call that is its ceiling. */
interface Family {
  name: string;
  path: string;
  status: number;
  body: unknown;
  bare(client: Client, i: number): Promise<unknown>;
}

/** Options exactly as the family's route passes them (src/api/<family>/routes*.ts). */
function updateWithStart<Args extends unknown[]>(
  client: Client,
  update: UpdateDefinition<unknown, [{ requestHash: string }]>,
  type: string,
  opts: { workflowId: string; args: Args; memoHash: string; family: (typeof API_FAMILIES)[keyof typeof API_FAMILIES]; firstStatus: string; correlationId: string; ui: StartDetails; reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY'; timeoutMs: number },
): Promise<unknown> {
  const startWorkflowOperation = new WithStartWorkflowOperation(type, {
    workflowId: opts.workflowId,
    taskQueue: TASK_QUEUE,
    args: opts.args,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: opts.reuse,
    memo: { requestHash: opts.memoHash },
    typedSearchAttributes: startSearchAttributes(opts.family, opts.firstStatus, { tenantId: TENANT, correlationId: opts.correlationId, businessReference: opts.ui.businessReference }),
    staticSummary: opts.ui.summary,
    staticDetails: opts.ui.details,
  });
  lastWorkflowId = opts.workflowId;
  return client.withDeadline(Date.now() + opts.timeoutMs, () =>
    client.workflow.executeUpdateWithStart(update, { args: [{ requestHash: opts.memoHash }], startWorkflowOperation }),
  );
}

function families(): Family[] {
  const { env } = loadConfig({ ...process.env, ...SHARED_ENV });
  // Far-future activation: the lead is accepted (RECEIVED, scheduled) and then waits on a timer.
  const leadBody = validLead({ requestedDateTime: future(365) });
  const lead = SalesLeadSchema.parse(leadBody) as SalesLead;
  const leadHash = requestHash(lead);

  const esimBody = seedNewEsim(future(30));
  const esimOrder = { ...EsimOrderBodySchema.parse(esimBody).input, operationType: 'NEW_ESIM' as const };
  const esimHash = requestHash(esimOrder);

  const inquiryBody = syncInquiry();
  const inquiry = OfferInquirySchema.parse(inquiryBody) as OfferInquiryRequest;
  const inquiryHash = requestHash(inquiry);

  const mefBody = mefOrder();
  const { id: _id, link: _link, orderStatus: _status, buyerOrderVersion: _version, ...mefDoc } = OrderSchema.parse(mefBody) as Record<string, unknown>;
  const mefHash = requestHash(mefDoc);

  const all: Family[] = [
    {
      name: 'salesLeads',
      path: '/2.5/sp_spec/sales_leads/',
      status: 200,
      body: leadBody,
      bare: (client, i) => {
        const orderId = deriveId(TENANT, 'sales-lead', `bare-${run}-${i}`);
        const input = { orderId, tenantId: TENANT, correlationId: orderId, requestHash: leadHash, lead };
        return updateWithStart(client, submitLeadUpdate, SALES_LEAD_WORKFLOW_TYPE, {
          workflowId: salesLeadWorkflowId(orderId), args: [input, { reviewDeadline: env.LEAD_REVIEW_DEADLINE }], memoHash: leadHash,
          family: API_FAMILIES.salesLeads, firstStatus: 'ASSESSING', correlationId: orderId, reuse: 'REJECT_DUPLICATE',
          ui: salesLeadStartDetails(input), timeoutMs: env.LEAD_ANSWER_TIMEOUT_MS,
        });
      },
    },
    {
      name: 'esim',
      path: '/esim/v1/order',
      status: 201,
      body: esimBody,
      bare: (client, i) => {
        const externalId = deriveId(TENANT, 'esim-order', `bare-${run}-${i}`);
        const input = { externalId, tenantId: TENANT, correlationId: externalId, requestHash: esimHash, order: esimOrder };
        const settings = {
          pollInitialInterval: env.ESIM_POLL_INITIAL_INTERVAL, pollMaxInterval: env.ESIM_POLL_MAX_INTERVAL,
          profileReadyLimit: env.ESIM_PROFILE_READY_LIMIT, bulkConcurrency: env.ESIM_BULK_CONCURRENCY,
        };
        return updateWithStart(client, submitEsimOrderUpdate, ESIM_ORDER_WORKFLOW_TYPE, {
          workflowId: esimOrderWorkflowId(externalId), args: [input, settings], memoHash: esimHash,
          family: API_FAMILIES.esim, firstStatus: 'CHECKING', correlationId: externalId, reuse: 'ALLOW_DUPLICATE_FAILED_ONLY',
          ui: esimOrderStartDetails(input),
          timeoutMs: env.ESIM_ANSWER_TIMEOUT_MS,
        });
      },
    },
    {
      name: 'fibreInquiry',
      path: '/api/1.0/offerInquiry',
      status: 201,
      body: inquiryBody,
      bare: (client, i) => {
        const inquiryId = deriveId(TENANT, 'offer-inquiry', `bare-${run}-${i}`);
        const input = { inquiryId, tenantId: TENANT, correlationId: inquiryId, requestHash: inquiryHash, inquiry };
        return updateWithStart(client, submitInquiryUpdate, OFFER_INQUIRY_WORKFLOW_TYPE, {
          workflowId: offerInquiryWorkflowId(inquiryId),
          args: [input, { asyncAnswerDelay: env.FIBRE_ASYNC_ANSWER_DELAY, offerValidityDays: env.FIBRE_OFFER_VALIDITY_DAYS }],
          memoHash: inquiryHash, family: API_FAMILIES.fibre, firstStatus: 'ASSESSING', correlationId: inquiryId, reuse: 'REJECT_DUPLICATE',
          ui: offerInquiryStartDetails(input),
          timeoutMs: env.FIBRE_ANSWER_TIMEOUT_MS,
        });
      },
    },
    {
      name: 'mef',
      path: '/orders',
      status: 201,
      body: mefBody,
      bare: (client, i) => {
        const orderId = `ORD-${deriveId(TENANT, 'mef-order', `bare-${run}-${i}`)}`;
        const order = mefDoc as unknown as MefOrderDocument;
        const input = { orderId, tenantId: TENANT, correlationId: orderId, requestHash: mefHash, receivedAt: new Date().toISOString(), order };
        const settings = {
          stepDurations: { DESIGN: env.MEF_STEP_DESIGN, INSTALL: env.MEF_STEP_INSTALL, ACTIVATE: env.MEF_STEP_ACTIVATE },
          cancellationAssessmentMs: env.MEF_CANCELLATION_ASSESSMENT, closedOrderWindowMs: env.MEF_CLOSED_ORDER_WINDOW, publicBaseUrl: '',
        };
        return updateWithStart(client, submitOrderUpdate, MEF_ORDER_WORKFLOW_TYPE, {
          workflowId: mefOrderWorkflowId(orderId), args: [input, settings], memoHash: mefHash,
          family: API_FAMILIES.mef, firstStatus: 'VALIDATING', correlationId: orderId, reuse: 'REJECT_DUPLICATE',
          ui: mefOrderStartDetails(input),
          timeoutMs: env.MEF_ANSWER_TIMEOUT_MS,
        });
      },
    },
  ];
  return all.filter((f) => FAMILIES.includes(f.name));
}

/**
 * The floor: a minimal workflow on the same server, measured the same way as the bare
 * calls (Update-with-Start answered after one activity writes one row, then complete).
 * What a family's order costs beyond it is what our workflows add.
 */
const FLOOR: Family = {
  name: 'floor',
  path: '',
  status: 0,
  body: undefined,
  bare: (client, i) => {
    const id = `floor-${run}-${i}`;
    lastWorkflowId = id;
    const startWorkflowOperation = new WithStartWorkflowOperation('floorWorkflow', {
      workflowId: id,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [id],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return client.withDeadline(Date.now() + 60_000, () => client.workflow.executeUpdateWithStart(floorSubmit, { args: [id], startWorkflowOperation }));
  },
};

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let bareCalls = 0;
/** The workflow of the latest bare call: whose history `historyProfile` reads. */
let lastWorkflowId = '';

/**
 * What one order leaves in Temporal up to where the benchmark's orders park: events,
 * activities, workflow tasks. The server's CPU per order follows these more than anything
 * the worker's code does, so a ratio to the floor is read beside them.
 */
async function historyProfile(client: Client, workflowId: string): Promise<string> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const activities = events.filter((e) => e.activityTaskScheduledEventAttributes).length;
  const localActivities = events.filter((e) => e.markerRecordedEventAttributes).length;
  const tasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
  return `${events.length} events, ${activities} activities, ${localActivities} markers, ${tasks} workflow tasks`;
}

/** The ceiling: CONCURRENCY loops of bare calls for SECONDS; calls still in flight at the end are not counted (as autocannon). */
async function measureBare(client: Client, family: Family, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await family.bare(client, bareCalls++);
          if (performance.now() <= end) latencies.push(performance.now() - t0);
        } catch (err) {
          failed += 1;
          if (failed === 1) console.error(`  bare ${family.name} failed: ${(err as Error).message}`);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok: latencies.length, failed };
}

let httpCalls = 0;

/** Our path: autocannon POSTs, each with its own Idempotency-Key so each creates a new order. */
async function measureHttp(baseUrl: string, token: string, family: Family, seconds: number | { amount: number }): Promise<Figures> {
  const result = await autocannon({
    url: `${baseUrl}${family.path}`,
    connections: CONCURRENCY,
    ...(typeof seconds === 'number' ? { duration: seconds } : seconds),
    method: 'POST',
    // Past the API's own answer timeouts (SHARED_ENV), so a slow answer is counted, not cut off.
    timeout: 90,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(family.body),
    requests: [
      {
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `http-${run}-${family.name}-${httpCalls++}` } }),
      },
    ],
  });
  const ok = (result.statusCodeStats as Record<string, { count: number }> | undefined)?.[String(family.status)]?.count ?? 0;
  const failed = result.requests.total - ok + result.errors;
  if (failed > 0) console.error(`  http ${family.name}: ${failed} not ${family.status} (${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}, timeouts ${result.timeouts})`);
  const duration = typeof seconds === 'number' ? seconds : result.duration;
  return { perSecond: ok / duration, p50: result.latency.p50, p99: result.latency.p99, ok, failed };
}


async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`);
}

function spawnTs(entry: string, env: Record<string, string>, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'w');
  const nodeArgs = process.env.BENCH_API_PROF && entry.includes('api') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROF}`] : [];
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.resolve(__dirname, '..', entry)], {
    env: { ...process.env, ...SHARED_ENV, ...env },
    stdio: ['ignore', log, log],
  });
}

/** CPU seconds a process has used so far (utime + stime from /proc). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the worker is idle (under 5% of a core for a second):
 * orders still in flight when a measurement ends, and the work their workflows do
 * after answering, must not be billed to the next measurement.
 */
async function drained(procs: ChildProcess[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = procs.map((p) => cpuSeconds(p.pid!));
    await new Promise((r) => setTimeout(r, 1000));
    if (procs.every((p, i) => cpuSeconds(p.pid!) - before[i]! < 0.05)) return;
  }
  console.error(`  (not idle after ${timeoutMs} ms; measuring anyway)`);
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const fmt = (f: Figures) =>
  `${f.perSecond.toFixed(1).padStart(7)}/s   p50 ${f.p50.toFixed(0).padStart(4)} ms   p99 ${f.p99.toFixed(0).padStart(5)} ms   (${f.ok} ok${f.failed ? `, ${f.failed} FAILED` : ''})` +
  `   CPU ms/order: ${Object.entries(f.cpuPerOrder ?? {}).map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}`;

/** The dev server TestWorkflowEnvironment started: our child running `temporal server start-dev`. */
function devServerPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      if (ppid === process.pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('start-dev')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const selected = families();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-intake-'));
  const pragmas = SQLITE_PRAGMAS[TEMPORAL_DB];
  if (!pragmas) throw new Error(`BENCH_TEMPORAL_DB must be one of ${Object.keys(SQLITE_PRAGMAS).join(', ')}, not ${TEMPORAL_DB}`);
  const env = await startDevServer({ logLevel: 'error', sqlitePragmas: pragmas, ...(TEMPORAL_DB === 'memory' ? {} : { dbFilename: path.join(logDir, 'temporal.db') }) });
  const db = await freshDatabase('libsql');
  const port = await freePort();
  const children: ChildProcess[] = [];
  const cleanUp = async () => {
    for (const child of [...children].reverse()) await stopProcess(child);
    await db.drop();
    await env.teardown();
  };
  // Ctrl-C (or run.ts's SIGTERM) still stops the worker, the API and the dev server and removes the database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    // The test key, as env.client encrypts with it; the ops listener on any free port.
    const common = { TEMPORAL_ADDRESS: env.address, DATABASE_URL: db.url, ...TEST_PAYLOAD_KEYS, OPS_PORT: '0' };
    children.push(spawnTs('src/worker/main.ts', { ...common, LOG_LEVEL: 'warn', WORKER_METRICS_ADDRESS: 'off' }, path.join(logDir, 'worker.log')));
    const floorWorker = spawnTs('bench/support/floorWorker.ts', common, path.join(logDir, 'floor-worker.log'));
    // The API as npm start runs it: its own process, default log level (one line per request).
    children.push(
      spawnTs('src/api/server.ts', { ...common, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info' }, path.join(logDir, 'api.log')),
    );
    children.push(floorWorker);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor('API', async () => (await fetch(`${baseUrl}/healthz`)).ok);
    const auth = await fetch(`${baseUrl}/api/1.0/auth`, { headers: { authorization: `Basic ${Buffer.from('demo:demo-secret').toString('base64')}` } });
    const { accessToken } = (await auth.json()) as { accessToken: string };
    // The workers bundle their workflows at start: the first bare call waits for it.
    await waitFor('worker', async () => (await selected[0]!.bare(env.client, bareCalls++), true), 180_000);
    await waitFor('floor worker', async () => (await FLOOR.bare(env.client, bareCalls++), true), 180_000);

    const temporalPid = devServerPid();
    const procs: Processes = { bench: process.pid, api: children[1]!.pid!, worker: children[0]!.pid!, ...(temporalPid ? { temporal: temporalPid } : {}) };
    console.log(
      `order intake: concurrency ${CONCURRENCY}, ${SECONDS} s per measurement, Temporal's store ${TEMPORAL_DB}, API and workers in their own processes (logs ${logDir}); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    const floorProcs: Processes = { bench: process.pid, worker: floorWorker.pid!, ...(temporalPid ? { temporal: temporalPid } : {}) };
    const measureFloor = async (when: string) => {
      await drained([children[0]!, floorWorker]);
      const figures = await accounted(floorProcs, () => measureBare(env.client, FLOOR, SECONDS));
      console.log(`floor (${when})  ${fmt(figures)}`);
      return figures;
    };
    await measureBare(env.client, FLOOR, 2);
    const floorBefore = await measureFloor('before');
    const profiles: Record<string, string> = { floor: await historyProfile(env.client, lastWorkflowId) };
    const ratios: string[] = [];
    const results: { family: string; http: Figures }[] = [];
    for (const family of selected) {
      // Warm-up, not counted: JIT, connections, the worker's caches.
      await measureBare(env.client, family, 2);
      await measureHttp(baseUrl, accessToken, family, { amount: WARMUP });
      console.log(`${family.name}: POST ${family.path} vs bare executeUpdateWithStart`);
      await drained([children[0]!]);
      const before = await accounted(procs, () => measureBare(env.client, family, SECONDS));
      console.log(`  bare (before)  ${fmt(before)}`);
      await drained([children[0]!]);
      const http = await accounted(procs, () => measureHttp(baseUrl, accessToken, family, SECONDS));
      console.log(`  HTTP API       ${fmt(http)}`);
      await drained([children[0]!]);
      const after = await accounted(procs, () => measureBare(env.client, family, SECONDS));
      console.log(`  bare (after)   ${fmt(after)}`);
      const ceiling = (before.perSecond + after.perSecond) / 2;
      const ratio = http.perSecond / ceiling;
      console.log(`  ratio ${ratio.toFixed(2)} of the bare rate (target ≥ 0.90)`);
      ratios.push(`${family.name} ${ratio.toFixed(2)}`);
      results.push({ family: family.name, http });
      profiles[family.name] = await historyProfile(env.client, lastWorkflowId);
    }
    console.log(`ratios: ${ratios.join(', ')}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const floorAfter = await measureFloor('after');
    const floorRate = (floorBefore.perSecond + floorAfter.perSecond) / 2;
    const cpu = (f: Figures) => (f.cpuPerOrder?.worker ?? 0) + (f.cpuPerOrder?.temporal ?? 0);
    const floorCpu = (cpu(floorBefore) + cpu(floorAfter)) / 2;
    console.log(`against the floor (${floorRate.toFixed(1)}/s, worker + Temporal ${floorCpu.toFixed(1)} CPU ms per order; goal: each family ≥ 0.60 of its rate):`);
    for (const { family, http } of results) {
      console.log(`  ${family.padEnd(13)} ${(http.perSecond / floorRate).toFixed(2)} of the floor's rate; worker + Temporal ${cpu(http).toFixed(1)} CPU ms per order (${(cpu(http) / floorCpu).toFixed(1)}× the floor's)`);
    }
    console.log('one order in history, up to where it parks:');
    for (const [name, profile] of Object.entries(profiles)) console.log(`  ${name.padEnd(13)} ${profile}`);
  } finally {
    await cleanUp();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
