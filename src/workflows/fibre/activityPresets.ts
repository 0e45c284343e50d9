import { proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../../activities';
import { OWN_DATABASE_ACTIVITY_OPTIONS } from '../shared/activityOptions';

/**
 * Activity options of the fibre workflows (offer inquiry, fibre order), named once.
 * Our own database and in-process pricing are quick local calls.
 */
export const fibreDb = proxyActivities<Activities>(OWN_DATABASE_ACTIVITY_OPTIONS);

/** The supplier is someone else's system: retry with back-off, for as long as the caller's step may take. */
export function fibreSupplierActivities(giveUpAfter: Duration, maximumInterval: Duration) {
  return proxyActivities<Activities>({
    summary: `The fibre supplier (not ours); retried with back-off for up to ${String(giveUpAfter)}, then an operator decides`,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: giveUpAfter,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval },
  });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
