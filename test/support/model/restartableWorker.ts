import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { createActivities } from '../../../src/activities';
import { FAILURE_CONVERTER_PATH } from '../../../src/temporal/dataConverter';
import { testDataConverter } from '../payloadKeys';

/**
 * A worker of the real workflows that a model-based test can stop and start again on the
 * same task queue. While it is stopped, what the test sends (updates, signals) and the
 * timers that time-skipping fires pile up in history, and the next worker sees them in
 * one workflow task: the interleaving a busy worker produces in production, made on purpose.
 *
 * No sticky cache: the test server leaves a task on a stopped worker's sticky queue for
 * good (it has no sticky schedule-to-start timeout), so every task goes to the shared
 * queue and replays from history, which checks determinism on the way.
 */
export interface RestartableWorker {
  taskQueue: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops for good (afterAll). */
  close(): Promise<void>;
}

let bundle: Promise<{ code: string }> | undefined;

export async function restartableWorker(env: TestWorkflowEnvironment, activities: ReturnType<typeof createActivities>): Promise<RestartableWorker> {
  // Bundled once per file: a restart must take a moment, not a webpack run.
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../../src/workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  const { code } = await bundle;
  const taskQueue = `model-${randomUUID()}`;
  let running: { worker: Worker; done: Promise<void> } | undefined;

  async function start(): Promise<void> {
    if (running) return;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities,
      dataConverter: testDataConverter(),
      maxCachedWorkflows: 0,
      shutdownGraceTime: '5s',
    });
    running = { worker, done: worker.run() };
  }
  async function stop(): Promise<void> {
    if (!running) return;
    const { worker, done } = running;
    running = undefined;
    worker.shutdown();
    await done;
  }
  await start();
  return { taskQueue, start, stop, close: stop };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
