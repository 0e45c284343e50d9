import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createFibreActivities } from '../../src/activities/fibre/activities';
import { FIBRE_DEMO } from '../../src/db/fibre/demoData';
import { simulatedFibreSupplier } from '../../src/external/fibre/supplier';
import { FibreInquiryRecordSchema, FibreOrderRecordSchema } from '../../src/db/entities';
import type { InquiryView } from '../../src/workflows/fibre/inquiryContract';
import { answerSignal, offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { deliverSignal, fibreOrderWorkflowId, OrderView, rejectOrderSignal } from '../../src/workflows/fibre/orderContract';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, useStack } from '../support/harness';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';

type Item = { id: string; doneDateTime: string; state: string };

/**
 * The seed's promises for GET inquiries?since= and GET orders?since= (002 §4, §5),
 * checked through the API while many inquiries and orders complete at once: a later
 * answer always contains every earlier one, and a client paging with "next since =
 * the last doneDateTime I read" sees every item exactly once.
 */
describe.each(DATABASE_KINDS)('the inquiries and orders feeds under concurrent completions on %s', (kind) => {
  const stack = useStack(kind, { configEnv: { FIBRE_ASYNC_ANSWER_DELAY: '1 hour', SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' } });
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, db, h, demo, other } = await signIn(stack)));

  const post = async (path: string, body: object, token = demo) => {
    const res = await api(h, token).post(`${FIBRE_BASE}${path}`, body);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const read = async (feed: 'inquiries' | 'orders', query: string, token = demo): Promise<Item[]> => {
    const res = await api(h, token).get(`${FIBRE_BASE}/${feed}${query}`);
    if (res.status !== 200) throw new Error(`GET ${feed}${query}: ${res.status}`);
    type Raw = { inquiryId?: string; orderId?: string; state?: string; doneDateTime?: string; status?: { state: string; doneDateTime: string } };
    return (res.body as Raw[]).map((i) =>
      feed === 'inquiries'
        ? { id: i.inquiryId!, doneDateTime: i.status!.doneDateTime, state: i.status!.state }
        : { id: i.orderId!, doneDateTime: i.doneDateTime!, state: i.state! },
    );
  };
  const ids = (items: Item[]) => items.map((i) => i.id);

  /**
   * Reads the whole feed and pages through it (limit 5) over and over until `done()` says
   * every item is in. `snapshots` is the caller's, so it can see how far the reader got.
   */
  async function reader(feed: 'inquiries' | 'orders', done: (all: Item[]) => boolean, snapshots: string[][]) {
    const paged: Item[] = [];
    let since: string | undefined;
    for (let round = 0; round < 2000; round += 1) {
      const all = await read(feed, '?limit=10000');
      snapshots.push(ids(all));
      for (;;) {
        const page = await read(feed, `?limit=5${since ? `&since=${encodeURIComponent(since)}` : ''}`);
        paged.push(...page);
        if (page.length) since = page[page.length - 1]!.doneDateTime;
        if (page.length < 5) break;
      }
      if (done(all)) break;
    }
    return { paged };
  }

  it('never changes or skips an item while 30 inquiries and 30 orders complete concurrently, and shows each once', async () => {
    const N = 30;
    const inquiries: string[] = [];
    const orders: string[] = [];
    for (let i = 0; i < N; i += 1) {
      inquiries.push((await post('/offerInquiry', asyncInquiry())).inquiryId);
      const sync = await post('/offerInquiry', syncInquiry());
      orders.push((await post('/orders', orderBody(sync.inquiryId))).orderId);
    }
    // Another client's items complete in the same feeds and must never show up in demo's reads.
    const foreign = (await post('/offerInquiry', asyncInquiry({ invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId, frameworkAgreementId: FIBRE_DEMO.otherFrameworkAgreementId }), other)).inquiryId as string;

    const answer = (id: string, i: number) => () =>
      env.client.workflow.getHandle(offerInquiryWorkflowId(id)).signal(answerSignal, i % 3 ? { success: true } : { success: false, message: `declined ${i}` });
    const decide = (id: string, i: number) => () =>
      i % 4
        ? env.client.workflow.getHandle(fibreOrderWorkflowId(id)).signal(deliverSignal, {})
        : env.client.workflow.getHandle(fibreOrderWorkflowId(id)).signal(rejectOrderSignal, { message: `rejected ${i}` });
    // Inquiries and orders interleaved, eight signals at a time: their workflows complete concurrently.
    const jobs = [...inquiries.flatMap((id, i) => [answer(id, i), decide(orders[i]!, i)]), answer(foreign, 1)];
    const has = (want: string[]) => (all: Item[]) => want.every((id) => all.some((i) => i.id === id));
    const seen = { inquiries: [] as string[][], orders: [] as string[][] };
    const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
      for (let tries = 0; tries < 600; tries += 1) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${what} did not happen within 30 s`);
    };
    // Paced by what the readers see, not by the clock: after each batch, both feeds hold its
    // items and each reader has read the feed again, so the readers read while items
    // complete (the feed at several lengths) however slow or loaded the machine is.
    const complete = async () => {
      for (let i = 0; i < Math.min(jobs.length, 2 * N); i += 8) {
        await Promise.all(jobs.slice(i, i + 8).map((job) => job()));
        const batch = Array.from({ length: Math.min(8, 2 * N - i) / 2 }, (_, k) => (i >> 1) + k);
        await until('the batch in both feeds', async () =>
          has(batch.map((k) => inquiries[k]!))(await read('inquiries', '?limit=10000')) && has(batch.map((k) => orders[k]!))(await read('orders', '?limit=10000')),
        );
        // Two snapshots each: the second began after the batch was in. After the last batch the
        // readers find everything and stop.
        if (i + 8 >= 2 * N) break;
        const before = [seen.inquiries.length, seen.orders.length];
        await until('both readers reading again', () => seen.inquiries.length > before[0]! + 1 && seen.orders.length > before[1]! + 1);
      }
      await jobs[jobs.length - 1]!();
    };

    const [, inquiryPaged, orderPaged] = await Promise.all([
      complete(),
      reader('inquiries', has(inquiries), seen.inquiries),
      reader('orders', has(orders), seen.orders),
    ]);
    const inquiryReads = { snapshots: seen.inquiries, paged: inquiryPaged.paged };
    const orderReads = { snapshots: seen.orders, paged: orderPaged.paged };

    for (const [feed, want, r] of [['inquiries', inquiries, inquiryReads], ['orders', orders, orderReads]] as const) {
      const final = await read(feed, '?limit=10000');
      // Each completed item exactly once, only final states, ascending doneDateTime.
      expect(ids(final).filter((id) => want.includes(id)).sort()).toEqual([...want].sort());
      expect(new Set(ids(final)).size).toBe(final.length);
      expect(ids(final)).not.toContain(foreign);
      const finalStates = feed === 'inquiries' ? ['DONE_ASYNC_ANSWER_SUCCESS', 'DONE_ASYNC_ANSWER_FAILED'] : ['DELIVERED', 'REJECTED'];
      for (const item of final) expect(finalStates).toContain(item.state);
      for (let i = 1; i < final.length; i += 1) expect(Date.parse(final[i]!.doneDateTime)).toBeGreaterThan(Date.parse(final[i - 1]!.doneDateTime));
      // A later answer contains every earlier one as its beginning: the list only grows.
      // The readers really ran while items completed: they saw the feed at several lengths.
      expect(new Set(r.snapshots.map((x) => x.length)).size).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < r.snapshots.length; i += 1) {
        expect(r.snapshots[i]!.slice(0, r.snapshots[i - 1]!.length)).toEqual(r.snapshots[i - 1]);
      }
      // The client loop saw every item exactly once, in order.
      expect(ids(r.paged)).toEqual(ids(final));
    }

    // GET agrees with the feed on doneDateTime, the value the client pages with.
    const inquiryFeed = await read('inquiries', '?limit=10000');
    const view = (await api(h, demo).get(`${FIBRE_BASE}/inquiries/${inquiries[0]}`)).body as InquiryView;
    expect(inquiryFeed.find((i) => i.id === inquiries[0])?.doneDateTime).toBe(view.status.doneDateTime);
  });

  it('inserts nothing when a completion is appended again (an activity retried after a crash)', async () => {
    const inquiryId = (await post('/offerInquiry', asyncInquiry())).inquiryId as string;
    await env.client.workflow.getHandle(offerInquiryWorkflowId(inquiryId)).signal(answerSignal, { success: true });
    const sync = await post('/offerInquiry', syncInquiry());
    const orderId = (await post('/orders', orderBody(sync.inquiryId))).orderId as string;
    await env.client.workflow.getHandle(fibreOrderWorkflowId(orderId)).signal(deliverSignal, {});
    const em = db.orm.em;
    const inquiryRow = await eventually(() => em.fork().findOneOrFail(FibreInquiryRecordSchema, { inquiryId, state: 'DONE_ASYNC_ANSWER_SUCCESS' }));
    const orderRow = await eventually(() => em.fork().findOneOrFail(FibreOrderRecordSchema, { orderId, state: 'DELIVERED' }));
    const before = { inquiries: await read('inquiries', '?limit=10000'), orders: await read('orders', '?limit=10000') };

    const activities = createFibreActivities(db.orm, simulatedFibreSupplier({ latencyMs: 0, transientFailures: 0 }));
    const inquiryView = JSON.parse(inquiryRow.view) as InquiryView;
    const orderView = JSON.parse(orderRow.view) as OrderView;
    const again = await activities.completeAsyncInquiry({ inquiryId, tenantId: 'demo', correlationId: 'retry', stage: 'DONE_ASYNC_ANSWER_SUCCESS', view: { ...inquiryView, status: { ...inquiryView.status, message: 'changed on retry' } } });
    const orderAgain = await activities.completeOrder({ orderId, tenantId: 'demo', correlationId: 'retry', inquiryId: sync.inquiryId, view: { ...orderView, status: { ...orderView.status, message: 'changed on retry' } } });

    expect(again.doneDateTime).toBe(inquiryView.status.doneDateTime);
    expect(orderAgain.doneDateTime).toBe(orderView.status.doneDateTime);
    const after = { inquiries: await read('inquiries', '?limit=10000'), orders: await read('orders', '?limit=10000') };
    expect(after).toEqual(before);
    const count = async (entityId: string) =>
      Number(((await db.orm.em.getConnection().execute('select count(*) as n from feed_entries where entity_id = ?', [entityId])) as { n: number | string }[])[0]!.n);
    expect(await count(inquiryId)).toBe(1);
    expect(await count(orderId)).toBe(1);
  });
});
