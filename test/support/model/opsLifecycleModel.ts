import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import fc from 'fast-check';
import { isTerminal, Lifecycle, reachable } from '../../../src/domain/shared/lifecycle';
import type { OpsAnswer } from '../../../src/workflows/shared/opsInput';
import { Observed } from './moves';
import { inOneTask } from './oneTask';
import { modelRunOptions, runScenario, trace } from './options';
import type { ModelServer } from './modelServer';

/**
 * The model-based test of a workflow whose lifecycle operators drive (sales lead, fibre
 * order): random interleavings of its ops actions (updates and signals), time over its
 * timers, a failure of the external system it waits for, and actions landing in one
 * workflow task with the next timer. The moves come from the workflow's own recording
 * activity (`observed.move`, wired by the test file), so none passes unseen.
 */
export interface OpsLifecycleSpec<S extends string, Shape> {
  lifecycle: Lifecycle<S>;
  observed: Observed<S>;
  server: ModelServer;
  shapes: fc.Arbitrary<Shape>;
  start(shape: Shape, taskQueue: string): Promise<{ id: string; handle: WorkflowHandle }>;
  actions: Record<string, { update: UpdateDefinition<OpsAnswer, [never]>; signal: SignalDefinition<[never]>; input: unknown }>;
  /** The external system refuses this workflow's next call for good. */
  failNext(id: string): void;
  advance: fc.Arbitrary<number>;
  /** How long to let time run, per step, until the workflow closes on its own. */
  settleMs: number;
  /** What an operator does for a workflow that waits for one (the external system gave up). */
  closeOut?(handle: WorkflowHandle): Promise<void>;
}

interface Real {
  id: string;
  handle: WorkflowHandle;
}

export async function runOpsLifecycleModel<S extends string, Shape>(spec: OpsLifecycleSpec<S, Shape>, defaultRuns: number): Promise<void> {
  const { lifecycle, observed } = spec;

  /** An ops answer names the state before and after; a refusal is InvalidState. Either way the state moved only as the table allows. */
  async function act(real: Real, name: string, via: 'update' | 'signal'): Promise<void> {
    const a = spec.actions[name]!;
    try {
      if (via === 'signal') {
        await real.handle.signal(a.signal, a.input as never);
        return;
      }
      const done = await real.handle.executeUpdate(a.update, { args: [a.input as never] });
      if (done.before !== done.after && !reachable(lifecycle, done.before as S, done.after as S)) {
        throw new Error(`${name} answered a move the table does not lead to: ${done.message}`);
      }
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string }).type === 'InvalidState') return;
      if ((err as Error).name === 'WorkflowNotFoundError') return;
      throw err;
    }
  }

  const cmd = (label: string, run: (real: Real) => Promise<void>): fc.AsyncCommand<object, Real> => ({
    check: () => true,
    run: async (_m, real) => {
      trace(label);
      await run(real);
    },
    toString: () => label,
  });
  const names = Object.keys(spec.actions);
  const via = fc.constantFrom<'update' | 'signal'>('update', 'update', 'signal');
  const commands = fc.commands(
    [
      fc.tuple(fc.constantFrom(...names), via).map(([n, v]) => cmd(`${n}${v === 'signal' ? ' (signal)' : ''}`, (r) => act(r, n, v))),
      spec.advance.map((ms) => cmd(`advance ${ms / 3_600_000} h`, (r) => spec.server.env.sleep(ms).then(() => void r))),
      fc.constant(cmd('the external system refuses the next call', async (r) => spec.failNext(r.id))),
      // Updates only: a signal and an update in one task replay nondeterministically with this SDK and test server.
      fc
        .tuple(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 2 }), fc.boolean())
        .map(([ns, fire]) =>
          cmd(`in one task: ${ns.join(', ')}${fire ? ', the next timer' : ''}`, async (r) => {
            await inOneTask(spec.server.env, spec.server.worker, r.handle, fire, ns.map((n) => () => act(r, n, 'update')));
          }),
        ),
    ],
    { maxCommands: 10 },
  );

  const opts = modelRunOptions(defaultRuns);
  process.stderr.write(`${lifecycle.name} model: ${opts.numRuns} runs, seed ${opts.seed} (MODEL_SEED=${opts.seed} replays them)\n`);
  await fc.assert(
    fc.asyncProperty(spec.shapes, commands, (shape, cmds) =>
      runScenario(
        spec.server,
        async () => {
          trace(JSON.stringify(shape));
          return spec.start(shape, spec.server.worker.taskQueue);
        },
        async (real) => {
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds);
          for (let i = 0; i < 30 && (await real.handle.describe()).status.name === 'RUNNING'; i++) {
            if (i > 0 && spec.closeOut) await spec.closeOut(real.handle);
            await spec.server.env.sleep(spec.settleMs);
          }
          await real.handle.result();
          observed.check(real.id);
          const last = observed.movesOf(real.id).at(-1)?.to;
          if (last === undefined || !isTerminal(lifecycle, last)) throw new Error(`${real.id} closed in ${last ?? 'no state'}, which is not terminal`);
        },
      ),
    ),
    opts,
  );
}
