import { ownDatabase } from '../shared/activityPresets';
import type { BulkActivationResult, BulkBatchInput, BulkBatchOutcome, BulkUndoInput, BulkUndoOutcome } from './contract';
import { platform, reasonOf } from './platformCalls';
import type { EsimBulkActivationActivities } from '../../activities/esimOrders/bulkActivations';

const db = ownDatabase<EsimBulkActivationActivities>();

/**
 * Results per write: about 130 bytes each, so a write's payload stays near 30 KiB
 * whatever the batch size (the SDK warns past 512 KiB).
 */
const RESULTS_PER_WRITE = 250;

/**
 * One batch of a BULK_ACTIVATION (a child of the order's workflow): its ICCIDs, at
 * most `bulkConcurrency` at once, each ICCID's plans one after the other. The first
 * ICCID that fails for good stops new ones; those running finish. It never throws
 * for a platform failure. What each activation came to goes to the database, where
 * the undo and the order's output read it; the order gets counts only, so its
 * history does not grow with the batch.
 */
export async function esimBulkBatchWorkflow(input: BulkBatchInput): Promise<BulkBatchOutcome> {
  const queue = await db.esimBulkBatchItems({ externalId: input.externalId, batch: input.batch });
  const results: BulkActivationResult[] = [];
  const outcome: BulkBatchOutcome = { activated: 0, failed: 0 };
  const runner = async () => {
    while (queue.length && !outcome.failed) {
      const item = queue.shift()!;
      for (const p of item.plans) {
        const plan = input.plans[p]!;
        // Per ICCID: the platform's idempotency key, as in orders before batches.
        const planId = `${plan.planId}:${item.iccid}`;
        try {
          const { matchingId, smdpUrl } = await platform.activateEsimPlan({ ...plan, planId, iccid: item.iccid });
          results.push({ iccid: item.iccid, productId: plan.productId, status: 'ACTIVATED', matchingId, smdpUrl });
          outcome.activated += 1;
        } catch (err) {
          const reason = reasonOf(err, input.settings);
          results.push({ iccid: item.iccid, productId: plan.productId, status: 'FAILED', reason });
          outcome.failed += 1;
          outcome.failure ??= { iccid: item.iccid, reason };
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.settings.bulkConcurrency, queue.length) }, runner));
  for (let i = 0; i < results.length; i += RESULTS_PER_WRITE) {
    await db.recordEsimBulkResults({ externalId: input.externalId, results: results.slice(i, i + RESULTS_PER_WRITE) });
  }
  return outcome;
}

/**
 * Undoes up to `limit` of a failed BULK_ACTIVATION's activated plans, last activated
 * first (the saga's reverse), read from the database and marked there once
 * deactivated; stops at a step that fails for good: the order waits for an operator then.
 */
export async function esimBulkUndoWorkflow(input: BulkUndoInput): Promise<BulkUndoOutcome> {
  const { plans, more } = await db.esimBulkPlansToUndo({ externalId: input.externalId, limit: input.limit });
  let stuck: BulkUndoOutcome['stuck'];
  const done: string[] = [];
  for (const plan of plans) {
    try {
      await platform.deactivateEsimPlan(plan);
      done.push(plan.planId);
    } catch (err) {
      stuck = { planId: plan.planId, reason: reasonOf(err, input.settings) };
      break;
    }
  }
  if (done.length) await db.markEsimBulkUndone({ externalId: input.externalId, planIds: done, undone: 'DEACTIVATED' });
  return stuck ? { undone: done.length, stuck, more: true } : { undone: done.length, more };
}
