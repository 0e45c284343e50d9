import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';

/**
 * Activity options for reads and writes of our own database (and other quick local
 * calls), the same in every family: a short timeout lets a retry start soon after a
 * worker dies mid-call, and a synchronous first answer waits on these activities.
 */
export const OWN_DATABASE_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '10s',
  summary: 'Our own database (read model, reference data, feed or audit trail); retried every few seconds',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
} as const satisfies ActivityOptions;

/** Our own database, as every workflow calls it; `A` is the calling family's activities. */
export const ownDatabase = <A>() => proxyActivities<A>(OWN_DATABASE_ACTIVITY_OPTIONS);

/**
 * A partner's system (not ours): transient failures retry with doubling back-off until
 * `giveUpAfter`; an error type in `refusedForGood` stops at once, since retrying a
 * refusal cannot help. One attempt may take 30 s, a little over the HTTP adapters' own
 * timeouts, so a call lost with a crashed worker is retried within a minute.
 */
export function partnerSystem<A>(preset: {
  summary: string;
  giveUpAfter: Duration;
  firstRetryAfter: Duration;
  retryAtMostEvery: Duration;
  refusedForGood?: string[];
}) {
  return proxyActivities<A>({
    summary: preset.summary,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: preset.giveUpAfter,
    retry: {
      initialInterval: preset.firstRetryAfter,
      backoffCoefficient: 2,
      maximumInterval: preset.retryAtMostEvery,
      ...(preset.refusedForGood ? { nonRetryableErrorTypes: preset.refusedForGood } : {}),
    },
  });
}
