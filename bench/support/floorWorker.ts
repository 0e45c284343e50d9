import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { openOrm } from '../../src/db/orm';
import { connectWorkerConnection } from '../../src/temporal/connection';
import { dataConverterFor } from '../../src/temporal/dataConverter';
import { maxCachedWorkflowsFor } from '../../src/worker/cacheSize';

/**
 * The intake benchmark's floor worker: its own process, configured as ours is (the same
 * connection, payload encryption, cache size and database), running only floorWorkflow.
 */
export const FLOOR_TASK_QUEUE = 'bench-floor';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const orm = await openOrm(config.databaseUrl);
  const conn = orm.em.getConnection();
  await conn.execute('create table if not exists bench_floor (id varchar(64) primary key, written_at bigint not null)');
  const activities = {
    async writeFloorRow(id: string): Promise<void> {
      await conn.execute('insert into bench_floor (id, written_at) values (?, ?) on conflict (id) do nothing', [id, Date.now()]);
    },
  };
  const worker = await Worker.create({
    connection: await connectWorkerConnection(config),
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowsPath: require.resolve('./floorWorkflow'),
    dataConverter: dataConverterFor(config),
    activities,
    maxCachedWorkflows: config.env.WORKER_MAX_CACHED_WORKFLOWS ?? maxCachedWorkflowsFor(config.env.WORKER_MEMORY_BUDGET_MB),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  await worker.run();
  await orm.close();
}

export type FloorActivities = {
  writeFloorRow(id: string): Promise<void>;
};

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
