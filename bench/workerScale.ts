import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { SalesLeadRecordSchema } from '../src/db/entities';
import type { Orm } from '../src/db/orm';
import { approveSignal, SALES_LEAD_WORKFLOW_TYPE, SalesLeadInput, salesLeadWorkflowId } from '../src/workflows/salesLeads/contract';
import { loadConfig } from '../src/config';
import { maxCachedWorkflowsFor } from '../src/worker/cacheSize';
import { workerLaunch } from '../src/worker/launch';
import { freshDatabase } from '../test/support/databases';
import { validLead } from '../test/support/leads';
import { startDevServer } from '../test/support/temporal';
import { TEST_PAYLOAD_KEYS } from '../test/support/payloadKeys';

/**
 * Benchmark 4 (issue 6): many workflows parked on a signal (sales leads waiting for
 * review). Prints the worker's resident memory as the count grows, which must stay
 * flat because the sticky cache is bounded (sized from WORKER_MEMORY_BUDGET_MB), then
 * the time to approve them all and see every one ACTIVATED. Target: RSS under 300 MB.
 * The worker is its own process, started as `npm start` starts it, so its RSS is only its own.
 */
const COUNTS = (process.env.BENCH_LEADS ?? '2500,5000,10000').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TASK_QUEUE = 'bench-worker-scale';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface ThreadMemory {
  threadId: number;
  heapTotal: number;
  external: number;
}

