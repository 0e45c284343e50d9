import type { Duration } from '@temporalio/common';
import { proxyActivities } from '@temporalio/workflow';
import { partnerSystem } from '../shared/activityPresets';
import type { FibreActivities } from '../../activities/fibre/activities';
import type { FibreOfferHandOverActivities } from '../../activities/fibre/offerHandOver';

/** The supplier is someone else's system: retried with back-off for as long as the caller's step may take. */
export function fibreSupplierActivities(giveUpAfter: Duration, maximumInterval: Duration) {
  return partnerSystem<FibreActivities>({
    summary: `The fibre supplier (not ours); retried with back-off for up to ${String(giveUpAfter)}, then an operator decides`,
    giveUpAfter,
    firstRetryAfter: '5s',
    retryAtMostEvery: maximumInterval,
  });
}

/**
 * The fibre order taking its offer from the inquiry's workflow (an update through the
 * worker's client): quick unless Temporal is unreachable. Retried for up to an hour, then
 * the run fails (an incident: OrderStatus stays TAKING_OFFER) and the client's retry starts
 * it again; the update is idempotent per orderId.
 */
export const fibreOfferHandOver = proxyActivities<FibreOfferHandOverActivities>({
  summary: 'Takes the offer from its inquiry\'s workflow (update placeOrder); retried for up to an hour',
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export const DAY_MS = 24 * 60 * 60 * 1000;
