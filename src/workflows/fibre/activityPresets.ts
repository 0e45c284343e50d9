import type { Duration } from '@temporalio/common';
import { partnerSystem } from '../shared/activityPresets';
import type { FibreActivities } from '../../activities/fibre/activities';

/** The supplier is someone else's system: retried with back-off for as long as the caller's step may take. */
export function fibreSupplierActivities(giveUpAfter: Duration, maximumInterval: Duration) {
  return partnerSystem<FibreActivities>({
    summary: `The fibre supplier (not ours); retried with back-off for up to ${String(giveUpAfter)}, then an operator decides`,
    giveUpAfter,
    firstRetryAfter: '5s',
    retryAtMostEvery: maximumInterval,
  });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
