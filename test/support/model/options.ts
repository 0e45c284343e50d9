import type { WorkflowHandle } from '@temporalio/client';
import type { Parameters as FcParameters } from 'fast-check';
import type { ModelServer } from './modelServer';

/**
 * The run settings of a model-based test file. Runs on the time-skipping server take a
 * few seconds each, so CI runs a handful: MODEL_RUNS raises them for a deep run on demand,
 * MODEL_SEED (and MODEL_PATH) replay the failure fast-check printed, MODEL_SHRINK=1
 * lets fast-check shrink it (slow), MODEL_TRACE=1 prints every command as it runs.
 */
export function modelRunOptions(defaultRuns: number): FcParameters<unknown> & { testTimeoutMs: number } {
  const numRuns = Number(process.env.MODEL_RUNS ?? defaultRuns);
  // Chosen here rather than by fast-check, so that a run cut short by a timeout has printed it too.
  const seed = process.env.MODEL_SEED === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(process.env.MODEL_SEED);
  const path = process.env.MODEL_PATH;
  return {
    numRuns,
    seed,
    ...(path === undefined ? {} : { path }),
    // Shrinking replays whole scenarios on a server (seconds each): on demand only.
    endOnFailure: !process.env.MODEL_SHRINK,
    // Per-run budget of ~15 s, shrinking included.
    testTimeoutMs: 120_000 + numRuns * 15_000,
  };
}

/** MODEL_TRACE=1 prints each command, state and worker restart as it happens (a hang shows where). */
export const trace = (line: string) => void (process.env.MODEL_TRACE && process.stderr.write(`${new Date().toISOString()} ${line}\n`));

/** A run that stopped making progress, for a reason not known: a finding, never retried. */
export class RunHung extends Error {
  override name = 'RunHung';
}

/**
 * A run the time-skipping server stranded: its workflow task cancelled a timer that fired
 * while the task was with the worker, the server refused the completion ("invalid history
 * builder state for action", temporalio/sdk-java#3088) and neither times the task out nor
 * sends it again. The real server accepts such a completion; the workflow is not at fault.
 * The stranded task also keeps that server from skipping time from then on, for every
 * workflow: the run is repeated on a new server (`runScenario`).
 *
 * It happens when two of the workflow's timers are due milliseconds apart (each starts at
 * its own task's time, and the server's clock runs at real pace while a task is out) and the
 * task for the first takes longer than the gap: about one MEF run in twenty-five on a loaded
 * 2-core machine (2026-11-30).
 */
export class RunStranded extends Error {
  override name = 'RunStranded';
}

/**
 * Fails a run that hangs, with its place. A run that fails or hangs while the server has
 * stranded its workflow task fails as `RunStranded` (a wait for the task, such as
 * `quiescent`, gives up before the deadline does); any other hang as `RunHung`.
 */
export async function withinRunDeadline<T>(
  what: string,
  work: Promise<T>,
  handle: WorkflowHandle,
  ms = Number(process.env.MODEL_RUN_TIMEOUT_MS ?? 30_000),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunHung(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    const stranded = await strandedTask(handle);
    if (stranded) throw new RunStranded(`${what}: the server stranded its workflow task (${stranded}); before that: ${(err as Error).message}`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The strand's mark: the history ends with a workflow task started long ago (a deadline of
 * many task timeouts has passed), neither completed nor timed out. Undefined if not so.
 */
export async function strandedTask(handle: WorkflowHandle): Promise<string | undefined> {
  const lastTaskStarted = async () => {
    const last = ((await handle.fetchHistory().catch(() => undefined))?.events ?? []).at(-1);
    return last?.workflowTaskStartedEventAttributes ? String(last.eventId) : undefined;
  };
  const first = await lastTaskStarted();
  if (first === undefined) return undefined;
  // Still the last event a while later: not a task that merely happens to be out right now.
  await new Promise((r) => setTimeout(r, 2_000));
  return (await lastTaskStarted()) === first ? `WorkflowTaskStarted, event ${first}, is still the last` : undefined;
}

/**
 * Runs one scenario on a workflow of its own: `start` makes it, `body` drives and checks it
 * within the run's deadline, and whatever happened the worker runs again and the workflow is
 * terminated. If the server strands it (`RunStranded`), once more with the same commands on a
 * new server. A second strand, a hang of any other kind, or any failed check fails the test.
 */
export async function runScenario<R extends { handle: WorkflowHandle }>(
  server: ModelServer,
  start: () => Promise<R>,
  body: (real: R) => Promise<void>,
): Promise<void> {
  const attempt = async () => {
    const real = await start();
    trace(`run: ${real.handle.workflowId}`);
    try {
      await withinRunDeadline(`the run of ${real.handle.workflowId}`, body(real), real.handle);
    } finally {
      await server.worker.start();
      await real.handle.terminate('model run over').catch(() => undefined);
    }
  };
  try {
    await attempt();
  } catch (err) {
    if (!(err instanceof RunStranded)) throw err;
    process.stderr.write(`model run stranded by the test server (${err.message}); the same commands once more on a new server\n`);
    await server.replace();
    await attempt();
  }
}
