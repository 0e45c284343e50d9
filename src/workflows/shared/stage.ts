import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ApiFamily, Jeopardy, OrderStatus } from './searchAttributes';

/** A workflow's stage, kept together with its `OrderStatus` search attribute. */
export interface Stage<S extends string> {
  readonly now: S;
  /**
   * Whether this run keeps search attributes current: only a workflow started with our
   * attributes does, as a server without them registered (the time-skipping test server)
   * refuses the upsert.
   */
  readonly tagged: boolean;
  /** Enters `next`: the stage and `OrderStatus` change together. */
  set(next: S): void;
  /**
   * Shows `status` in `OrderStatus` while the stage stays what it is: operators filter
   * by it (NEEDS_OPERATOR), while the workflow's rules still read the stage.
   */
  flag(status: string): void;
}

/** Whether this run keeps search attributes current (see `Stage.tagged`). */
const isTagged = (): boolean => workflowInfo().typedSearchAttributes.get(ApiFamily) !== undefined;

/** Marks the run `Jeopardy = 'true'` for operators, where the run keeps search attributes. */
export function flagJeopardy(): void {
  if (isTagged()) upsertSearchAttributes([{ key: Jeopardy, value: 'true' }]);
}

/** `initial` is what the API's start already set in `OrderStatus`: nothing is upserted for it. */
export function trackedStage<S extends string>(initial: S): Stage<S> {
  const tagged = isTagged();
  let now = initial;
  const flag = (status: string): void => {
    if (tagged) upsertSearchAttributes([{ key: OrderStatus, value: status }]);
  };
  return {
    get now() {
      return now;
    },
    tagged,
    set(next) {
      now = next;
      flag(next);
    },
    flag,
  };
}
