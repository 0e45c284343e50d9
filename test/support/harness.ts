import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../src/api/app';
import { createOpsApp } from '../../src/api/ops/app';
import { backendChecks, readinessRouter } from '../../src/api/shared/health';
import { httpMetrics } from '../../src/api/shared/metrics';
import { payloadCodecFor } from '../../src/temporal/dataConverter';
import { Authenticator, loadClients } from '../../src/api/shared/auth';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createWorker } from '../../src/worker/createWorker';
import type { ProvisioningSystem } from '../../src/external/salesLeads/provisioning';
import type { EsimPlatform } from '../../src/external/esimOrders/esimPlatform';
import type { FibreSupplier } from '../../src/external/fibre/supplier';
import { freshDatabase, TestDatabase } from './databases';
import { startDevServer } from './temporal';
import { TEST_PAYLOAD_KEYS } from './payloadKeys';

export interface Harness {
  app: Express;
  /** The same API process's ops listener: /readyz, /metrics, the codec endpoint. */
  ops: Express;
  worker: Worker;
  taskQueue: string;
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  /** Runs the worker in the background until `stop()`. */
  stop(): Promise<void>;
  token(clientId: string): Promise<string>;
}

/**
 * For tests of what operators do: nothing decides on its own while the test looks
 * (async answers an hour away, deliveries tens of days, MEF steps of an hour, reviews
 * days), and the simulated systems answer at once. Only ops input moves these workflows.
 */
export const ONLY_OPS_DECIDE: Record<string, string> = {
  FIBRE_ASYNC_ANSWER_DELAY: '1 hour',
  SIM_FIBRE_SUPPLIER_LATENCY_MS: '0',
  MEF_STEP_DESIGN: '1 hour',
  MEF_STEP_INSTALL: '1 hour',
  MEF_STEP_ACTIVATE: '1 hour',
  SIM_MEF_SELLER_LATENCY_MS: '0',
  SIM_ESIM_LATENCY_MS: '0',
  SIM_ESIM_POLLS_UNTIL_READY: '0',
};

export const testConfig = (extra: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIM_PROVISIONING_LATENCY_MS: '0', ...TEST_PAYLOAD_KEYS, ...extra });

/** API and worker against one real Temporal server and one real database, on a task queue of their own. */
export async function startHarness(
  env: TestWorkflowEnvironment,
  db: TestDatabase,
  opts: {
    provisioning?: ProvisioningSystem;
    esimPlatform?: EsimPlatform;
    /** Called when the worker starts, so it may use what a beforeAll set up (a stub's port). */
    fibreSupplier?: () => FibreSupplier;
    configEnv?: Record<string, string>;
    rateLimitPerMinute?: number;
    /** The API's own client, when a test must outlive the environment's. */
    client?: Client;
  } = {},
): Promise<Harness> {
  const config = testConfig(opts.configEnv);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createWorker({
    config,
    connection: env.nativeConnection,
    orm: db.orm,
    taskQueue,
    provisioning: opts.provisioning,
    esimPlatform: opts.esimPlatform,
    fibreSupplier: opts.fibreSupplier?.(),
  });
  const running = worker.run();
  const logger = createLogger('api', (process.env.TEST_API_LOG_LEVEL as 'silent') ?? 'silent');
  const auth = new Authenticator(loadClients(config.clientsFile), config.jwtSecret, 3600);
  const metrics = httpMetrics();
  const client = opts.client ?? env.client;
  const app = createApp({
    config,
    client,
    orm: db.orm,
    auth,
    logger,
    metrics,
    taskQueue,
    reviewDeadline: config.env.LEAD_REVIEW_DEADLINE,
    leadAnswerTimeoutMs: config.env.LEAD_ANSWER_TIMEOUT_MS,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 100_000,
  });
  const ops = createOpsApp({ codec: payloadCodecFor(config), auth, codecConfig: config.codec, logger, readiness: readinessRouter(backendChecks(client, db.orm), metrics) });
  return {
    app,
    ops,
    worker,
    taskQueue,
    env,
    db,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async token(clientId: string) {
      const res = await request(app).get('/api/1.0/auth').auth(clientId, `${clientId}-secret`);
      if (res.status !== 200) throw new Error(`auth for ${clientId} failed: ${res.status}`);
      return res.body.accessToken as string;
    },
  };
}

/**
 * The usual integration set-up for one test file: a dev server, a fresh database
 * of `kind`, API and worker; all torn down after the file. Read `stack.h` inside tests.
 */
export function useStack(kind: TestDatabase['name'] = 'libsql', opts: Parameters<typeof startHarness>[2] = {}) {
  const stack = {} as { env: TestWorkflowEnvironment; db: TestDatabase; h: Harness };
  beforeAll(async () => {
    stack.env = await startDevServer();
    stack.db = await freshDatabase(kind);
    stack.h = await startHarness(stack.env, stack.db, opts);
  });
  afterAll(async () => {
    await stack.h?.stop();
    await stack.db?.drop();
    await stack.env?.teardown();
  });
  return stack;
}
