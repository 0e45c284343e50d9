import { loadConfig } from '../config';
import { openOrm } from '../db/orm';
import { createLogger } from '../log';
import { connectWorkerConnection } from '../temporal/connection';
import { createWorker } from './createWorker';
import { installWorkerRuntime } from './telemetry';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.env.LOG_LEVEL);
  // Before the first connection: the runtime is made with it.
  installWorkerRuntime(logger, config.env.WORKER_METRICS_ADDRESS);
  const orm = await openOrm(config.databaseUrl);
  const connection = await connectWorkerConnection(config);
  const worker = await createWorker({ config, connection, orm });
  logger.info({ taskQueue: config.env.TEMPORAL_TASK_QUEUE, address: config.temporalAddress, metrics: config.env.WORKER_METRICS_ADDRESS ?? 'off' }, 'worker started');
  // Worker.run() installs its own SIGINT/SIGTERM handling and drains in-flight tasks.
  await worker.run();
  await connection.close();
  await orm.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  createLogger('worker').fatal({ err }, 'worker failed');
  process.exit(1);
});
