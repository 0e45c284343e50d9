import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { approveSignal, salesLeadWorkflowId, submitLeadUpdate } from '../../src/workflows/salesLeads/contract';
import { salesLeadWorkflow } from '../../src/workflows/salesLeads/workflow';
import { workerLaunch } from '../../src/worker/launch';
import { freshDatabase, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { freePort } from '../support/freePort';
import { validLead } from '../support/leads';
import { TEST_PAYLOAD_KEYS } from '../support/payloadKeys';
import { startDevServer } from '../support/temporal';

/**
 * The worker process as `npm start` runs it: every line it writes is one JSON object (its
 * own, the SDK's, the workflows' and activities' logs alike), workflow and activity lines
 * name the workflow and its run, and the Temporal runtime's Prometheus metrics are served
 * at WORKER_METRICS_ADDRESS.
 */
describe('the worker process logs JSON and serves the runtime\'s metrics', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: ChildProcess;
  let output = '';
  let metricsUrl: string;
  const taskQueue = `obs-${randomUUID()}`;

  beforeAll(async () => {
    env = await startDevServer();
    db = await freshDatabase('libsql');
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const launch = workerLaunch(
      {
        ...process.env,
        ...TEST_PAYLOAD_KEYS,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        DATABASE_URL: db.url,
        SIM_PROVISIONING_LATENCY_MS: '0',
        LOG_LEVEL: 'debug',
        WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      },
      'source',
    );
    worker = spawn(process.execPath, launch.args, { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    worker.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await eventually(async () => expect(output).toContain('worker started'), 60_000, 200);
  }, 90_000);
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGINT');
      await exited;
    }
    await db?.drop();
    await env?.teardown();
  });

  it('writes only JSON lines; workflow and activity lines carry workflowId and runId; /metrics has the runtime\'s figures', async () => {
    const orderId = randomUUID();
    const handle = await env.client.workflow.start(salesLeadWorkflow, {
      taskQueue,
      workflowId: salesLeadWorkflowId(orderId),
      args: [
        { orderId, tenantId: 'demo', correlationId: 'c-obs', requestHash: 'h', lead: validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }) },
        { reviewDeadline: '2 days' },
      ],
    });
    await handle.executeUpdate(submitLeadUpdate, { args: [{ requestHash: 'h' }] });
    // What an operator may send from the UI: nothing at all. The workflow ignores it and says so.
    await handle.signal(approveSignal, undefined as never);
    const runId = handle.firstExecutionRunId;

    const lines = () => output.split('\n').filter((l) => l.trim() !== '');
    await eventually(async () => expect(output).toContain('signal ignored'), 20_000, 200);
    await eventually(async () => expect(output).toMatch(/"activityType"/), 20_000, 200);
    const notJson = lines().filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const parsed = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    const ignored = parsed.find((l) => String(l.msg).includes('signal ignored'))!;
    expect(ignored).toMatchObject({ level: 40, proc: 'worker', workflowId: handle.workflowId, runId });
    const activity = parsed.find((l) => l.activityType !== undefined && l.workflowId === handle.workflowId)!;
    expect(activity).toMatchObject({ workflowId: handle.workflowId, runId, workflowRunId: runId });

    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);
    expect(metrics).toMatch(/^temporal_activity_execution_latency\w*\{/m);
    await handle.terminate('test over');
  }, 60_000);
});
