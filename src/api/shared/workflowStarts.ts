import type { Client } from '@temporalio/client';

/**
 * Questions every family asks Temporal after an Update-with-Start did not answer in
 * time, or found the workflow already closed.
 */

/** Whether the workflow exists (durably accepted), asked with a short deadline of its own. */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + 3000, () => client.workflow.getHandle(workflowId).describe());
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a closed workflow was started by this same request: its memo keeps the hash
 * of the body that started it, so a retry with another body is a reused Idempotency-Key.
 */
export async function startedBySameRequest(client: Client, workflowId: string, requestHash: string): Promise<boolean> {
  const { memo } = await client.workflow.getHandle(workflowId).describe();
  return memo?.requestHash === requestHash;
}
