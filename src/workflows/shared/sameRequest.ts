import { ApplicationFailure } from '@temporalio/common';
import * as z from 'zod/mini';
import { parsedOrRefused } from './opsInput';

/** The ApplicationFailure type every workflow raises for a reused Idempotency-Key (the API answers 409). */
export const IDEMPOTENCY_KEY_REUSED = 'IdempotencyKeyReused';

/** What the API sends with every `submit` update: the hash of the request body. */
export const SubmitRequest = z.strictObject({ requestHash: z.string() });
export type SubmitRequest = z.infer<typeof SubmitRequest>;

/**
 * Every workflow's `submit` update validator: the input must be a SubmitRequest, and a
 * retry must carry the hash of the body that started the workflow. A validator rejects
 * before anything reaches history, so a reused Idempotency-Key with another body changes
 * nothing.
 */
export function sameRequestOnly(startedWith: string, what: string): (raw: unknown) => void {
  return (raw) => {
    const { requestHash } = parsedOrRefused(SubmitRequest, raw, 'submit');
    if (requestHash !== startedWith) {
      throw ApplicationFailure.nonRetryable(`Idempotency-Key was already used for another ${what}.`, IDEMPOTENCY_KEY_REUSED);
    }
  };
}
