import type { ActivityOptions } from '@temporalio/workflow';

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