/** Each thread's V8 heap as bench/support/memoryProbe.cjs last wrote it (main thread is 0). */
function threadMemory(probeFile: string): ThreadMemory[] {
  const dir = path.dirname(probeFile);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${path.basename(probeFile)}.`) && !f.endsWith('.tmp'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ThreadMemory)
    .sort((a, b) => a.threadId - b.threadId);
}

/** RSS split into the main isolate's heap, the workflow thread(s)' heap and the rest (native: Rust core, code, malloc). */
function memoryLine(pid: number, probeFile: string): string {
  const MB = 1024 * 1024;
  const mb = (n: number) => (n / MB).toFixed(0).padStart(4);
  const rss = rssMb(pid);
  const threads = threadMemory(probeFile);
  const main = threads.find((t) => t.threadId === 0);
  const workflowHeap = threads.filter((t) => t.threadId !== 0).reduce((sum, t) => sum + t.heapTotal, 0);
  const split = main
    ? `  = main heap ${mb(main.heapTotal)} + workflow heap ${mb(workflowHeap)} + native ${mb(rss * MB - main.heapTotal - workflowHeap)}`
    : '';
  return `worker RSS ${rss.toFixed(0).padStart(4)} MB${split}`;
}

async function parallel(count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

async function waitForStage(orm: Orm, stage: string, count: number, progress?: (reached: number) => void, timeoutMs = 60 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reported = Date.now();
  while (Date.now() < deadline) {
    const reached = await orm.em.fork().count(SalesLeadRecordSchema, { stage });
    if (reached >= count) return;
    // On a loaded machine 10,000 approvals take many minutes: say how far it got every 30 s.
    if (progress && Date.now() - reported > 30_000) {
      reported = Date.now();
      progress(reached);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`fewer than ${count} leads reached ${stage} in ${timeoutMs} ms`);
}

const orderIdOf = (i: number) => `bench-lead-${String(i).padStart(6, '0')}`;

async function startLeads(client: Client, from: number, to: number): Promise<void> {
  await parallel(to - from, async (k) => {
    const orderId = orderIdOf(from + k);
    const input: SalesLeadInput = {
      orderId,
      tenantId: 'bench',
      correlationId: orderId,
      requestHash: orderId,
      lead: validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }),
    };
    await client.workflow.start(SALES_LEAD_WORKFLOW_TYPE, {
      workflowId: salesLeadWorkflowId(orderId),
      taskQueue: TASK_QUEUE,
      args: [input, { reviewDeadline: '30 days' }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  });
}

async function main(): Promise<void> {
  const budgetMb = loadConfig().env.WORKER_MEMORY_BUDGET_MB;
  const cacheSize = process.env.WORKER_MAX_CACHED_WORKFLOWS ?? maxCachedWorkflowsFor(budgetMb);
  // As `npm start` does: the worker runs compiled (dist/, built if stale), and the bundle is
  // built by a short-lived process, not inside the worker.
  const compiled = spawnSync(process.execPath, [path.resolve(__dirname, '..', 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error(`compiling to dist/ failed (exit ${compiled.status})`);
  const bundleFile = process.env.WORKFLOW_BUNDLE_PATH ?? path.join(os.tmpdir(), `bench-worker-scale-${process.pid}.bundle.js`);
  if (!process.env.WORKFLOW_BUNDLE_PATH) {
    const built = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'scripts', 'build-workflow-bundle.ts'), bundleFile], { stdio: 'ignore' });
    if (built.status !== 0) throw new Error(`building the workflow bundle failed (exit ${built.status})`);
  }
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const logFile = path.join(os.tmpdir(), `bench-worker-scale-${process.pid}.log`);
  const workerLog = fs.openSync(logFile, 'w');
  const probeFile = path.join(os.tmpdir(), `bench-worker-scale-${process.pid}.memory.json`);
  // As `npm start` runs it (compiled); BENCH_WORKER_ARGS replaces the node arguments to compare flags or tsx.
  const launch = workerLaunch({
    ...process.env,
    MEMORY_PROBE_FILE: probeFile,
    WORKFLOW_BUNDLE_PATH: bundleFile,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    ...TEST_PAYLOAD_KEYS,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    SIM_PROVISIONING_LATENCY_MS: '0',
    WORKER_METRICS_ADDRESS: 'off',
  }, 'compiled');
  const workerArgs = process.env.BENCH_WORKER_ARGS?.split(' ') ?? launch.args;
  const worker = spawn(process.execPath, ['--require', path.join(__dirname, 'support', 'memoryProbe.cjs'), ...workerArgs], {
    env: launch.env,
    // Its log (bundling, state changes) goes to a file so the figures stay readable.
    stdio: ['ignore', workerLog, workerLog],
  });
  // The highest RSS seen, sampled every second: approving may peak between the printed lines.
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (worker.exitCode === null && fs.existsSync(`/proc/${worker.pid}/status`)) peakRss = Math.max(peakRss, rssMb(worker.pid!));
  }, 1000);
  const cleanUp = async () => {
    clearInterval(sampler);
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await new Promise((r) => worker.once('exit', r));
    for (const f of fs.readdirSync(os.tmpdir())) if (f.startsWith(`${path.basename(probeFile)}.`)) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
    if (!process.env.WORKFLOW_BUNDLE_PATH) fs.rmSync(bundleFile, { force: true });
    await db.drop();
    await env.teardown();
  };
  // Stopped early (Ctrl-C, a time limit): still stop the worker and the dev server.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanUp().finally(() => process.exit(130)));
  try {
    console.log(`worker scale: leads parked in review, worker log ${logFile}, cache ${cacheSize} workflows`);
    let parked = 0;
    // One lead first: the idle worker with its workflow thread up is the baseline the rest adds to.
    for (const count of [1, ...COUNTS]) {
      const t0 = performance.now();
      await startLeads(env.client, parked, count);
      await waitForStage(db.orm, 'IN_REVIEW', count);
      parked = count;
      const s = (performance.now() - t0) / 1000;
      console.log(`  ${String(count).padStart(6)} in review   ${memoryLine(worker.pid!, probeFile)}   ${s.toFixed(1)} s to park`);
    }
    const t0 = performance.now();
    await parallel(parked, (i) => env.client.workflow.getHandle(salesLeadWorkflowId(orderIdOf(i))).signal(approveSignal, {}));
    await waitForStage(db.orm, 'ACTIVATED', parked, (n) =>
      console.log(`    … ${n} approved after ${((performance.now() - t0) / 1000).toFixed(0)} s   ${memoryLine(worker.pid!, probeFile)}`),
    );
    const s = (performance.now() - t0) / 1000;
    console.log(`  approved all ${parked} in ${s.toFixed(1)} s (${(parked / s).toFixed(0)}/s)   ${memoryLine(worker.pid!, probeFile)}`);
    console.log(`  peak worker RSS ${peakRss.toFixed(0)} MB (target 300 MB: ${(peakRss / 300).toFixed(2)}x)`);
  } finally {
    await cleanUp();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
