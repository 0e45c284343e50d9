import type { BulkItem, EsimSubscription, ResolvedPlan } from './contract';

/** Activations due at one time, cut into batches of at most the batch size (an ICCID's plans stay in one batch). */
export interface BulkPhase {
  dueAt: string;
  productIds: string[];
  batches: BulkItem[][];
}

/**
 * A bulk order's plan of work: one phase per activationDate, earliest first, so a
 * plan due next week never holds back those due now; within a phase the ICCIDs in
 * the order the request named them. Deterministic, so a replay cuts the same batches,
 * and the check that writes the order's work list (src/activities/esimOrders/bulkActivations.ts)
 * cuts the ones the order's workflow starts children for.
 */
export function bulkPhases(subscriptions: EsimSubscription[], plans: ResolvedPlan[], batchSize: number): BulkPhase[] {
  const plansOf = new Map<string, number[]>();
  subscriptions.forEach((sub, p) => sub.iccid?.forEach((iccid) => plansOf.set(iccid, [...(plansOf.get(iccid) ?? []), p])));
  const phases = new Map<number, { dueAt: string; products: Set<string>; items: BulkItem[] }>();
  for (const [iccid, planIndexes] of plansOf) {
    for (const p of planIndexes) {
      const at = Date.parse(plans[p]!.activationDate);
      const phase = phases.get(at) ?? { dueAt: plans[p]!.activationDate, products: new Set<string>(), items: [] };
      phases.set(at, phase);
      phase.products.add(plans[p]!.productId);
      const last = phase.items[phase.items.length - 1];
      if (last?.iccid === iccid) last.plans.push(p);
      else phase.items.push({ iccid, plans: [p] });
    }
  }
  return [...phases.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, phase]) => ({ dueAt: phase.dueAt, productIds: [...phase.products], batches: cut(phase.items, batchSize) }));
}

function cut(items: BulkItem[], batchSize: number): BulkItem[][] {
  const batches: BulkItem[][] = [];
  let current: BulkItem[] = [];
  let size = 0;
  for (const item of items) {
    if (size > 0 && size + item.plans.length > batchSize) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += item.plans.length;
  }
  if (current.length) batches.push(current);
  return batches;
}
