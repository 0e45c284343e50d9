import { ApplicationFailure } from '@temporalio/common';
import * as z from 'zod/mini';

/**
 * The pieces every family's ops input schema is made of (the contracts import them;
 * the workflows parse with them in src/workflows/shared/opsActions.ts).
 * zod/mini rather than zod: these schemas run inside the workflow bundle, and mini is
 * the same parser in a fraction of its size.
 */

// zod/mini carries no messages until a locale is chosen; operators read these.
z.config(z.locales.en());

/** ApplicationFailure types of a refused ops update (the MEF API maps InvalidState to 409). */
export const OpsFailure = {
  invalidInput: 'InvalidInput',
  invalidState: 'InvalidState',
} as const;

/** Free text from an operator: bounded, so one paste cannot bloat history. */
export const opsText = z.string().check(z.maxLength(2000));

/** Who acts, as the sender names itself (the ops CLI sends `user@host`); from the UI it may be absent. */
export const actor = z.optional(z.string().check(z.minLength(1), z.maxLength(200)));

/** What an ops update answers: the action was done, and the state it led to. */
export interface OpsAnswer {
  action: string;
  before: string;
  after: string;
  message: string;
}

/**
 * For updates that are not ops actions (the API's own, which anyone with UI access can
 * also send): the validator parses the input all the same and refuses what does not parse.
 */
export function parsedOrRefused<I>(schema: z.ZodMiniType<I>, raw: unknown, what: string): I {
  const parsed = z.safeParse(schema, raw);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`Bad input for ${what}: ${oneLine(parsed.error)}`, OpsFailure.invalidInput);
  return parsed.data;
}

export function oneLine(error: z.core.$ZodError): string {
  return z.prettifyError(error).replace(/\n/g, ' ');
}
