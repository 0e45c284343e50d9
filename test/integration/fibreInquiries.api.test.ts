import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createWorker } from '../../src/worker/createWorker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { FIBRE_DEMO } from '../../src/db/fibre/demoData';
import { FibreInquiryRecordSchema } from '../../src/db/entities';
import { ApiFamily, CorrelationId, OrderStatus, TenantId } from '../../src/workflows/shared/searchAttributes';
import { answerSignal, inquiryStatusQuery, offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { api, apiApp, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, testConfig, useStack } from '../support/harness';
import { asyncInquiry, FIBRE_BASE, orderBody, seedInquiryBody, syncInquiry } from '../support/fibreInquiryBodies';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)('offer inquiries through the API, worker and dev server on %s', (kind) => {
  // The supplier's default answer is an hour away: these tests answer through the ops signal.
  const stack = useStack(kind, { configEnv: { FIBRE_ASYNC_ANSWER_DELAY: '1 hour', SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' } });
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, db, h, demo, other } = await signIn(stack)));

  const post = (body: unknown, token = demo) => api(h, token).post(`${FIBRE_BASE}/offerInquiry`, body);
  const get = (inquiryId: string, token = demo) => api(h, token).get(`${FIBRE_BASE}/inquiries/${inquiryId}`);
  const feed = (query = '', token = demo) => api(h, token).get(`${FIBRE_BASE}/inquiries${query}`);
  const handleOf = (inquiryId: string) => env.client.workflow.getHandle(offerInquiryWorkflowId(inquiryId));

  it('answers the seed example (no comment) at once: 201, Location, Last-Modified, DONE_SUCCESS with a priced offer', async () => {
    const res = await post(syncInquiry()).set('X-Correlation-ID', 'corr-inq-1');
    expect(res.status).toBe(201);
    const { inquiryId } = res.body;
    expect(res.headers.location).toBe(`/api/1.0/inquiries/${inquiryId}`);
    expect(new Date(res.headers['last-modified']!).toUTCString()).toBe(res.headers['last-modified']);
    expect(res.body).toMatchObject({
      inquiryNumber: expect.stringMatching(/^SP-\d{6}$/),
      status: { state: 'DONE_SUCCESS', orderDateTime: expect.any(String), doneDateTime: expect.any(String) },
      supplier: 'STOKAB',
      connectionId: null,
      deliveryDurationDays: expect.any(Number),
      product: { productId: FIBRE_DEMO.stokabPoint2PointId, name: 'Point2Point', price: { status: 'OFFER' } },
      asyncStatusMessage: '',
    });
    expect(res.body.referenceId).toMatch(/^CH-/);
    expect(res.body.deliveryDurationDays).toBeGreaterThan(0);
    const price = res.body.product.price;
    expect(price.oneTimeFee).toBeGreaterThan(0);
    expect(price.items.find((i: { name: string }) => i.name === 'Connection based on distance').parameters).toContainEqual({ name: 'distance', value: expect.stringMatching(/^\d+$/) });
    // The offer stays valid for FIBRE_OFFER_VALIDITY_DAYS (30) from the answer.
    const done = Date.parse(res.body.status.doneDateTime);
    expect(res.body.offerValidUntilDate).toBe(new Date(done + 30 * DAY).toISOString().slice(0, 10));
    expect(res.headers['last-modified']).toBe(new Date(done).toUTCString());

    const again = await get(inquiryId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(again.headers['last-modified']).toBe(res.headers['last-modified']);

    const desc = await handleOf(inquiryId).describe();
    expect(desc.status.name).toBe('RUNNING'); // holding the offer open for an order
    expect(desc.typedSearchAttributes.get(ApiFamily)).toBe('fibre');
    expect(desc.typedSearchAttributes.get(TenantId)).toBe('demo');
    expect(desc.typedSearchAttributes.get(CorrelationId)).toBe('corr-inq-1');
    expect(await handleOf(inquiryId).query(inquiryStatusQuery)).toEqual(res.body);
  });

  it('accepts the seed\'s spellings and the corrected ones as the same inquiry, priced the same', async () => {
    const seedSpelling = seedInquiryBody({ referenceId: 'SPELL-1', redundancy: { type: 'NoReduncancy', toPointId: null }, noOfFiberPairs: 2, noOfSinglePairs: 1 });
    const corrected = seedInquiryBody({ referenceId: 'SPELL-1', redundancy: { type: 'NoRedundancy', toPointId: null }, NumberOfFiberPairs: 2, noOfFiberPairs: undefined, noOfSinglePairs: undefined, noOfSingleFibers: 1 });
    const a = await post(seedSpelling);
    const b = await post(corrected);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.inquiryId).toBe(a.body.inquiryId);
    expect(b.body.product.price).toEqual(a.body.product.price);
    const items = a.body.product.price.items.map((i: { name: string }) => i.name);
    expect(items).not.toContain('Redundancy Normal');
    expect(a.body.product.price.items[0].parameters).toEqual(expect.arrayContaining([
      { name: 'noOfFiberPairs', value: '2' },
      { name: 'noOfSingleFibers', value: '1' },
    ]));
  });

  it('uses the client\'s standard framework agreement and first invoice group, and one fibre pair, when the inquiry names none', async () => {
    const minimal = syncInquiry({ invoiceGroupId: '', frameworkAgreementId: undefined, customerType: undefined, serviceLevel: undefined, contractPeriodMonths: undefined, noOfFiberPairs: undefined, noOfSinglePairs: undefined });
    const res = await post(minimal);
    expect(res.status).toBe(201);
    expect(res.body.status.state).toBe('DONE_SUCCESS');
    expect(res.body.product.price.items[0].parameters).toEqual(expect.arrayContaining([{ name: 'noOfFiberPairs', value: '1' }, { name: 'noOfSingleFibers', value: '0' }]));
  });

  it('answers DONE_FAILED at once for no capacity, an unknown point, an unknown product and another client\'s invoice group', async () => {
    const noCapacity = await post(syncInquiry({ to: { pointId: FIBRE_DEMO.points.noCapacity } }));
    expect(noCapacity.status).toBe(201);
    expect(noCapacity.body.status).toMatchObject({ state: 'DONE_FAILED', message: expect.stringContaining('No capacity') });
    expect(noCapacity.body.offerValidUntilDate).toBeNull();
    const unknownPoint = await post(syncInquiry({ from: { pointId: 'NOPE999' } }));
    expect(unknownPoint.body.status).toMatchObject({ state: 'DONE_FAILED', message: expect.stringContaining('NOPE999') });
    const unknownProduct = await post(syncInquiry({ product: { productId: FIBRE_DEMO.sveanetPoint2PointId, name: 'Point2Point' } }));
    expect(unknownProduct.body.status).toMatchObject({ state: 'DONE_FAILED', message: expect.stringContaining('STOKAB has no product') });
    const foreignInvoiceGroup = await post(syncInquiry({ invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId }));
    expect(foreignInvoiceGroup.body.status).toMatchObject({ state: 'DONE_FAILED', message: expect.stringContaining('Invoice group') });
    const foreignAgreement = await post(syncInquiry({ frameworkAgreementId: FIBRE_DEMO.otherFrameworkAgreementId }));
    expect(foreignAgreement.body.status).toMatchObject({ state: 'DONE_FAILED', message: expect.stringContaining('Framework agreement') });
    // A failed sync inquiry has no reason to stay open.
    await handleOf(noCapacity.body.inquiryId).result();
  });

  it('refuses a comment without asyncAnswerAllowed with 422 naming both fields, and bad fields by name (400)', async () => {
    const res = await post(syncInquiry({ comment: 'please call me' }));
    expect(res.status).toBe(422);
    expect(res.body.cause).toMatch(/^asyncAnswerAllowed: .*comment/);
    const bad = await post(syncInquiry({ contractPeriodMonths: 24, customerType: 'Government', noOfFiberPairs: -1, product: {} }));
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['contractPeriodMonths', 'customerType', 'noOfFiberPairs', 'product.productId']);
    const notGuid = await post(syncInquiry({ invoiceGroupId: 'IG-1' }));
    expect(notGuid.status).toBe(400);
    expect(notGuid.body.cause).toMatch(/^invoiceGroupId: must be a GUID/);
    // Seed 002 §4: "'NoReduncancy', 'Normal'. (Full redundancy not availible from price-api.)"
    const full = await post(syncInquiry({ redundancy: { type: 'Full', toPointId: FIBRE_DEMO.points.redundancy } }));
    expect(full.status).toBe(400);
    expect(full.body).toMatchObject({
      cause: 'redundancy.type: Full redundancy not availible from price-api.',
      errors: [{ field: 'redundancy.type', message: 'Full redundancy not availible from price-api.' }],
    });
    // The price estimate (§3: 'Normal', 'Full') still prices it.
    const { from, to, redundancy } = syncInquiry({ redundancy: { type: 'Full', toPointId: FIBRE_DEMO.points.redundancy } });
    const estimate = await api(h, demo).post(`${FIBRE_BASE}/priceEstimate`, { from, to, redundancy, products: 'Point2Point' });
    expect(estimate.status).toBe(200);
    expect(JSON.stringify(estimate.body)).toContain('Redundancy Full');
    const conflicting = await post(syncInquiry({ noOfFiberPairs: 1, NumberOfFiberPairs: 2 }));
    expect(conflicting.status).toBe(422);
    expect(conflicting.body.cause).toContain('NumberOfFiberPairs: is another spelling of noOfFiberPairs');
  });

  it('waits for the async answer, finishes on the ops signal, and only then shows the inquiry in the feed', async () => {
    const res = await post(asyncInquiry());
    expect(res.status).toBe(201);
    expect(res.body.status).toMatchObject({ state: 'WAIT_ASYNC_ANSWER', doneDateTime: null });
    expect(res.body.product.price.status).toBe('ESTIMATED');
    const { inquiryId } = res.body;
    expect((await feed()).body.map((i: { inquiryId: string }) => i.inquiryId)).not.toContain(inquiryId);
    expect((await handleOf(inquiryId).describe()).typedSearchAttributes.get(OrderStatus)).toBe('WAIT_ASYNC_ANSWER');

    await handleOf(inquiryId).signal(answerSignal, { success: true, message: 'Riser checked.', oneTimeFee: 20000, monthlyFee: 1500, deliveryDurationDays: 45, connectionId: 'STHLM-0042' });
    const done = await eventually(async () => {
      const r = await get(inquiryId);
      expect(r.body.status.state).toBe('DONE_ASYNC_ANSWER_SUCCESS');
      return r;
    });
    expect(done.body).toMatchObject({
      status: { message: 'Riser checked.', doneDateTime: expect.any(String) },
      product: { price: { status: 'OFFER', oneTimeFee: 20000, monthlyFee: 1500 } },
      deliveryDurationDays: 45,
      connectionId: 'STHLM-0042',
    });
    expect(done.headers['last-modified']).toBe(new Date(done.body.status.doneDateTime).toUTCString());
    const item = (await feed()).body.find((i: { inquiryId: string }) => i.inquiryId === inquiryId);
    // The feed and GET agree on doneDateTime, the value the client pages with.
    expect(item).toEqual({ inquiryId, orderId: null, supplier: 'STOKAB', product: done.body.product, status: done.body.status });
  });

  it('takes the README\'s example (the seed\'s body, with a comment) as an async inquiry with an estimate', async () => {
    const example = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../examples/offer-inquiry.json'), 'utf8'));
    const res = await post(example).set('Idempotency-Key', `readme-example-${kind}`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ referenceId: 'CH-12345', status: { state: 'WAIT_ASYNC_ANSWER' }, product: { price: { status: 'ESTIMATED' } } });
    expect(res.body.product.price.items.map((i: { name: string }) => i.name)).toContain('Redundancy Normal');
  });

  it('ends an async inquiry the supplier declines as DONE_ASYNC_ANSWER_FAILED, in the feed too', async () => {
    const res = await post(asyncInquiry());
    await handleOf(res.body.inquiryId).signal(answerSignal, { success: false, message: 'No duct space in the street.' });
    const final = await handleOf(res.body.inquiryId).result();
    expect(final.status).toMatchObject({ state: 'DONE_ASYNC_ANSWER_FAILED', message: 'No duct space in the street.' });
    const item = (await feed()).body.find((i: { inquiryId: string }) => i.inquiryId === res.body.inquiryId);
    expect(item.status).toEqual(final.status);
  });

  it('fails an async inquiry at once when it names an unknown point, and keeps it out of the feed', async () => {
    const res = await post(asyncInquiry({ to: { pointId: 'NOPE998' } }));
    expect(res.body.status.state).toBe('DONE_FAILED');
    await handleOf(res.body.inquiryId).result();
    expect((await feed()).body.map((i: { inquiryId: string }) => i.inquiryId)).not.toContain(res.body.inquiryId);
  });

  it('starts one workflow for concurrent duplicates with one Idempotency-Key, and refuses the key with another body (409)', async () => {
    const body = asyncInquiry();
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body).set('Idempotency-Key', `inq-dup-${kind}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(201));
    const ids = new Set(answers.map((r) => r.body.inquiryId));
    expect(ids.size).toBe(1);
    expect(new Set(answers.map((r) => r.body.inquiryNumber)).size).toBe(1);
    const runs = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${offerInquiryWorkflowId([...ids][0]!)}'` })) runs.push(wf);
    expect(runs).toHaveLength(1);
    const reused = await post(asyncInquiry()).set('Idempotency-Key', `inq-dup-${kind}`);
    expect(reused.status).toBe(409);
    expect(reused.body.cause).toContain('Idempotency-Key was already used');
  });

  it('numbers inquiries from the database sequence, each number once', async () => {
    const numbers = await Promise.all(Array.from({ length: 5 }, async () => (await post(syncInquiry())).body.inquiryNumber as string));
    expect(new Set(numbers).size).toBe(5);
    const rows = await db.orm.em.fork().find(FibreInquiryRecordSchema, { inquiryNumber: { $in: numbers } });
    expect(rows).toHaveLength(5);
  });

  it('hides one client\'s inquiries from another: GET is 404 and the feed is the client\'s own', async () => {
    const res = await post(asyncInquiry());
    await handleOf(res.body.inquiryId).signal(answerSignal, { success: false, message: 'no' });
    await eventually(async () => expect((await get(res.body.inquiryId)).body.status.state).toBe('DONE_ASYNC_ANSWER_FAILED'));
    expect((await get(res.body.inquiryId, other)).status).toBe(404);
    expect((await get('no-such-inquiry')).status).toBe(404);
    expect((await feed('', other)).body.map((i: { inquiryId: string }) => i.inquiryId)).not.toContain(res.body.inquiryId);
    const guest = await h.token('guest');
    expect((await post(syncInquiry(), guest)).status).toBe(403);
    expect((await feed('', guest)).status).toBe(403);
  });

  it('answers a feed read whose since is not an ISO date-time, or whose limit is out of range, with 400 naming it', async () => {
    const res = await feed('?since=yesterday');
    expect(res.status).toBe(400);
    expect(res.body.cause).toMatch(/^since: /);
    expect((await feed('?limit=0')).body.cause).toMatch(/^limit: /);
    expect((await feed('?limit=10001')).status).toBe(400);
    expect((await feed('?since=2016-08-22T15:01:02.000Z&limit=5')).status).toBe(200);
  });

  it('answers 202 with the Location when no worker answers in time (an order on it 503), and the inquiry is answered once a worker runs', async () => {
    const config = testConfig({ FIBRE_ANSWER_TIMEOUT_MS: '1500' });
    const taskQueue = `no-worker-yet-${randomUUID()}`;
    const app = apiApp({ config, client: env.client, orm: db.orm, taskQueue });
    const res = await api({ app }, demo).post(`${FIBRE_BASE}/offerInquiry`).send(syncInquiry());
    expect(res.status).toBe(202);
    const { inquiryId } = res.body;
    expect(res.headers.location).toBe(`/api/1.0/inquiries/${inquiryId}`);
    expect((await get(inquiryId)).status).toBe(404); // not assessed yet: nothing to show
    // An order on it cannot be decided without the inquiry's worker: 503 after the timeout, not a hanging request.
    const placeOrder = () => api({ app }, demo).post(`${FIBRE_BASE}/orders`).send(orderBody(inquiryId));
    const early = await placeOrder();
    expect(early.status).toBe(503);
    expect(early.headers['retry-after']).toBeDefined();
    const worker = await createWorker({ config, connection: env.nativeConnection, orm: db.orm, taskQueue });
    await worker.runUntil(async () => {
      await eventually(async () => expect((await get(inquiryId)).body.status?.state).toBe('DONE_SUCCESS'));
      // The early request placed nothing (the offer was not answered yet); the retry places the order.
      const retried = await placeOrder();
      expect(retried.status).toBe(201);
      expect(retried.body.status.state).toBe('WAIT_DELIVERY');
    });
  });
});
