import {
  ApplicationFailure,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import * as z from 'zod/mini';
import type { OpsActionActivities, OpsActionEntry } from '../../activities/shared/opsActions';
import { ownDatabase } from './activityPresets';
import { oneLine, OpsAnswer, OpsFailure } from './opsInput';

const db = ownDatabase<OpsActionActivities>();

/**
 * What operators send is untrusted (DESIGN: Operators): the Temporal UI's default
 * input is empty and the CLI sends whatever is typed. Every signal and update an
 * ops action arrives by is parsed here with its zod schema before it touches state;
 * a signal that does not parse or cannot apply is logged and ignored (and shown in the
 * workflow's current details), never a failed workflow task; the same action as an
 * update is refused by its validator, so the operator reads the reason.
 */

export interface OpsAction<I, R> {
  /** The name operators know (approve, reject, answer, deliver, hold, …). */
  action: string;
  schema: z.ZodMiniType<I>;
  /** Why the action cannot be done now; undefined when it can. */
  refusal(input: I): string | undefined;
  /** The action's effect on workflow state (synchronous: it lands in this activation). */
  apply(input: I): void;
  /** True once the state the action leads to is reached (e.g. the lead left IN_REVIEW). Default: at once. */
  settled?(): boolean;
  /** The answer, taken the moment the action settled; default: the OpsAnswer. */
  answer?(done: OpsAnswer): R;
  /** Work the update waits for before it answers (e.g. the read model caught up). */
  beforeAnswering?(): Promise<void>;
  /** The why of the audit trail: the input's reason or message. */
  why?(input: I): string | undefined;
}

const SHOWN_WARNINGS = 5;

/**
 * One per workflow run: registers ops actions as signal + update pairs, keeps the
 * audit trail, and composes the current details the Temporal UI shows (what the
 * workflow waits for, and the ops input it ignored lately).
 */
export function opsDesk(opts: { family: string; publicId: string; state: () => string }) {
  // Runs started before ops input was parsed and audited keep their old behaviour on
  // replay: no audit activity, and no wait inside the handlers (commands unchanged).
  const audited = patched('ops-input-parsed-and-audited');
  const { workflowId, runId } = workflowInfo();
  let seq = 0;
  let unwritten = 0;
  let waitingFor = '';
  const ignored: string[] = [];

  function showDetails(): void {
    const parts = [waitingFor ? `**Waiting for** ${waitingFor}` : ''];
    if (ignored.length > 0) parts.push(`**Ignored ops input** (latest ${ignored.length}):\n${ignored.map((w) => `- ${w}`).join('\n')}`);
    setCurrentDetails(parts.filter(Boolean).join('\n\n'));
  }

  /**
   * Written beside the action, not before its answer: an update answers as soon as the
   * action settled, and the workflow completes only once every entry is written (`written`).
   */
  function record(entry: Omit<OpsActionEntry, 'workflowId' | 'runId' | 'seq' | 'family' | 'publicId' | 'at'>): void {
    if (!audited) return;
    seq += 1;
    unwritten += 1;
    const done = () => void (unwritten -= 1);
    void db.recordOpsAction({ workflowId, runId, seq, family: opts.family, publicId: opts.publicId, at: new Date().toISOString(), ...entry }).then(done, (err: unknown) => {
      log.error('an ops audit entry could not be written', { workflowId, seq, error: String(err) });
      done();
    });
  }

  function ignore(action: string, by: string | undefined, why: string): void {
    log.warn(`${action} signal ignored: ${why}`, { workflowId });
    ignored.push(`${new Date().toISOString()} \`${action}\`${by ? ` from ${by}` : ''}: ${why}`);
    if (ignored.length > SHOWN_WARNINGS) ignored.shift();
    showDetails();
    const state = opts.state();
    record({ action, via: 'signal', by: by ?? null, reason: null, before: state, after: state, outcome: 'ignored', detail: why });
  }

  async function perform<I, R>(spec: OpsAction<I, R>, input: I, via: 'signal' | 'update'): Promise<R> {
    const before = opts.state();
    spec.apply(input);
    // An update answers once the action settled; a signal's handler waits for it only in runs
    // that audit (older runs replay without the wait, which would change nothing but timing).
    if (spec.settled && (via === 'update' || audited)) await condition(spec.settled);
    const after = opts.state();
    const done: OpsAnswer = { action: spec.action, before, after, message: `${spec.action} done: ${before} → ${after}` };
    const answer = spec.answer ? spec.answer(done) : (done as R);
    const by = (input as { by?: string }).by ?? null;
    record({ action: spec.action, via, by, reason: spec.why?.(input) ?? null, before, after, outcome: 'done', detail: done.message });
    if (via === 'update') await spec.beforeAnswering?.();
    return answer;
  }

  return {
    /**
     * The action as a signal (the UI's simple path) and, when `update` is given, as an
     * update whose validator refuses bad input and wrong state before anything reaches history.
     */
    action<I, R = OpsAnswer>(spec: OpsAction<I, R>, signal: SignalDefinition<[I]> | undefined, update?: UpdateDefinition<R, [I]>): void {
      if (signal) {
        setHandler(signal, async (raw: unknown) => {
          const parsed = z.safeParse(spec.schema, raw);
          const by = actorOf(raw);
          if (!parsed.success) return ignore(spec.action, by, `bad input (${describeInput(raw)}): ${oneLine(parsed.error)}`);
          const refusal = spec.refusal(parsed.data);
          if (refusal) return ignore(spec.action, by, refusal);
          await perform(spec, parsed.data, 'signal');
        });
      }
      if (update) {
        // Parsed again in the handler: the validator's parse is not handed over, and the
        // schema's transforms (trimming) must reach the state.
        setHandler(update, (raw: unknown) => perform(spec, z.parse(spec.schema, raw), 'update'), {
          validator: (raw: unknown) => {
            const parsed = z.safeParse(spec.schema, raw);
            if (!parsed.success) {
              throw ApplicationFailure.nonRetryable(`Bad input for ${spec.action}: ${oneLine(parsed.error)}`, OpsFailure.invalidInput);
            }
            const refusal = spec.refusal(parsed.data);
            if (refusal) throw ApplicationFailure.nonRetryable(refusal, OpsFailure.invalidState);
          },
        });
      }
    },

    /** Resolves once every audit entry is written: a workflow awaits it before it completes. */
    written: (): Promise<void> => condition(() => unwritten === 0),

    /** What the workflow waits for, in an operator's words ("operator review since …, rejected automatically at …"). */
    waitingFor(text: string): void {
      waitingFor = text;
      showDetails();
    },
  };
}

export type OpsDesk = ReturnType<typeof opsDesk>;

function actorOf(raw: unknown): string | undefined {
  const by = (raw as { by?: unknown } | null | undefined)?.by;
  return typeof by === 'string' ? by.slice(0, 200) : undefined;
}

function describeInput(raw: unknown): string {
  if (raw === undefined) return 'no input';
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
}
