import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { InquiryFailure } from '../../workflows/fibre/inquiryContract';
import { OrderFailure } from '../../workflows/fibre/orderContract';
import type { HttpError } from '../shared/errors';
import { failureMap } from '../shared/updateWithStart';
import { unprocessable } from './fields';

/**
 * The fibre workflows' typed failures as HTTP answers, `{cause, message}` with the
 * failure's message as the cause. Seed 002 §5: an order on an inquiry that is not the
 * client's, did not succeed, has expired or is already ordered is a conflict with the
 * inquiry's state, 409. A reused Idempotency-Key (409 too) needs no entry. An order's
 * invoiceGroupId that is not the client's is well-formed but not usable with this
 * client's data: 422 naming the field (docs/http-conventions.md), like a 400's fields.
 */
const inquiryConflicts = failureMap('cause', {
  [InquiryFailure.inquiryNotFound]: 409,
  [InquiryFailure.notOrderable]: 409,
  [InquiryFailure.offerExpired]: 409,
  [InquiryFailure.alreadyOrdered]: 409,
});

export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === OrderFailure.invoiceGroupNotFound) {
    return unprocessable([{ field: 'invoiceGroupId', message: err.cause.message }]);
  }
  return inquiryConflicts(err);
}
