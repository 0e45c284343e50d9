import { proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../../activities';

/**
 * Activity options of the fibre workflows (offer inquiry, fibre order), named once.
 * Our own database and in-process pricing are quick: a short timeout lets a retry
 * start soon after a worker dies mid-call, and a POST waits on them.
 */
export const fibreDb = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** The supplier is someone else's system: retry with back-off, for as long as the caller's step may take. */
export function fibreSupplierActivities(giveUpAfter: Duration, maximumInterval: Duration) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: giveUpAfter,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval },
  });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
