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
