import type { ActivatedPlan, BulkItem, EsimProfile, EsimSubscription, IccidResult, ResolvedPlan } from './contract';

/** Activations due at one time, cut into batches of at most the batch size (an ICCID's plans stay in one batch). */
export interface BulkPhase {
  dueAt: string;
  productIds: string[];
  batches: BulkItem[][];
}

/**
 * A bulk order's plan of work: one phase per activationDate, earliest first, so a
 * plan due next week never holds back those due now; within a phase the ICCIDs in
 * the order the request named them. Deterministic, so a replay cuts the same batches.
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

/**
 * The order's per-ICCID output as batches report: ACTIVATED once all its plans are,
 * FAILED with the reason, NOT_ATTEMPTED until then; after an undo, what had been
 * activated (wholly or in part) is ROLLED_BACK.
 */
export function bulkResults(subscriptions: EsimSubscription[]) {
  const results = new Map<string, IccidResult>();
  const remaining = new Map<string, number>();
  const touched = new Set<string>();
  for (const sub of subscriptions) {
    for (const iccid of sub.iccid ?? []) {
      if (!results.has(iccid)) results.set(iccid, { iccid, status: 'NOT_ATTEMPTED' });
      remaining.set(iccid, (remaining.get(iccid) ?? 0) + 1);
    }
  }
  return {
    activated({ planId: _planId, ...profile }: ActivatedPlan): void {
      touched.add(profile.iccid);
      const left = remaining.get(profile.iccid)! - 1;
      remaining.set(profile.iccid, left);
      if (left === 0 && results.get(profile.iccid)!.status !== 'FAILED') results.set(profile.iccid, { ...profile, status: 'ACTIVATED' });
    },
    failed(iccid: string, reason: string): void {
      results.set(iccid, { iccid, status: 'FAILED', reason });
    },
    rolledBack(): void {
      for (const r of results.values()) {
        if (r.status === 'ACTIVATED' || (r.status === 'NOT_ATTEMPTED' && touched.has(r.iccid))) r.status = 'ROLLED_BACK';
      }
    },
    list: (): IccidResult[] => [...results.values()],
    profiles: (): EsimProfile[] =>
      [...results.values()].map(({ iccid, matchingId, smdpUrl }) => ({ iccid, matchingId: matchingId!, smdpUrl: smdpUrl! })),
  };
}
