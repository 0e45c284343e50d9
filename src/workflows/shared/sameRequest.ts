import { ApplicationFailure } from '@temporalio/common';
import * as z from 'zod/mini';
import { parsedOrRefused } from './opsInput';

/** The ApplicationFailure type every workflow raises for a reused Idempotency-Key (the API answers 409). */
export const IDEMPOTENCY_KEY_REUSED = 'IdempotencyKeyReused';

/**
 * Part of every family's workflow input: who really sent the request when a client acted
 * for the tenant's client (impersonation, seed 002 §0; the token's `act`). Recorded with the
 * public id (public_ids.impersonated_by) and, for the fibre feeds, with the feed item.
 */
export interface Accountable {
  impersonatedBy?: string;
}

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

/**
 * What a workflow says of its public id with a read-model write: the request that made it,
 * whether this write is the final answer, and who really sent it (src/activities/shared/publicIds.ts).
 */
export function publicIdWrite(input: { requestHash: string } & Accountable, finished: boolean): { requestHash: string; finished: boolean; impersonatedBy?: string } {
  return { requestHash: input.requestHash, finished, ...(input.impersonatedBy ? { impersonatedBy: input.impersonatedBy } : {}) };
}
