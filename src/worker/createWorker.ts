import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import { createActivities } from '../activities';
import type { Orm } from '../db/orm';
import { httpProvisioning, ProvisioningSystem, simulatedProvisioning } from '../external/salesLeads/provisioning';
import { DEMO_UNCONNECTABLE_ACCESS_ID } from '../db/salesLeads/demoData';
import { maxCachedWorkflowsFor } from './cacheSize';
import { WORKFLOWS_SOURCE } from './workflowBundle';
import { dataConverterFor } from '../temporal/dataConverter';
import type { EsimPlatform } from '../external/esimOrders/esimPlatform';
import type { FibreSupplier } from '../external/fibre/supplier';

export function provisioningFromConfig(config: Config, orm: Orm): ProvisioningSystem {
  const { env } = config;
  if (env.PROVISIONING_ADAPTER === 'http') return httpProvisioning(env.PROVISIONING_URL!, env.PROVISIONING_TIMEOUT_MS);
  return simulatedProvisioning(orm, {
    latencyMs: env.SIM_PROVISIONING_LATENCY_MS,
    transientFailures: env.SIM_PROVISIONING_TRANSIENT_FAILURES,
    rejectAccessIds: [DEMO_UNCONNECTABLE_ACCESS_ID],
  });
}

export interface WorkerDeps {
  config: Config;
  connection: NativeConnection;
  orm: Orm;
  provisioning?: ProvisioningSystem;
  /** eSIM orders: defaults to the adapter ESIM_PLATFORM_ADAPTER names. */
  esimPlatform?: EsimPlatform;
  /** Fibre orders: tests may pass their own; otherwise chosen by configuration. */
  fibreSupplier?: FibreSupplier;
  taskQueue?: string;
}

export async function createWorker({ config, connection, orm, provisioning, esimPlatform, fibreSupplier, taskQueue }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: taskQueue ?? config.env.TEMPORAL_TASK_QUEUE,
    // Tests (and a worker started alone) bundle from source; `npm start` and the image point at a prebuilt bundle.
    ...(process.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: WORKFLOWS_SOURCE }),
    dataConverter: dataConverterFor(config),
    activities: createActivities({ config, orm, provisioning: provisioning ?? provisioningFromConfig(config, orm), esimPlatform, fibreSupplier }),
    // Bounded sticky cache sized from a memory budget: thousands of leads waiting for review must
    // not grow the worker; an evicted lead replays its short history when its signal comes.
    maxCachedWorkflows: config.env.WORKER_MAX_CACHED_WORKFLOWS ?? maxCachedWorkflowsFor(config.env.WORKER_MEMORY_BUDGET_MB),
  });
}
