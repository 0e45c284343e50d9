/**
 * How many workflows the worker keeps in its sticky cache, from the memory it may use.
 * Figures from bench/workerScale.ts (docs/benchmarks.md §4), worker started as `npm start`
 * starts it (prebuilt bundle, V8 flags, two malloc arenas), highest RSS while thousands of
 * parked leads are approved: ~240 MB before any workflow is cached (Node, the Rust core,
 * both isolates with the bundle loaded and warmed by activities) and ~0.4 MB per cached
 * workflow (its own module instances in the workflow thread's heap, the core's state for
 * the run, and what handling its signal and activities adds). Measured: cache 150 peaked
 * at 285 MB, cache 228 at 317 MB. The SDK's own default (~600 per GB of V8 heap limit)
 * would cache thousands here.
 */
export const IDLE_WORKER_MB = 240;
export const MB_PER_CACHED_WORKFLOW = 0.4;

export function maxCachedWorkflowsFor(memoryBudgetMb: number): number {
  return Math.max(10, Math.floor((memoryBudgetMb - IDLE_WORKER_MB) / MB_PER_CACHED_WORKFLOW));
}
