import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { createActivities } from '../../../src/activities';
import { testDataConverter } from '../payloadKeys';
import { workflowCode } from '../workflowCode';
import { trace } from './options';

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


export async function restartableWorker(env: TestWorkflowEnvironment, activities: ReturnType<typeof createActivities>): Promise<RestartableWorker> {
  // The run's one bundle (test/support/globalSetup.ts): a restart must take a moment, not a webpack run.
  const code = workflowCode();
  const taskQueue = `model-${randomUUID()}`;
  let running: { worker: Worker; done: Promise<void> } | undefined;

  async function start(): Promise<void> {
    if (running) return;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...code,
      activities,
      dataConverter: testDataConverter(),
      maxCachedWorkflows: 0,
      shutdownGraceTime: '5s',
    });
    running = { worker, done: worker.run() };
    trace('worker started');
  }
  async function stop(): Promise<void> {
    if (!running) return;
    const { worker, done } = running;
    running = undefined;
    trace('worker stopping');
    worker.shutdown();
    await done;
    trace('worker stopped');
  }
  await start();
  return { taskQueue, start, stop, close: stop };
}
