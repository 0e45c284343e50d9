/**
 * How many workflows the worker keeps in its sticky cache, from the memory it may use.
 * Figures from bench/workerScale.ts (bench/README.md §4): a worker loading a prebuilt
 * bundle is ~220 MB resident before it runs anything (Node, the Rust core, the workflow
 * thread with the bundle loaded), and every cached workflow adds ~0.35 MB (its own
 * module instances in the workflow thread's heap plus the core's state for the run).
 * The SDK's own default (~600 per GB of V8 heap limit) would cache thousands here.
 */
export const IDLE_WORKER_MB = 220;
export const MB_PER_CACHED_WORKFLOW = 0.35;

export function maxCachedWorkflowsFor(memoryBudgetMb: number): number {
  return Math.max(10, Math.floor((memoryBudgetMb - IDLE_WORKER_MB) / MB_PER_CACHED_WORKFLOW));
}
