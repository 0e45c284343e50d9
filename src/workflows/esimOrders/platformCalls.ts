import { ActivityFailure, ApplicationFailure, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { rootMessage } from '../shared/failures';
import { EsimFailure, EsimOrderSettings } from './contract';

// The eSIM platform is someone else's: transient failures are retried with
// back-off for up to a week; a refusal for good (non-retryable) stops at once.
// startToCloseTimeout is a little over the HTTP adapter's own timeout (10 s by
// default), so a call lost with a crashed worker is retried within half a minute.
export const platform = proxyActivities<Activities>({
  summary: 'The eSIM platform (not ours); retried with back-off for up to 7 days unless it refuses for good',
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '30m', nonRetryableErrorTypes: [EsimFailure.platformRejected] },
});

/** Why a platform call failed, in words for the order's `reason`. */
export function reasonOf(err: unknown, settings: EsimOrderSettings): string {
  if (err instanceof ActivityFailure) {
    // Past scheduleToCloseTimeout the server stops retrying and reports either the
    // timeout or the last "not ready" answer: both mean the profile is stuck.
    const notReady = err.cause instanceof ApplicationFailure && err.cause.type === EsimFailure.profileNotReady;
    if (err.activityType === 'pollEsimProfile' && (notReady || err.cause instanceof TimeoutFailure)) {
      return `The eSIM profile was not ready within ${String(settings.profileReadyLimit)}.`;
    }
    if (err.cause instanceof TimeoutFailure) return 'The eSIM platform did not answer in time.';
  }
  return rootMessage(err);
}
