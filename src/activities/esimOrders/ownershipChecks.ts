import type { EntityManager } from '@mikro-orm/core';
import { EsimCustomerEsimSchema, EsimStockSchema } from '../../db/entities';
import { IccidStanding, mayActivateInBulk } from '../../domain/esimOrders/ownership';
import type { EsimOrderRequest } from '../../workflows/esimOrders/contract';

/** Lookups by ICCID in slices: one `in (...)` of 10,000 values passes SQLite's and PostgreSQL's parameter limits only by luck. */
const SLICE = 500;

/** Who owns each ICCID (in any tenant) and whose stock it is. */
export async function iccidStandings(em: EntityManager, iccids: string[]): Promise<Map<string, IccidStanding>> {
  const standings = new Map<string, IccidStanding>(iccids.map((iccid) => [iccid, { owners: [] }]));
  for (let i = 0; i < iccids.length; i += SLICE) {
    const slice = iccids.slice(i, i + SLICE);
    const owners = await em.find(EsimCustomerEsimSchema, { iccid: { $in: slice } }, { disableIdentityMap: true });
    for (const o of owners) standings.get(o.iccid)?.owners.push({ tenantId: o.tenantId, email: o.email });
    const stock = await em.find(EsimStockSchema, { iccid: { $in: slice } }, { disableIdentityMap: true });
    for (const s of stock) standings.get(s.iccid)!.stockOf = s.tenantId;
  }
  return standings;
}

export interface IccidMismatch {
  iccid: string;
  /** Where the request named it, e.g. `input.subscriptions[1].iccid[3]`. */
  field: string;
}

/** Every ICCID of a bulk order that is neither the customer's nor unowned stock of the tenant, in request order. */
export async function bulkIccidsNotMatching(em: EntityManager, order: EsimOrderRequest, tenantId: string): Promise<IccidMismatch[]> {
  const named = new Map<string, string>();
  order.subscriptions.forEach((sub, i) => sub.iccid?.forEach((iccid, k) => {
    if (!named.has(iccid)) named.set(iccid, `input.subscriptions[${i}].iccid[${k}]`);
  }));
  const standings = await iccidStandings(em, [...named.keys()]);
  const who = { tenantId, email: order.customer.email };
  return [...named].filter(([iccid]) => !mayActivateInBulk(standings.get(iccid)!, who)).map(([iccid, field]) => ({ iccid, field }));
}

const LISTED = 10;

/** The seed's sentence for the first ICCID, with where it was named; the others listed after it, so one answer shows the client every ICCID to fix. */
export function iccidsMismatch(email: string, mismatches: IccidMismatch[]): string {
  const [first, ...others] = mismatches;
  const sentence = `Email ${email} and ICCID ${first!.iccid} do not match each other (${first!.field})`;
  if (!others.length) return sentence;
  const listed = others.slice(0, LISTED).map((m) => m.iccid).join(', ');
  return `${sentence}; neither do ${others.length} more ICCIDs of this order: ${listed}${others.length > LISTED ? ', …' : ''}`;
}
