import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { createActivities } from '../../src/activities';
import { freshDatabase, TestDatabase } from './databases';
import { startTimeSkippingServer } from './temporal';
import { testDataConverter } from './payloadKeys';
import { workflowCode } from './workflowCode';

/**
 * The usual set-up of a workflow test file: a time-skipping server and a fresh libsql
 * database, both torn down after the file. Read `stack.env` and `stack.db` inside tests.
 */
export function useTimeSkipping() {
  const stack = {} as { env: TestWorkflowEnvironment; db: TestDatabase };
  beforeAll(async () => {
    stack.env = await startTimeSkippingServer();
    stack.db = await freshDatabase('libsql');
  });
  afterAll(async () => {
    await stack.db?.drop();
    await stack.env?.teardown();
  });
  return stack;
}

/** Runs `fn` while a worker of the real workflows and the given activities serves a task queue of its own. */
export async function runWithWorker<T>(
  env: TestWorkflowEnvironment,
  activities: ReturnType<typeof createActivities>,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    ...workflowCode(),
    activities,
    dataConverter: testDataConverter(),
  });
  return worker.runUntil(fn(taskQueue));
}
