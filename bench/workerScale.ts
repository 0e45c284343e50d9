import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { SalesLeadRecordSchema } from '../src/db/entities';
import type { Orm } from '../src/db/orm';
import { approveSignal, SALES_LEAD_WORKFLOW_TYPE, SalesLeadInput, salesLeadWorkflowId } from '../src/workflows/salesLead/contract';
import { freshDatabase } from '../test/support/databases';
import { validLead } from '../test/support/leads';
import { startDevServer } from '../test/support/temporal';

/**
 * Benchmark 4 (issue 6): many workflows parked on a signal (sales leads waiting for
 * review). Prints the worker's resident memory as the count grows, which must stay
 * flat because the sticky cache is bounded (WORKER_MAX_CACHED_WORKFLOWS), then the
 * time to approve them all and see every one ACTIVATED. Target: RSS under 300 MB.
 * The worker is its own process (src/worker/main.ts), so its RSS is only its own.
 */
const COUNTS = (process.env.BENCH_LEADS ?? '2500,5000,10000').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TASK_QUEUE = 'bench-worker-scale';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function parallel(count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

async function waitForStage(orm: Orm, stage: string, count: number, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await orm.em.fork().count(SalesLeadRecordSchema, { stage })) >= count) return;
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
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const logFile = path.join(os.tmpdir(), `bench-worker-scale-${process.pid}.log`);
  const workerLog = fs.openSync(logFile, 'w');
  const worker = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'src', 'worker', 'main.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      SIM_PROVISIONING_LATENCY_MS: '0',
    },
    // Its log (bundling, state changes) goes to a file so the figures stay readable.
    stdio: ['ignore', workerLog, workerLog],
  });
  try {
    console.log(`worker scale: leads parked in review, worker log ${logFile}, cache ${process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 1000} workflows`);
    let parked = 0;
    for (const count of COUNTS) {
      const t0 = performance.now();
      await startLeads(env.client, parked, count);
      await waitForStage(db.orm, 'IN_REVIEW', count);
      parked = count;
      const s = (performance.now() - t0) / 1000;
      console.log(`  ${String(count).padStart(6)} in review   worker RSS ${rssMb(worker.pid!).toFixed(0).padStart(4)} MB   (${s.toFixed(1)} s to park)`);
    }
    const t0 = performance.now();
    await parallel(parked, (i) => env.client.workflow.getHandle(salesLeadWorkflowId(orderIdOf(i))).signal(approveSignal, {}));
    await waitForStage(db.orm, 'ACTIVATED', parked);
    const s = (performance.now() - t0) / 1000;
    console.log(`  approved all ${parked} in ${s.toFixed(1)} s (${(parked / s).toFixed(0)}/s)   worker RSS ${rssMb(worker.pid!).toFixed(0)} MB`);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await db.drop();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
