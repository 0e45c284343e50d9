import { ApplicationFailure } from '@temporalio/workflow';

/** The ApplicationFailure type both fibre workflows use for a reused Idempotency-Key. */
export const IDEMPOTENCY_KEY_REUSED = 'IdempotencyKeyReused';

/**
 * A `submit` update's validator: a retry must carry the hash of the body that
 * started the workflow. A validator rejects before anything reaches history, so a
 * reused Idempotency-Key with another body changes nothing.
 */
export function sameRequestOnly(startedWith: string, what: string): (arg: { requestHash: string }) => void {
  return ({ requestHash }) => {
    if (requestHash !== startedWith) {
      throw ApplicationFailure.nonRetryable(`Idempotency-Key was already used for another ${what}.`, IDEMPOTENCY_KEY_REUSED);
    }
  };
}
