import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RestartableWorker } from './restartableWorker';
import { trace } from './options';


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
    const work = await outstandingWork(handle);
    if (work === undefined) return;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} still has ${work} outstanding after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What the workflow still waits on, read from one history: a workflow task not completed,
 * or an activity not closed; undefined when nothing (or the workflow has closed). One read,
 * not `describe` and then the history: between two reads a task can complete by scheduling
 * an activity, and each read alone says "nothing outstanding" (the hang of a CI run on
 * 2026-11-30: the worker stopped with the activity scheduled, and time stopped skipping).
 */
export async function outstandingWork(handle: WorkflowHandle): Promise<string | undefined> {
  const { events } = await handle.fetchHistory();
  let taskScheduled = 0;
  let taskCompleted = 0;
  const activities = new Set<number>();
  for (const e of events ?? []) {
    const id = Number(e.eventId);
    if (e.workflowTaskScheduledEventAttributes) taskScheduled = id;
    if (e.workflowTaskCompletedEventAttributes) taskCompleted = id;
    if (e.activityTaskScheduledEventAttributes) activities.add(id);
    const closed =
      e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (closed) activities.delete(Number(closed.scheduledEventId));
    const workflowClosed =
      e.workflowExecutionCompletedEventAttributes ??
      e.workflowExecutionFailedEventAttributes ??
      e.workflowExecutionTerminatedEventAttributes ??
      e.workflowExecutionCanceledEventAttributes ??
      e.workflowExecutionTimedOutEventAttributes ??
      e.workflowExecutionContinuedAsNewEventAttributes;
    if (workflowClosed) return undefined;
  }
  if (taskScheduled > taskCompleted) return 'a workflow task';
  if (activities.size > 0) return `${activities.size} activit${activities.size === 1 ? 'y' : 'ies'}`;
  return undefined;
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
  await stoppedWhileQuiescent(worker, handle);
  const at = fireTimer ? await nextTimerAt(handle) : undefined;
  const answers: Promise<T>[] = [];
  try {
    if (at !== undefined) await env.sleep(Math.max(0, Math.ceil(at - (await env.currentTimeMs()))));
    trace(`  timer fired at ${at}`);
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

/**
 * Stops the worker with nothing outstanding for it: checked again once it has stopped, since
 * a task the worker took while shutting down stays with the server until it times out (in
 * the server's own time, which no longer skips). Bounded: a workflow that keeps finding work
 * with no time passing is a failure of the test, named.
 */
async function stoppedWhileQuiescent(worker: RestartableWorker, handle: WorkflowHandle): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await quiescent(handle);
    await worker.stop();
    const work = await outstandingWork(handle);
    if (work === undefined) return;
    trace(`  ${work} outstanding once the worker stopped; starting it again`);
    await worker.start();
  }
  throw new Error(`${handle.workflowId} had work outstanding each of 5 times the worker stopped`);
}
