import type { Parameters as FcParameters } from 'fast-check';

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

/** A run that stopped making progress: a harness failure, not a verdict on the workflow. */
export class RunHung extends Error {
  override name = 'RunHung';
}

/** Fails a run that hangs (a lost workflow task, a server stuck) with its place, instead of the whole file timing out. */
export async function withinRunDeadline<T>(what: string, work: Promise<T>, ms = Number(process.env.MODEL_RUN_TIMEOUT_MS ?? 30_000)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunHung(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one generated scenario on a fresh workflow, and once more on another if it hangs.
 * About one run in fifty hangs for reasons outside the workflow (the test server refusing
 * a task completion with "invalid history builder state for action", with a worker that
 * replays every task); a second hang, or any failed check, fails the property.
 */
export async function runScenario(run: (attempt: number) => Promise<void>): Promise<void> {
  try {
    await run(1);
  } catch (err) {
    if (!(err instanceof RunHung)) throw err;
    process.stderr.write(`model run hung (${err.message}); running the same commands once more on a fresh workflow\n`);
    await run(2);
  }
}
