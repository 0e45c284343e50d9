import type { EntityManager } from '@mikro-orm/core';
import { EsimBulkActivation, EsimBulkActivationSchema, EsimCustomerEsimSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { bulkOutput } from '../../domain/esimOrders/bulkOutput';
import { bulkPhases } from '../../workflows/esimOrders/bulkBatches';
import type { BulkActivationResult, BulkItem, EsimOrderRequest, IccidResult, ResolvedPlan } from '../../workflows/esimOrders/contract';

/** Rows per statement: far under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * A bulk order's work list: one NOT_ATTEMPTED row per activation, cut into the same
 * batches the order's workflow cuts (the same pure function on the same order, plans
 * and batch size). Written by the check, the one activity that already receives every
 * ICCID: any other would put the 10,000 ICCIDs in the order's history a second time.
 * A retried check writes the same rows again.
 */
export async function planBulkActivations(em: EntityManager, externalId: string, order: EsimOrderRequest, plans: ResolvedPlan[], batchSize: number): Promise<void> {
  const position = new Map<string, number>();
  for (const sub of order.subscriptions) for (const iccid of sub.iccid ?? []) if (!position.has(iccid)) position.set(iccid, position.size);
  const updatedAt = new Date();
  const rows: EsimBulkActivation[] = [];
  let batch = 0;
  for (const phase of bulkPhases(order.subscriptions, plans, batchSize)) {
    for (const items of phase.batches) {
      for (const item of items) {
        for (const p of item.plans) {
          rows.push({
            externalId,
            iccid: item.iccid,
            productId: plans[p]!.productId,
            planIndex: p,
            planId: `${plans[p]!.planId}:${item.iccid}`,
            position: position.get(item.iccid)!,
            batch,
            status: 'NOT_ATTEMPTED',
            matchingId: null,
            smdpUrl: null,
            reason: null,
            undone: null,
            updatedAt,
          });
        }
      }
      batch += 1;
    }
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await em.upsertMany(EsimBulkActivationSchema, rows.slice(i, i + CHUNK), { onConflictFields: ['externalId', 'iccid', 'productId'] });
  }
}

/** The order's per-ICCID output, for its final read-model write (GET answers it as it always did). */
export async function bulkOutputOf(em: EntityManager, externalId: string, rolledBack: boolean): Promise<IccidResult[]> {
  const rows = await em.find(
    EsimBulkActivationSchema,
    { externalId },
    { fields: ['iccid', 'position', 'batch', 'planIndex', 'status', 'matchingId', 'smdpUrl', 'reason'], disableIdentityMap: true },
  );
  return bulkOutput(rows, rolledBack);
}

/**
 * What batch children and the undo read and write instead of passing lists through
 * the order's workflow. Each write sets values, never counts, so a retried activity
 * leaves the same rows.
 */
export function createEsimBulkActivationActivities(orm: Orm) {
  return {
    /** A batch's ICCIDs, each with its plans (indexes into the order's plans), in the order they were named. */
    async esimBulkBatchItems({ externalId, batch }: { externalId: string; batch: number }): Promise<BulkItem[]> {
      const rows = await orm.em
        .fork()
        .find(EsimBulkActivationSchema, { externalId, batch }, { fields: ['iccid', 'planIndex'], orderBy: { position: 'asc', planIndex: 'asc' }, disableIdentityMap: true });
      const items: BulkItem[] = [];
      for (const row of rows) {
        const last = items[items.length - 1];
        if (last?.iccid === row.iccid) last.plans.push(row.planIndex);
        else items.push({ iccid: row.iccid, plans: [row.planIndex] });
      }
      return items;
    },

    /** What a batch child's activations came to; ACTIVATED with the profile the platform answered, or FAILED with why. */
    async recordEsimBulkResults({ externalId, results }: { externalId: string; results: BulkActivationResult[] }): Promise<void> {
      const updatedAt = new Date();
      await orm.em.fork().transactional(async (em) => {
        for (const r of results) {
          await em.nativeUpdate(
            EsimBulkActivationSchema,
            { externalId, iccid: r.iccid, productId: r.productId },
            { status: r.status, matchingId: r.matchingId ?? null, smdpUrl: r.smdpUrl ?? null, reason: r.reason ?? null, updatedAt },
          );
        }
      });
    },

    /** A batch that ended without an answer may have activated any of its plans: all are undone, and reported FAILED. */
    async failEsimBulkBatch({ externalId, batch, reason }: { externalId: string; batch: number; reason: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(EsimBulkActivationSchema, { externalId, batch }, { status: 'UNKNOWN', reason, updatedAt: new Date() });
    },

    /** The next plans to deactivate, last activated first (the saga's reverse), and whether more wait after them. */
    async esimBulkPlansToUndo({ externalId, limit }: { externalId: string; limit: number }): Promise<{ plans: { planId: string; iccid: string }[]; more: boolean }> {
      const rows = await orm.em.fork().find(
        EsimBulkActivationSchema,
        { externalId, status: { $in: ['ACTIVATED', 'UNKNOWN'] }, undone: null },
        { fields: ['planId', 'iccid'], orderBy: { batch: 'desc', position: 'desc', planIndex: 'desc' }, limit: limit + 1, disableIdentityMap: true },
      );
      return { plans: rows.slice(0, limit).map(({ planId, iccid }) => ({ planId, iccid })), more: rows.length > limit };
    },

    async markEsimBulkUndone({ externalId, planIds, undone }: { externalId: string; planIds: string[]; undone: 'DEACTIVATED' | 'SKIPPED' }): Promise<void> {
      const em = orm.em.fork();
      for (let i = 0; i < planIds.length; i += CHUNK) {
        await em.nativeUpdate(EsimBulkActivationSchema, { externalId, planId: { $in: planIds.slice(i, i + CHUNK) } }, { undone, updatedAt: new Date() });
      }
    },

    /**
     * A completed bulk order's eSIMs now belong to its customer (what a later TOPUP must
     * match); the first owner stays. Once, at the end, as before batches: an order
     * that fails gives nobody an eSIM.
     */
    async recordEsimBulkOwnerships(req: { tenantId: string; email: string; externalId: string }): Promise<void> {
      const em = orm.em.fork();
      const rows = await em.find(
        EsimBulkActivationSchema,
        { externalId: req.externalId, status: 'ACTIVATED' },
        { fields: ['iccid', 'matchingId', 'smdpUrl'], orderBy: { batch: 'asc', planIndex: 'asc' }, disableIdentityMap: true },
      );
      const createdAt = new Date();
      const byIccid = new Map(rows.map((r) => [r.iccid, r]));
      const owned = [...byIccid.values()].map((r) => ({
        tenantId: req.tenantId,
        email: req.email,
        externalId: req.externalId,
        iccid: r.iccid,
        matchingId: r.matchingId!,
        smdpUrl: r.smdpUrl!,
        createdAt,
      }));
      for (let i = 0; i < owned.length; i += CHUNK) {
        await em.upsertMany(EsimCustomerEsimSchema, owned.slice(i, i + CHUNK), { onConflictFields: ['tenantId', 'iccid'], onConflictAction: 'ignore' });
      }
    },
  };
}

/** What the bulk-activation workflows may call: their own activities, typed apart from the other families'. */
export type EsimBulkActivationActivities = ReturnType<typeof createEsimBulkActivationActivities>;
