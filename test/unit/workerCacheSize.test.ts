import path from 'node:path';
import { IDLE_WORKER_MB, MB_PER_CACHED_WORKFLOW, maxCachedWorkflowsFor } from '../../src/worker/cacheSize';
import { workerEnv, workerLaunch, workerV8Flags } from '../../src/worker/launch';
import { loadConfig } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..');

describe('sticky cache size from the worker memory budget', () => {
  it('fills the default 300 MB budget: idle worker plus cached workflows stays within it', () => {
    const size = maxCachedWorkflowsFor(300);
    expect(size).toBe(150);
    expect(IDLE_WORKER_MB + size * MB_PER_CACHED_WORKFLOW).toBeLessThanOrEqual(300 + 1e-9);
    expect(IDLE_WORKER_MB + (size + 1) * MB_PER_CACHED_WORKFLOW).toBeGreaterThan(300);
  });

  it('grows with the budget and never goes below 10 workflows', () => {
    expect(maxCachedWorkflowsFor(1024)).toBe(1960);
    expect(maxCachedWorkflowsFor(256)).toBe(40);
    expect(maxCachedWorkflowsFor(100)).toBe(10);
  });

  it('reads the budget from WORKER_MEMORY_BUDGET_MB; WORKER_MAX_CACHED_WORKFLOWS, when set, wins', () => {
    expect(loadConfig({}).env.WORKER_MEMORY_BUDGET_MB).toBe(300);
    expect(loadConfig({}).env.WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadConfig({ WORKER_MEMORY_BUDGET_MB: '512', WORKER_MAX_CACHED_WORKFLOWS: '50' }).env).toMatchObject({
      WORKER_MEMORY_BUDGET_MB: 512,
      WORKER_MAX_CACHED_WORKFLOWS: 50,
    });
    expect(() => loadConfig({ WORKER_MEMORY_BUDGET_MB: '64' })).toThrow(/WORKER_MEMORY_BUDGET_MB/);
  });
});

describe('worker V8 flags from the same budget', () => {
  it('caps each isolate at 192 MB by default and raises the cap with the budget, so a larger cache still fits', () => {
    expect(workerV8Flags(300)).toEqual(['--max-semi-space-size=2', '--max-old-space-size=192']);
    expect(workerV8Flags(1024)).toContain('--max-old-space-size=916');
  });
});

describe('worker environment', () => {
  it('caps glibc malloc at two arenas unless the environment already says otherwise', () => {
    expect(workerEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(workerEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });
});

describe('worker launch', () => {
  it('is the V8 flags for the env\'s budget, then the entry (here the source, through tsx\'s require hook), and the worker environment', () => {
    expect(workerLaunch({ WORKER_MEMORY_BUDGET_MB: '1024' })).toEqual({
      args: ['--max-semi-space-size=2', '--max-old-space-size=916', '--require', 'tsx/cjs', path.join(ROOT, 'src', 'worker', 'main.ts')],
      env: { WORKER_MEMORY_BUDGET_MB: '1024', MALLOC_ARENA_MAX: '2' },
    });
  });
});
