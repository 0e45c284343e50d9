import { loadConfig } from '../config';
import { CodeForm, nodeEntryArgs, RUNNING_FORM } from '../projectFiles';

/**
 * V8 flags for the worker process. Both isolates (main
 * thread and workflow thread) otherwise grow towards V8's default limits (a 16 MB semi-space,
 * an old space of several GB on a large machine) before collecting, which is where a worker
 * with a bounded cache still reached 450 MB (docs/benchmarks.md §4). With the default 300 MB
 * budget each isolate was seen to use under 80 MB, so 192 MB leaves room; a larger budget
 * (a larger cache) raises the cap MB for MB, well over the ~0.12 MB of workflow-thread heap
 * each extra cached workflow takes.
 */
export function workerV8Flags(memoryBudgetMb: number): string[] {
  return ['--max-semi-space-size=2', `--max-old-space-size=${Math.max(192, memoryBudgetMb - 108)}`];
}

/**
 * How the worker loads its TypeScript when it runs from source (tests, bench): tsx's CommonJS
 * require hook. `--import tsx` also registers ESM loader hooks, which Node 20 runs on a loader
 * thread of their own (its own V8 isolate): 17–20 MB more resident memory for an idle worker
 * (docs/benchmarks.md §4). The project is CommonJS, so the require hook is all it needs.
 * Compiled (`npm start`, the image) the worker runs dist/src/worker/main.js with no loader.
 */
const WORKER_TS_LOADER = ['--require', 'tsx/cjs'];

/**
 * Environment for the worker process. glibc's malloc gives threads that contend for it
 * arenas of their own, up to 8 per core; the Temporal core's tokio threads, libsql and the
 * workflow thread each then fragment their own, and freed memory stays resident in every
 * arena. Two arenas kept a worker with 2,500 parked leads at 287 MB instead of 329 MB
 * (docs/benchmarks.md §4). glibc reads the variable when the process starts, so it has to be
 * set by whoever spawns the worker; a value already in the environment wins.
 */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2' };
}

/**
 * How a worker process is started, for everything that starts one (`npm start`, the chaos
 * tests, bench/workerScale.ts), so each runs the worker the same way: node's arguments, sized
 * from the env's WORKER_MEMORY_BUDGET_MB and ending with the entry file (compiled or source,
 * by default as the caller runs: src/projectFiles.ts), and its environment. docker-compose.yml
 * spells out the same for the default budget.
 */
export function workerLaunch(env: NodeJS.ProcessEnv, form: CodeForm = RUNNING_FORM): { args: string[]; env: NodeJS.ProcessEnv } {
  const budgetMb = loadConfig(env).env.WORKER_MEMORY_BUDGET_MB;
  return { args: [...workerV8Flags(budgetMb), ...nodeEntryArgs('src/worker/main', WORKER_TS_LOADER, form)], env: workerEnv(env) };
}
