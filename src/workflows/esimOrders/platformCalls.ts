import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { partnerSystem } from '../shared/activityPresets';
import { rootMessage } from '../shared/failures';
import { EsimFailure, EsimOrderSettings } from './contract';
import type { EsimOrderActivities } from '../../activities/esimOrders/activities';

// The eSIM platform may be down for days; a refusal for good stops at once.
export const platform = partnerSystem<EsimOrderActivities>({
  summary: 'The eSIM platform (not ours); retried with back-off for up to 7 days unless it refuses for good',
  giveUpAfter: '7 days',
  firstRetryAfter: '5s',
  retryAtMostEvery: '30m',
  refusedForGood: [EsimFailure.platformRejected],
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
