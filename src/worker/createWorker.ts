import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import { createActivities } from '../activities';
import type { Orm } from '../db/orm';
import { httpProvisioning, ProvisioningSystem, simulatedProvisioning } from '../external/provisioning';
import { DEMO_UNCONNECTABLE_ACCESS_ID } from '../db/demoData';

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
  taskQueue?: string;
}

export async function createWorker({ config, connection, orm, provisioning, taskQueue }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: taskQueue ?? config.env.TEMPORAL_TASK_QUEUE,
    // Development and tests bundle from source; a production image may point at a prebuilt bundle.
    ...(process.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ config, orm, provisioning: provisioning ?? provisioningFromConfig(config, orm) }),
    // Bounded sticky cache: thousands of leads waiting for review must not grow the heap without limit.
    maxCachedWorkflows: config.env.WORKER_MAX_CACHED_WORKFLOWS,
  });
}
