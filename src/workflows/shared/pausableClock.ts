import { condition } from '@temporalio/workflow';

/**
 * Time that passes only while the work runs: a step's duration that a pause (a hold)
 * stops and a resume continues with what was left. Durable timers underneath, one per
 * stretch of running time, so a worker restart loses nothing.
 */
export interface PausableClock {
  /** Resolves once the clock runs again (no pause), or it is stopped for good. */
  running(): Promise<void>;
  /** Lets `ms` of running time pass: true once it has, false when stopped first. */
  run(ms: number): Promise<boolean>;
}

export function pausableClock(spec: {
  paused: () => boolean;
  stopped: () => boolean;
  /** The timer's summary in the Temporal UI. */
  summary: string;
  /**
   * Asked only when the time ran out in the very workflow task a pause began (signals
   * and updates are applied before timers): true makes the run end with the pause, so
   * whoever was answered "paused" is not contradicted.
   */
  endsAfterPause?: () => boolean;
}): PausableClock {
  const { paused, stopped } = spec;
  const running = (): Promise<void> => condition(() => !paused() || stopped());
  return {
    running,
    async run(ms: number): Promise<boolean> {
      let remaining = ms;
      while (remaining > 0) {
        await running();
        if (stopped()) return false;
        const started = Date.now();
        await condition(() => paused() || stopped(), remaining, { summary: spec.summary });
        remaining -= Date.now() - started;
      }
      if (paused() && !stopped() && spec.endsAfterPause?.()) {
        await running();
      }
      return !stopped();
    },
  };
}
