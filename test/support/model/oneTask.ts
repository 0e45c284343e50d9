import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RestartableWorker } from './restartableWorker';

/** When the workflow's earliest running timer fires, from its history; undefined if none runs. */
export async function nextTimerAt(handle: WorkflowHandle): Promise<number | undefined> {
  const { events } = await handle.fetchHistory();
  const open = new Map<string, number>();
  for (const e of events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started?.timerId) open.set(started.timerId, tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (ended) open.delete(ended);
  }
  return open.size > 0 ? Math.min(...open.values()) : undefined;
}

/**
 * Waits until the workflow has no task or activity outstanding. A task or activity left
 * for a stopped worker stops the test server's time skipping: time then runs at
 * wall-clock speed, and an hour's advance takes an hour.
 */
export async function quiescent(handle: WorkflowHandle, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { raw, status } = await handle.describe();
    if (status.name !== 'RUNNING') return;
    // From history, not `pendingWorkflowTask`: the test server leaves that empty.
    if ((raw.pendingActivities ?? []).length === 0 && !(await workflowTaskOutstanding(handle))) return;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} still has work outstanding after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function workflowTaskOutstanding(handle: WorkflowHandle): Promise<boolean> {
  const { events } = await handle.fetchHistory();
  let scheduled = 0;
  let completed = 0;
  for (const e of events ?? []) {
    const id = Number(e.eventId);
    if (e.workflowTaskScheduledEventAttributes) scheduled = id;
    if (e.workflowTaskCompletedEventAttributes) completed = id;
  }
  return scheduled > completed;
}

/**
 * Sends `messages` (updates, signals) and, with `fireTimer`, lets the workflow's next
 * timer fire, all while no worker runs: the next workflow task holds them together, as
 * a busy worker's would in production (the SDK applies updates and signals before the
 * timer). Time moves exactly to the timer: past a workflow task nobody has picked up
 * the test server stops skipping and runs at wall-clock speed.
 */
export async function inOneTask<T>(
  env: TestWorkflowEnvironment,
  worker: RestartableWorker,
  handle: WorkflowHandle,
  fireTimer: boolean,
  messages: (() => Promise<T>)[],
): Promise<T[]> {
  await quiescent(handle);
  const at = fireTimer ? await nextTimerAt(handle) : undefined;
  await worker.stop();
  const answers: Promise<T>[] = [];
  try {
    if (at !== undefined) await env.sleep(Math.max(0, Math.ceil(at - (await env.currentTimeMs()))));
    for (const send of messages) {
      answers.push(send());
      // In the order given: each reaches the server before the next is sent.
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    await worker.start();
  }
  return Promise.all(answers);
}
