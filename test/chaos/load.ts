import type { Client } from '@temporalio/client';
import { SimulatedEsimProfileSchema } from '../../src/db/entities';
import { DEMO_STOCK_ICCIDS } from '../../src/db/esimOrders/demoData';
import type { Orm } from '../../src/db/orm';
import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { fibreOrderWorkflowId } from '../../src/workflows/fibre/orderContract';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { approveSignal, salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';
import { future, seedBulk, seedNewEsim, seedTopup } from '../support/esimOrders';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';
import { Partner, pool, until } from './partner';
import { sleep } from './processes';

export type Family = 'salesLead' | 'esimOrder' | 'offerInquiry' | 'fiberOrder' | 'mefOrder';

/** One order the partner placed: where to read it, and the final state its input leads to. */
export interface Placed {
  family: Family;
  id: string;
  workflowId: string;
  path: string;
  expected: string;
  /** eSIM orders: the operationType. */
  kind?: string;
}

/**
 * Settings that make the simulated external systems fast enough for 1000 orders in
 * minutes, with latencies above zero so a kill lands in the middle of activities,
 * polls and timers. Read by the API (settings passed to workflows) and the worker.
 */
export const FAST_SIMULATIONS: Record<string, string> = {
  SIM_PROVISIONING_LATENCY_MS: '100',
  // Review leads must be approved by the ops signal, never rejected by the deadline.
  LEAD_REVIEW_DEADLINE: '1 hour',
  SIM_ESIM_LATENCY_MS: '100',
  SIM_ESIM_POLLS_UNTIL_READY: '2',
  ESIM_POLL_INITIAL_INTERVAL: '1s',
  ESIM_POLL_MAX_INTERVAL: '2s',
  FIBRE_ASYNC_ANSWER_DELAY: '5s',
  // deliveryDurationDays (weeks) in a few seconds.
  FIBRE_DELIVERY_SPEEDUP: '1000000',
  SIM_FIBRE_SUPPLIER_LATENCY_MS: '100',
  MEF_STEP_DESIGN: '1s',
  MEF_STEP_INSTALL: '2s',
  MEF_STEP_ACTIVATE: '1s',
  MEF_CLOSED_ORDER_WINDOW: '2s',
  SIM_MEF_SELLER_LATENCY_MS: '100',
};

/** The Temporal state each family's workflow ends in; an answered offer stays open to take its order until it expires. */
const WORKFLOW_END: Record<Family, string> = {
  salesLead: 'COMPLETED',
  esimOrder: 'COMPLETED',
  offerInquiry: 'RUNNING',
  fiberOrder: 'COMPLETED',
  mefOrder: 'COMPLETED',
};

const LEADS = '/2.5/sp_spec/sales_leads';
const UNKNOWN_ACCESS_ID = 'ffffffffffffffffffffffffffffffff';

function expectStatus(what: string, res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
}

/** Retries a signal through a Temporal outage, as an operator's tool would. */
async function signalWithRetry(send: () => Promise<void>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      return await send();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String(err)}`);
      await sleep(1000);
    }
  }
}

/**
 * Sales leads, a quarter each: to review (approved by the ops signal), for an access
 * point not in the network (REJECT at once), and two quarters plain (ACTIVATED).
 */
export async function placeSalesLeads(p: Partner, client: Client, n: number, run: string): Promise<Placed[]> {
  return pool(6, Array.from({ length: n }, (_, i) => async (): Promise<Placed> => {
    const kind = i % 4;
    const body = kind === 0 ? validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }) : kind === 1 ? validLead({ accessId: UNKNOWN_ACCESS_ID }) : validLead();
    const res = await p.post(`${LEADS}/`, body, `${run}-lead-${i}`);
    expectStatus(`lead ${i}`, res, 200);
    const orderId = res.body.orderId as string;
    if (kind === 0) {
      await signalWithRetry(() => client.workflow.getHandle(salesLeadWorkflowId(orderId)).signal(approveSignal, { message: 'checked by phone' }), `approve lead ${orderId}`);
    }
    return { family: 'salesLead', id: orderId, workflowId: salesLeadWorkflowId(orderId), path: `${LEADS}/${orderId}`, expected: kind === 1 ? 'REJECT' : 'ACTIVATED' };
  }));
}

/** eSIM orders: mostly NEW_ESIM (a profile ordered and polled), some TOPUP of john's eSIM, some BULK of two fresh ICCIDs. */
export async function placeEsimOrders(p: Partner, n: number, run: string): Promise<Placed[]> {
  return pool(6, Array.from({ length: n }, (_, i) => async (): Promise<Placed> => {
    const activation = future(0, 2000);
    let body: object;
    const kind = i % 10 === 8 ? 'TOPUP' : i % 10 === 9 ? 'BULK_ACTIVATION' : 'NEW_ESIM';
    if (kind === 'TOPUP') body = seedTopup(activation);
    else if (kind === 'BULK_ACTIVATION') {
      const bulk = seedBulk(activation);
      // Demo stock (a bulk order activates only stock or the customer's own eSIMs); the customer owns them after its first order.
      const stock = DEMO_STOCK_ICCIDS.demo;
      bulk.input.subscriptions.forEach((s, k) => (s.iccid = [stock[(2 * i + k) % stock.length]!]));
      body = bulk;
    } else body = seedNewEsim(activation);
    const res = await p.post('/esim/v1/order', body, `${run}-esim-${i}`);
    expectStatus(`eSIM order ${i}`, res, 201);
    const id = res.body.externalId as string;
    return { family: 'esimOrder', id, workflowId: esimOrderWorkflowId(id), path: `/esim/v1/order/${id}`, expected: 'COMPLETED', kind };
  }));
}

/**
 * Offer inquiries, half answered at once and half by the supplier after
 * FIBRE_ASYNC_ANSWER_DELAY; then each answered offer is ordered (the async ones once
 * GET shows the answer, as a client would wait for it).
 */
export async function placeFibre(p: Partner, n: number, run: string): Promise<Placed[]> {
  // Twice the lanes of the other families: a fibre order is two requests and a wait, the longest pole of the load.
  const inquiries = await pool(12, Array.from({ length: n }, (_, i) => async (): Promise<Placed> => {
    const async = i % 2 === 1;
    // 202 means "received, no answer yet": the same key asks again and gets the inquiry.
    const res = await p.post(`${FIBRE_BASE}/offerInquiry`, async ? asyncInquiry() : syncInquiry(), `${run}-inquiry-${i}`, { retryOn202: true });
    expectStatus(`inquiry ${i}`, res, 201);
    const inquiryId = res.body.inquiryId as string;
    const expected = async ? 'DONE_ASYNC_ANSWER_SUCCESS' : 'DONE_SUCCESS';
    return { family: 'offerInquiry', id: inquiryId, workflowId: offerInquiryWorkflowId(inquiryId), path: `${FIBRE_BASE}/inquiries/${inquiryId}`, expected };
  }));
  const orders = await pool(12, inquiries.map((inquiry, i) => async (): Promise<Placed> => {
    await until(`inquiry ${inquiry.id} answered`, async () => {
      const state = (await p.get(inquiry.path)).body?.status?.state as string | undefined;
      return state === inquiry.expected ? { done: true, value: state } : { done: false, seen: state };
    }, 240_000, 1000);
    const order = await p.post(`${FIBRE_BASE}/orders`, orderBody(inquiry.id), `${run}-fibre-order-${i}`, { retryOn202: true });
    expectStatus(`order of inquiry ${inquiry.id}`, order, 201);
    const orderId = order.body.orderId as string;
    return { family: 'fiberOrder', id: orderId, workflowId: fibreOrderWorkflowId(orderId), path: `${FIBRE_BASE}/orders/${orderId}`, expected: 'DELIVERED' };
  }));
  return [...inquiries, ...orders];
}

/** MEF orders of the seed's two items (ENNI and UNI), each through design, install and activate. */
export async function placeMefOrders(p: Partner, n: number, run: string): Promise<Placed[]> {
  return pool(6, Array.from({ length: n }, (_, i) => async (): Promise<Placed> => {
    const res = await p.post('/orders', mefOrder(), `${run}-mef-${i}`);
    expectStatus(`MEF order ${i}`, res, 201);
    const id = res.body.id as string;
    return { family: 'mefOrder', id, workflowId: mefOrderWorkflowId(id), path: `/orders/${id}`, expected: 'COMPLETED' };
  }));
}

/** Everything a partner places in one run: `n` of every family, all families at once. */
export async function placeEverything(p: Partner, client: Client, n: number, run: string): Promise<Placed[]> {
  const all = await Promise.all([placeSalesLeads(p, client, n, run), placeEsimOrders(p, n, run), placeFibre(p, n, run), placeMefOrders(p, n, run)]);
  return all.flat();
}

function stateIn(family: Family, body: any): string | undefined {
  if (family === 'offerInquiry' || family === 'fiberOrder') return body?.status?.state;
  if (family === 'mefOrder') return body?.orderStatus;
  return body?.status;
}

/** Waits (bounded) until GET shows each order's expected state; returns the orders that did not get there with what GET shows. */
export async function waitForFinalStates(p: Partner, placed: Placed[], timeoutMs: number): Promise<{ id: string; family: Family; expected: string; actual: string | undefined }[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = placed;
  let last = new Map<string, string | undefined>();
  while (pending.length && Date.now() < deadline) {
    const seen = await pool(8, pending.map((o) => async () => [o.id, stateIn(o.family, (await p.get(o.path)).body)] as const));
    last = new Map(seen);
    pending = pending.filter((o) => last.get(o.id) !== o.expected);
    if (pending.length) await sleep(2000);
  }
  return pending.map((o) => ({ id: o.id, family: o.family, expected: o.expected, actual: last.get(o.id) }));
}

type FeedItem = { id: string; state: string; doneDateTime: string };

/** The documented client loop over a since-feed: next `since` = the last item's doneDateTime. */
export async function readFeed(p: Partner, feed: 'inquiries' | 'orders', limit = 50): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let since: string | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const res = await p.get(`${FIBRE_BASE}/${feed}?limit=${limit}${since ? `&since=${encodeURIComponent(since)}` : ''}`);
    expectStatus(`feed ${feed}`, res, 200);
    const raw = res.body as { inquiryId?: string; orderId?: string; state?: string; doneDateTime?: string; status?: { state: string; doneDateTime: string } }[];
    const got = raw.map((i) =>
      feed === 'inquiries' ? { id: i.inquiryId!, state: i.status!.state, doneDateTime: i.status!.doneDateTime } : { id: i.orderId!, state: i.state!, doneDateTime: i.doneDateTime! },
    );
    items.push(...got);
    if (got.length < limit) return items;
    since = got[got.length - 1]!.doneDateTime;
  }
  throw new Error(`feed ${feed}: more than 10000 pages`);
}

/** Every workflow Temporal holds, by id: its runs' states (one run per order means no duplicate). */
export async function workflowRuns(client: Client): Promise<Map<string, string[]>> {
  const runs = new Map<string, string[]>();
  for await (const wf of client.workflow.list()) {
    runs.set(wf.workflowId, [...(runs.get(wf.workflowId) ?? []), wf.status.name]);
  }
  return runs;
}

/**
 * What Temporal should hold: one run per placed order, in the state its family ends in;
 * and a bulk eSIM order's one batch child (its few ICCIDs are far under a batch), also
 * run once: a batch activated twice would be two runs here.
 */
export function expectedRuns(placed: Placed[]): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  for (const o of placed) {
    runs.set(o.workflowId, [WORKFLOW_END[o.family]]);
    if (o.kind === 'BULK_ACTIVATION') runs.set(`${o.workflowId}-batch-0`, ['COMPLETED']);
  }
  return runs;
}

/** The simulated eSIM platform's profiles: per order, and per ICCID. */
export async function esimProfiles(orm: Orm): Promise<{ orderId: string; iccid: string }[]> {
  const rows = await orm.em.fork().find(SimulatedEsimProfileSchema, {});
  return rows.map((r) => ({ orderId: r.orderId, iccid: r.iccid }));
}

export const countBy = <T>(xs: T[], key: (x: T) => string): Record<string, number> =>
  xs.reduce<Record<string, number>>((acc, x) => ((acc[key(x)] = (acc[key(x)] ?? 0) + 1), acc), {});
