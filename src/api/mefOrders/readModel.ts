import type { FilterQuery } from '@mikro-orm/core';
import type { z } from 'zod';
import type { Orm } from '../../db/orm';
import { MefNotificationSchema, MefOrderRecord, MefOrderRecordSchema } from '../../db/entities';
import { notificationView } from '../../db/mefOrders/notificationView';
import type { MefOrderView, OrderItemProgress } from '../../workflows/mefOrders/contract';
import { withItemStates } from '../../domain/mefOrders/mefOrder';
import { HttpError } from '../shared/errors';
import type { ListQuerySchema, StatusQuerySchema } from './schema';

/**
 * What the MEF routes read: the order table the workflow keeps current (listings and
 * lookups by the buyer's identifiers need a table, not Temporal's eventually
 * consistent visibility). Every read is scoped to the caller's tenant.
 */

type ListQuery = z.output<typeof ListQuerySchema>;
type Identifiers = z.output<typeof StatusQuerySchema>;
type Page = Pick<ListQuery, 'offset' | 'limit'>;

/**
 * The stored view, each item with its state read from the row's progress (older rows were
 * stored without it); an order written before the seller's plan existed was never in jeopardy.
 */
export const viewOf = (row: MefOrderRecord): MefOrderView =>
  withItemStates({ jeopardy: false, ...(JSON.parse(row.document) as MefOrderView) }, JSON.parse(row.itemProgress) as OrderItemProgress[]);

export function mefOrderReads(orm: Orm) {
  /** Another buyer's order is answered exactly like a missing one: ids must not leak. */
  async function orderOf(tenantId: string, id: string): Promise<MefOrderRecord> {
    const row = await orm.em.fork().findOne(MefOrderRecordSchema, { id, tenantId });
    if (!row) throw new HttpError(404, 'NOT_FOUND', `Order ${id} not found`);
    return row;
  }

  /** The one order the seed's identifiers name; more than one is ambiguous, not a guess. */
  async function orderNamedBy(tenantId: string, q: Identifiers): Promise<MefOrderRecord> {
    const where: FilterQuery<MefOrderRecord> = { tenantId };
    if (q.orderId) where.id = q.orderId;
    if (q.buyerId) where.buyerId = q.buyerId;
    if (q.sellerId) where.sellerId = q.sellerId;
    if (q.buyerPurchaseOrderNumber) where.buyerPurchaseOrderNumber = q.buyerPurchaseOrderNumber;
    const rows = await orm.em.fork().find(MefOrderRecordSchema, where, { limit: 2 });
    if (rows.length > 1) throw new HttpError(409, 'AMBIGUOUS_ORDER', 'More than one order matches; name it by orderId or buyerPurchaseOrderNumber.');
    if (!rows[0]) throw new HttpError(404, 'NOT_FOUND', 'No order matches the given identifiers');
    return rows[0];
  }

  /**
   * GET /orders/{id}/status: the order by its id, else (the seed's query string) by the
   * identifiers given; identifiers that contradict the order found make it not found.
   */
  async function orderForStatus(tenantId: string, id: string, q: Identifiers): Promise<MefOrderRecord> {
    let row = await orm.em.fork().findOne(MefOrderRecordSchema, { id, tenantId });
    if (!row && Object.values(q).some(Boolean)) row = await orderNamedBy(tenantId, q);
    const contradicts =
      row &&
      ((q.orderId && q.orderId !== row.id) ||
        (q.buyerId && q.buyerId !== row.buyerId) ||
        (q.sellerId && q.sellerId !== row.sellerId) ||
        (q.buyerPurchaseOrderNumber && q.buyerPurchaseOrderNumber !== row.buyerPurchaseOrderNumber));
    if (!row || contradicts) throw new HttpError(404, 'NOT_FOUND', `Order ${id} not found`);
    return row;
  }

  /** The seed's list envelope without its link: newest orderDate first, id to break ties. */
  async function orders(tenantId: string, q: ListQuery) {
    const where: FilterQuery<MefOrderRecord> = { tenantId };
    for (const key of ['buyerId', 'sellerId', 'orderStatus', 'buyerPurchaseOrderNumber', 'orderType'] as const) {
      if (q[key] !== undefined) where[key] = q[key];
    }
    if (q.orderDateFrom || q.orderDateTo) {
      where.orderDate = {
        ...(q.orderDateFrom ? { $gte: new Date(q.orderDateFrom) } : {}),
        ...(q.orderDateTo ? { $lte: new Date(q.orderDateTo) } : {}),
      };
    }
    const [rows, available] = await orm.em
      .fork()
      .findAndCount(MefOrderRecordSchema, where, { orderBy: { orderDate: 'desc', id: 'asc' }, offset: q.offset, limit: q.limit });
    return { available, returned: rows.length, items: rows.map(viewOf) };
  }

  async function notifications(orderId: string, q: Page) {
    const [rows, available] = await orm.em
      .fork()
      .findAndCount(MefNotificationSchema, { orderId }, { orderBy: { seq: 'asc' }, offset: q.offset, limit: q.limit });
    return { available, returned: rows.length, items: rows.map(notificationView) };
  }

  /** The order's state changes, oldest first, as its notifications told them. */
  async function stateChanges(orderId: string) {
    const rows = await orm.em.fork().find(MefNotificationSchema, { orderId, notificationType: 'ORDER_STATE_CHANGE' }, { orderBy: { seq: 'asc' } });
    return rows.map((n) => {
      const detail = (n.detail ? JSON.parse(n.detail) : {}) as { previousStatus?: string | null; changedBy?: string; reason?: string };
      return {
        fromState: detail.previousStatus ?? null,
        state: n.orderStatus,
        changeDate: n.createdAt.toISOString(),
        changeReason: detail.reason ?? n.message,
        changedBy: detail.changedBy ?? 'seller',
        notificationId: n.id,
      };
    });
  }

  async function notification(id: string) {
    return notificationView(await orm.em.fork().findOneOrFail(MefNotificationSchema, { id }));
  }

  return { orderOf, orderNamedBy, orderForStatus, orders, notifications, notification, stateChanges };
}

/** The seed's orderStatus object, from the order's row. */
export function orderStatusOf(row: MefOrderRecord) {
  return {
    objectType: 'orderStatus' as const,
    orderId: row.id,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
    buyerPurchaseOrderNumber: row.buyerPurchaseOrderNumber,
    buyerOrderVersion: String(row.buyerOrderVersion),
    orderStatus: row.orderStatus,
    statusMessage: row.statusMessage,
    orderItems: JSON.parse(row.itemProgress) as unknown[],
    lastUpdated: new Date(row.updatedAt).toISOString(),
  };
}
