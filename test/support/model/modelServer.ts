import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { createActivities } from '../../../src/activities';
import { freshDatabase, TestDatabase } from '../databases';
import { startTimeSkippingServer } from '../temporal';
import { RestartableWorker, restartableWorker } from './restartableWorker';

type Activities = ReturnType<typeof createActivities>;

/**
 * What a model-based test file runs on: a time-skipping server, a restartable worker of the
 * real workflows and a fresh libsql database. Read `env` and `worker` at the moment of use:
 * `replace` swaps in a new server and worker (same database, same activities) after the
 * server stranded a run (`RunStranded`, options.ts), since a stranded task keeps the old
 * server from skipping time for good.
 */
export interface ModelServer {
  readonly env: TestWorkflowEnvironment;
  readonly worker: RestartableWorker;
  readonly db: TestDatabase;
  replace(): Promise<void>;
}

export function useModelServer(activitiesFor: (db: TestDatabase) => Activities): ModelServer {
  let env: TestWorkflowEnvironment | undefined;
  let worker: RestartableWorker | undefined;
  let db: TestDatabase | undefined;
  let activities: Activities;
  const server: ModelServer = {
    get env() {
      return env!;
    },
    get worker() {
      return worker!;
    },
    get db() {
      return db!;
    },
    async replace() {
      await worker?.close();
      await env?.teardown();
      env = await startTimeSkippingServer();
      worker = await restartableWorker(env, activities);
    },
  };
  beforeAll(async () => {
    env = await startTimeSkippingServer();
    db = await freshDatabase('libsql');
    activities = activitiesFor(db);
    worker = await restartableWorker(env, activities);
  });
  afterAll(async () => {
    await worker?.close();
    await db?.drop();
    await env?.teardown();
  });
  return server;
}
