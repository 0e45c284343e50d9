/**
 * Rules the document can state only in prose, because JSON Schema cannot relate one
 * array item to another. Each is written in the schema's `description`; here the
 * document-only fuzz applies it to a generated body (or drops the body, undefined,
 * where no small change makes it hold), so what is sent is what the document allows,
 * its words included. Keep this list short: a rule JSON Schema can say belongs in the
 * schema, where every client's validator sees it.
 */
import { MAX_BULK_ACTIVATIONS } from '../../../src/workflows/esimOrders/contract';

type Json = unknown;
type Rule = (body: Json) => Json;

interface OrderItem {
  orderItemReference?: string;
  orderItemDetail?: { objectType?: string; uniReference?: { orderItemReference?: string } };
}

/**
 * MEF orders (src/api/mefOrders/schema.ts, `orderItems`): the items' references are
 * unique, and an accessEplProductOrder's `uniReference.orderItemReference` names a
 * uniProductOrder item of the same order.
 */
const mefOrderItems: Rule = (body) => {
  const items = (body as { orderItems?: OrderItem[] }).orderItems;
  if (!Array.isArray(items)) return body;
  const seen = new Set<string>();
  const unique = items.map((item, i) => {
    let ref = item.orderItemReference ?? `item${i}`;
    if (seen.has(ref)) ref = `${ref.slice(0, 28)}_${i}`;
    seen.add(ref);
    return { ...item, orderItemReference: ref };
  });
  const unis = unique.filter((i) => i.orderItemDetail?.objectType === 'uniProductOrder').map((i) => i.orderItemReference);
  const linked = unique.map((item, i) => {
    const detail = item.orderItemDetail;
    if (detail?.objectType !== 'accessEplProductOrder') return item;
    return { ...item, orderItemDetail: { ...detail, uniReference: { ...detail.uniReference, orderItemReference: unis[i % Math.max(unis.length, 1)] } } };
  });
  if (new Set(linked.map((i) => i.orderItemReference)).size !== linked.length) return undefined;
  if (linked.some((i) => i.orderItemDetail?.objectType === 'accessEplProductOrder') && !unis.length) return undefined;
  return { ...(body as object), orderItems: linked };
};

/**
 * eSIM orders (src/api/esimOrders/schema.ts, `subscriptions`): a product at most once
 * per ICCID, at most MAX_BULK_ACTIVATIONS ICCIDs in all; a repeat is dropped.
 */
const esimBulkLimits: Rule = (body) => {
  const subscriptions = (body as { input?: { subscriptions?: { id?: unknown; iccid?: unknown }[] } }).input?.subscriptions;
  if (!Array.isArray(subscriptions)) return body;
  const seen = new Set<string>();
  const repaired = subscriptions.map((s) => {
    const list = Array.isArray(s?.iccid) ? (s.iccid as unknown[]) : typeof s?.iccid === 'string' ? [s.iccid] : undefined;
    if (!list) return s;
    const iccid = list.filter((i) => {
      const key = `${String(s.id).trim()}\u0000${String(i).trim()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return iccid.length ? { ...s, iccid } : undefined;
  });
  if (repaired.some((s) => s === undefined) || seen.size > MAX_BULK_ACTIVATIONS) return undefined;
  return { ...(body as object), input: { ...(body as { input: object }).input, subscriptions: repaired } };
};

const RULES: Record<string, Rule> = {
  'POST /esim/v1/order': esimBulkLimits,
  'POST /orders': mefOrderItems,
  'PUT /orders/{id}': mefOrderItems,
};

/** `body` with the described rules of operation `method path` applied; undefined when it cannot be made to hold them. */
export function repairedByDescribedRules(operation: string, body: Json): Json {
  const rule = RULES[operation];
  return rule && body && typeof body === 'object' ? rule(body) : body;
}
