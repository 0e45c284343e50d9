import { WorkflowNotFoundError } from '@temporalio/client';

/**
 * Whether an update (or signal) found its workflow closed: already completed, closing
 * while the update waited (the server aborts it), or gone from Temporal. Callers answer
 * from the record instead ("the order is COMPLETED"), never with a 500.
 */
export function closedWorkflow(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const message = (err as Error | undefined)?.message ?? '';
  return message.includes('workflow execution already completed') || message.includes('aborted by closing workflow');
}
