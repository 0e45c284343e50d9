import type { BulkBatchInput, BulkBatchOutcome, BulkUndoInput, BulkUndoOutcome } from './contract';
import { platform, reasonOf } from './platformCalls';

/**
 * One batch of a BULK_ACTIVATION (a child of the order's workflow): its ICCIDs, at
 * most `bulkConcurrency` at once, each ICCID's plans one after the other. The first
 * ICCID that fails for good stops new ones; those running finish. It never throws
 * for a platform failure: the order decides what to undo from what it returns.
 */
export async function esimBulkBatchWorkflow(input: BulkBatchInput): Promise<BulkBatchOutcome> {
  const queue = [...input.items];
  const outcome: BulkBatchOutcome = { activated: [], failures: [] };
  const runner = async () => {
    while (queue.length && !outcome.failures.length) {
      const item = queue.shift()!;
      for (const p of item.plans) {
        const plan = input.plans[p]!;
        // Per ICCID: the platform's idempotency key, as in orders before batches.
        const planId = `${plan.planId}:${item.iccid}`;
        try {
          const profile = await platform.activateEsimPlan({ ...plan, planId, iccid: item.iccid });
          outcome.activated.push({ planId, ...profile });
        } catch (err) {
          outcome.failures.push({ iccid: item.iccid, reason: reasonOf(err, input.settings) });
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.settings.bulkConcurrency, queue.length) }, runner));
  return outcome;
}

/**
 * Undoes a slice of a failed BULK_ACTIVATION, in the order given (the saga's reverse),
 * and stops at a step that fails for good: the order waits for an operator then.
 */
export async function esimBulkUndoWorkflow(input: BulkUndoInput): Promise<BulkUndoOutcome> {
  for (const [i, plan] of input.plans.entries()) {
    try {
      await platform.deactivateEsimPlan(plan);
    } catch (err) {
      return { undone: i, stuck: reasonOf(err, input.settings) };
    }
  }
  return { undone: input.plans.length };
}
