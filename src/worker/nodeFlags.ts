/**
 * V8 flags for the worker process (`npm start`, bench/workerScale.ts). Both isolates (main
 * thread and workflow thread) otherwise grow towards V8's default limits (a 16 MB semi-space,
 * an old space of several GB on a large machine) before collecting, which is where a
 * worker with a bounded cache still reached 450 MB (bench/README.md §4). The old-space cap
 * leaves each isolate ~2.5x what it was seen to use with the default cache.
 */
export const WORKER_V8_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=192'];
