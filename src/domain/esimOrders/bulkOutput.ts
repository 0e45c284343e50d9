import type { IccidResult } from './esimOrder';

/**
 * Where one activation (a product on an ICCID) of a BULK_ACTIVATION stands: written
 * NOT_ATTEMPTED for every activation when the order passes its checks, then by the
 * batch child that ran it, then by the undo. The order's per-ICCID output is built
 * from these rows, never carried through the order's workflow history.
 */
export type EsimBulkActivationStatus =
  | 'NOT_ATTEMPTED'
  | 'ACTIVATED'
  | 'FAILED'
  /** Its batch ended without an answer: it may be active, so it is undone, and reported FAILED. */
  | 'UNKNOWN';


/** What the output needs of one activation row. */
export interface ActivationRow {
  iccid: string;
  position: number;
  batch: number;
  planIndex: number;
  status: EsimBulkActivationStatus;
  matchingId: string | null;
  smdpUrl: string | null;
  reason: string | null;
}

/**
 * A bulk order's per-ICCID output from its activation rows, one entry per ICCID in
 * the order the request named them: ACTIVATED once all its plans are, FAILED with
 * the reason if one failed (or its batch ended without an answer), NOT_ATTEMPTED
 * otherwise; in an order that was undone (`rolledBack`), what had been activated,
 * wholly or in part, is ROLLED_BACK. Built from the rows rather than carried
 * through the workflow, so a 10,000-ICCID order's history stays small.
 */
export function bulkOutput(rows: ActivationRow[], rolledBack: boolean): IccidResult[] {
  const byIccid = new Map<string, ActivationRow[]>();
  const sorted = [...rows].sort((a, b) => a.position - b.position || a.batch - b.batch || a.planIndex - b.planIndex);
  for (const row of sorted) byIccid.set(row.iccid, [...(byIccid.get(row.iccid) ?? []), row]);
  return [...byIccid].map(([iccid, plans]): IccidResult => {
    const failed = plans.find((p) => p.status === 'FAILED' || p.status === 'UNKNOWN');
    if (failed) return { iccid, status: 'FAILED', reason: failed.reason ?? '' };
    const activated = plans.filter((p) => p.status === 'ACTIVATED');
    if (activated.length === plans.length) {
      // The profile the last activation answered with, as before.
      const last = activated[activated.length - 1]!;
      return { iccid, matchingId: last.matchingId!, smdpUrl: last.smdpUrl!, status: rolledBack ? 'ROLLED_BACK' : 'ACTIVATED' };
    }
    return { iccid, status: rolledBack && activated.length ? 'ROLLED_BACK' : 'NOT_ATTEMPTED' };
  });
}
