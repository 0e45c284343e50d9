import { MefFailure } from '../../workflows/mefOrders/contract';
import { failureMap } from '../shared/updateWithStart';

export const VERSION_CONFLICT = 'VERSION_CONFLICT';

/**
 * The one place where the MEF order workflow's typed failures become HTTP answers, for
 * the submit and every later update: a refused action or a stale version is 409 (the
 * message names the state), a changed order the seller cannot deliver is 422. A stale
 * If-Match is told apart from this 409 by replaceOrder, which knows what it sent.
 */
export const httpErrorOf = failureMap('code', {
  [MefFailure.invalidState]: [409, 'INVALID_STATE'],
  [MefFailure.versionConflict]: [409, VERSION_CONFLICT],
  [MefFailure.itemsFrozen]: [409, 'ORDER_ITEMS_FROZEN'],
  [MefFailure.statusResponseConflict]: [409, 'STATUS_RESPONSE_CONFLICT'],
  [MefFailure.invalidOrder]: [422, 'INVALID_ORDER'],
});
