import { condition, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { sameRequestOnly, type SubmitRequest } from './sameRequest';

/**
 * The `submit` update of Update-with-Start: the API's POST, and every retry with the same
 * Idempotency-Key, waits here for the workflow's first answer while the work goes on
 * durably. A retry with another body is refused by the validator, before anything
 * reaches history.
 */
export function answerSubmit<R>(
  update: UpdateDefinition<R, [SubmitRequest]>,
  spec: {
    requestHash: string;
    /** The resource, as the 409 for a reused Idempotency-Key names it. */
    what: string;
    /** True once the first answer is decided. */
    ready: () => boolean;
    /** Work the answer waits for, e.g. the read model catching up, so a GET right after shows it. */
    beforeAnswering?: () => Promise<void>;
    answer: () => R;
  },
): void {
  setHandler(
    update,
    async () => {
      await condition(spec.ready);
      if (spec.beforeAnswering) await spec.beforeAnswering();
      return spec.answer();
    },
    { validator: sameRequestOnly(spec.requestHash, spec.what) },
  );
}
