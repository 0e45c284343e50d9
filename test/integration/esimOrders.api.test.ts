import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { deriveId } from '../../src/api/shared/idempotency';
import { DEMO_JANE_ICCID, DEMO_JOHN_ICCID, DEMO_STOCK_ICCIDS } from '../../src/db/esimOrders/demoData';
import {
  EsimCustomerEsimSchema,
  EsimCustomerSchema,
  EsimOrderRecordSchema,
  SimulatedEsimPlanSchema,
  SimulatedEsimProfileSchema,
} from '../../src/db/entities';
import { esimOrderStatusQuery, esimOrderWorkflowId, MAX_BULK_ACTIVATIONS } from '../../src/workflows/esimOrders/contract';
import { ApiFamily, CorrelationId, OrderStatus, TenantId } from '../../src/workflows/shared/searchAttributes';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { freshIccid, freshStock, future, seedBulk, seedNewEsim, seedTopup } from '../support/esimOrders';
import { Harness, useStack } from '../support/harness';

const PATH = '/esim/v1/order';
// Fast polls so a profile that needs three polls is ready within seconds.
// Bulk orders in batches of 50, so one of a hundred ICCIDs runs several batch children.
const FAST = { SIM_ESIM_POLLS_UNTIL_READY: '2', ESIM_POLL_INITIAL_INTERVAL: '200ms', ESIM_POLL_MAX_INTERVAL: '1s', SIM_ESIM_LATENCY_MS: '0', ESIM_BULK_BATCH_SIZE: '50' };

describe.each(DATABASE_KINDS)('eSIM orders through the API, worker and dev server on %s', (kind) => {
  const stack = useStack(kind, { configEnv: FAST });
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, db, h, demo, other } = await signIn(stack)));

  const post = (body: unknown, token = demo) => api(h, token).post(PATH, body);
  const get = (orderId: string, token = demo) => api(h, token).get(`${PATH}/${orderId}`);
  /** The order's last answer: COMPLETED or FAILED, and no subscription still SCHEDULED (the seed's examples start theirs 2 s ahead). */
  const finalOf = (orderId: string) =>
    eventually(async () => {
      const res = await get(orderId);
      expect(['COMPLETED', 'FAILED']).toContain(res.body.status);
      expect(res.body.output?.subscriptions?.filter((s: { state: string }) => s.state === 'SCHEDULED') ?? []).toEqual([]);
      return res.body as { externalId: string; status: string; output?: unknown; reason?: string };
    }, 30_000);
  const em = () => db.orm.em.fork();

  describe('the seed\'s examples (dates moved to the future)', () => {
    it('NEW_ESIM: 201 ACCEPTED, then COMPLETED with the one profile the platform made', async () => {
      const res = await post(seedNewEsim()).set('X-Correlation-ID', 'unique-id-from-requester-123');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ externalId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'ACCEPTED' });
      expect(res.headers['x-correlation-id']).toBe('unique-id-from-requester-123');
      const early = await get(res.body.externalId);
      expect(early.status).toBe(200);
      expect(['ACCEPTED', 'IN_PROGRESS']).toContain(early.body.status);
      expect(early.body.output).toBeUndefined();

      const done = await finalOf(res.body.externalId);
      expect(done).toEqual({
        externalId: res.body.externalId,
        status: 'COMPLETED',
        output: {
          iccid: expect.stringMatching(/^\d{19}$/),
          matchingId: expect.any(String),
          smdpUrl: 'rsp.truphone.com',
          subscriptions: [{ productId: 'a3u3z000000PZBhAAO', activationDate: expect.any(String), state: 'ACTIVE' }],
        },
      });
      const profiles = await em().find(SimulatedEsimProfileSchema, { orderId: res.body.externalId });
      expect(profiles.map((p) => p.iccid)).toEqual([(done.output as { iccid: string }).iccid]);
      const plans = await em().find(SimulatedEsimPlanSchema, { iccid: profiles[0]!.iccid });
      expect(plans.map((p) => [p.productId, p.status])).toEqual([['a3u3z000000PZBhAAO', 'ACTIVE']]);
      expect(await em().count(EsimCustomerEsimSchema, { tenantId: 'demo', iccid: profiles[0]!.iccid, email: 'john@doe.com' })).toBe(1);

      const handle = env.client.workflow.getHandle(esimOrderWorkflowId(res.body.externalId));
      await handle.result();
      const desc = await handle.describe();
      expect(desc.typedSearchAttributes.get(ApiFamily)).toBe('esim');
      expect(desc.typedSearchAttributes.get(TenantId)).toBe('demo');
      expect(desc.typedSearchAttributes.get(CorrelationId)).toBe('unique-id-from-requester-123');
      expect(desc.typedSearchAttributes.get(OrderStatus)).toBe('COMPLETED');
      expect(await handle.query(esimOrderStatusQuery)).toEqual(done);
    });

    it('NEW_ESIM for next week\'s trip: COMPLETED with the installation data once the profile is ready, its plan SCHEDULED for its activationDate', async () => {
      const activationDate = future(7);
      const res = await post(seedNewEsim(activationDate));
      expect(res.status).toBe(201);
      const { externalId } = res.body as { externalId: string };
      const done = await eventually(async () => {
        const answer = await get(externalId);
        expect(answer.body.status).toBe('COMPLETED');
        return answer.body as { output: { iccid: string } };
      }, 30_000);
      expect(done).toEqual({
        externalId,
        status: 'COMPLETED',
        output: {
          iccid: expect.stringMatching(/^\d{19}$/),
          matchingId: expect.any(String),
          smdpUrl: 'rsp.truphone.com',
          subscriptions: [{ productId: 'a3u3z000000PZBhAAO', activationDate, state: 'SCHEDULED' }],
        },
      });
      expect(await em().count(SimulatedEsimPlanSchema, { iccid: done.output.iccid })).toBe(0);
      const row = await em().findOneOrFail(EsimOrderRecordSchema, { externalId });
      expect(row.stage).toBe('SCHEDULED');
    });

    it('keeps device.uicc and device.imei with the order and passes them to the platform with the profile request', async () => {
      const body = seedNewEsim();
      body.input.device = { ...body.input.device, uicc: '89014103211118510720', imei: '356938035643809' } as typeof body.input.device;
      const res = await post(body);
      expect(res.status).toBe(201);
      const { externalId } = res.body as { externalId: string };
      expect((await finalOf(externalId)).status).toBe('COMPLETED');
      const profile = await em().findOneOrFail(SimulatedEsimProfileSchema, { orderId: externalId });
      expect(profile).toMatchObject({ deviceUicc: '89014103211118510720', deviceImei: '356938035643809' });
      const order = await em().findOneOrFail(EsimOrderRecordSchema, { externalId });
      expect(order).toMatchObject({ deviceUicc: '89014103211118510720', deviceImei: '356938035643809' });
      // Neither is part of the seed's GET answer.
      expect(Object.keys((await get(externalId)).body).sort()).toEqual(['externalId', 'output', 'status']);
    });

    it('TOPUP_ACTIVATION: accepted as the deprecated alias of TOPUP, with a Deprecation header, and completes on john\'s eSIM', async () => {
      const res = await post(seedTopup());
      expect(res.status).toBe(201);
      expect(res.headers.deprecation).toBe('true');
      const done = await finalOf(res.body.externalId);
      expect(done).toMatchObject({ status: 'COMPLETED', output: { iccid: DEMO_JOHN_ICCID, matchingId: 'M-DEMO-JOHN' } });
      expect(await em().count(SimulatedEsimPlanSchema, { iccid: DEMO_JOHN_ICCID, planId: { $like: `${res.body.externalId}%` } })).toBe(1);
      const topup = await post({ input: { ...seedTopup().input, operationType: 'TOPUP' } });
      expect(topup.status).toBe(201);
      expect(topup.headers.deprecation).toBeUndefined();
    });

    it('BULK_ACTIVATION: reads the comma-separated ICCID list, creates the customer, one output entry per ICCID', async () => {
      const res = await post(seedBulk());
      expect(res.status).toBe(201);
      const done = await finalOf(res.body.externalId);
      expect(done).toEqual({
        externalId: res.body.externalId,
        status: 'COMPLETED',
        output: [{ iccid: '8944474600000101811', status: 'ACTIVATED', matchingId: expect.any(String), smdpUrl: 'rsp.truphone.com' }],
      });
      const plans = await em().find(SimulatedEsimPlanSchema, { iccid: '8944474600000101811' }, { orderBy: { productId: 'asc' } });
      expect(plans.map((p) => p.productId)).toEqual(['a3mM0000000Dcmr', 'a3mM0000000Dcmw']);
      const customer = await em().findOneOrFail(EsimCustomerSchema, { tenantId: 'demo', email: 'test_customer_e2e@gmail.com' });
      expect(customer).toMatchObject({ firstName: 'tests', lastName: 'truphone', language: 'PT' });
    });
  });

  it('BULK_ACTIVATION in batches: GET answers every ICCID once, in the order named, with its profile; the workflow\'s result and status query go without the list', async () => {
    const iccids = await freshStock(db.orm, 120);
    const body = seedBulk();
    const { activationDate } = body.input.subscriptions[0]!;
    body.input.subscriptions = [
      { iccid: iccids.slice(0, 10), id: 'a3mM0000000Dcmw', activationDate },
      { iccid: iccids, id: 'a3mM0000000Dcmr', activationDate },
    ];
    const res = await post(body);
    expect(res.status).toBe(201);
    const { externalId } = res.body as { externalId: string };
    const done = await finalOf(externalId);
    expect(done).toEqual({
      externalId,
      status: 'COMPLETED',
      output: iccids.map((iccid) => ({ iccid, matchingId: `M-${iccid.slice(-8)}`, smdpUrl: 'rsp.truphone.com', status: 'ACTIVATED' })),
    });
    // 130 activations in batches of at most 50 (an ICCID's plans stay together): three children.
    const handle = env.client.workflow.getHandle(esimOrderWorkflowId(externalId));
    expect(await handle.result()).toEqual({ externalId, status: 'COMPLETED' });
    expect(await handle.query(esimOrderStatusQuery)).toEqual({ externalId, status: 'COMPLETED' });
    const children = ((await handle.fetchHistory()).events ?? []).filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(children).toHaveLength(3);
    expect(await em().count(EsimCustomerEsimSchema, { tenantId: 'demo', iccid: { $in: iccids }, email: 'test_customer_e2e@gmail.com' })).toBe(120);
  });

  describe('rules answered by the workflow (422, or 400 where the seed says bad input)', () => {
    it('PRODUCT_NOT_FOUND for a product outside the tenant\'s catalogue, and orders nothing', async () => {
      const body = seedNewEsim();
      body.input.subscriptions[0]!.id = 'a3mM0000000NOPE';
      const res = await post(body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ code: 'PRODUCT_NOT_FOUND', message: 'The product was not found for id a3mM0000000NOPE (input.subscriptions[0].id)' });
      // Catalogues are per tenant: tenant "other" does not sell a3mM0000000Dcmr.
      const bulkForOther = await post(seedBulk(), other);
      expect(bulkForOther.status).toBe(422);
      expect(bulkForOther.body.code).toBe('PRODUCT_NOT_FOUND');
      expect(bulkForOther.body.message).toContain('a3mM0000000Dcmr');
    });

    it('CUSTOMER_MUST_EXIST for a TOPUP of an unknown customer', async () => {
      const body = seedTopup();
      body.input.customer.email = 'nobody@doe.com';
      const res = await post(body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ code: 'CUSTOMER_MUST_EXIST', message: 'Does not exist a customer for email nobody@doe.com' });
    });

    it('EMAIL_AND_ICCID_DO_NOT_MATCH for a TOPUP naming someone else\'s eSIM or an unknown one', async () => {
      for (const iccid of [DEMO_JANE_ICCID, freshIccid()]) {
        const res = await post(seedTopup(undefined, iccid));
        expect(res.status).toBe(422);
        expect(res.body).toEqual({
          code: 'EMAIL_AND_ICCID_DO_NOT_MATCH',
          message: `Email john@doe.com and ICCID ${iccid} do not match each other`,
        });
      }
    });

    it('400 INVALID_REQUEST_PARAMS for a currency the customer does not support, naming the field', async () => {
      const body = seedNewEsim();
      body.input.subscriptions[0]!.currency = 'GBP';
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'INVALID_REQUEST_PARAMS',
        message: 'input.subscriptions[0].currency: GBP is not a currency the customer supports (USD, EUR)',
      });
    });

    it('compares e-mail addresses case-insensitively: a TOPUP by John@Doe.COM finds john@doe.com and his eSIM', async () => {
      const body = seedTopup(future(0, 1000));
      body.input.customer.email = 'John@Doe.COM';
      const res = await post(body);
      expect(res.status).toBe(201);
      expect(await finalOf(res.body.externalId)).toMatchObject({ status: 'COMPLETED', output: { iccid: DEMO_JOHN_ICCID } });
    });

    it('creates no second customer for an address that differs only in case, and keeps the existing one\'s data', async () => {
      const body = seedNewEsim();
      body.input.customer = { email: 'JANE@doe.com', countryOfResidence: 'US' };
      // Jane supports EUR only; a customer created anew would support USD too (ESIM_DEFAULT_CURRENCIES).
      body.input.subscriptions[0] = { ...body.input.subscriptions[0]!, price: 10, currency: 'USD' };
      const refused = await post(body);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe('input.subscriptions[0].currency: USD is not a currency the customer supports (EUR)');
      body.input.subscriptions[0]!.currency = 'EUR';
      const res = await post(body);
      expect(res.status).toBe(201);
      expect((await finalOf(res.body.externalId)).status).toBe('COMPLETED');
      const janes = await em().find(EsimCustomerSchema, { tenantId: 'demo', email: { $in: ['jane@doe.com', 'JANE@doe.com'] } });
      expect(janes.map((c) => [c.email, c.firstName])).toEqual([['jane@doe.com', 'Jane']]);
    });

    it('lets a rejected request be sent again: a 422 orders nothing and leaves no order behind', async () => {
      const body = seedTopup();
      body.input.customer.email = 'again@doe.com';
      const first = await post(body).set('Idempotency-Key', 'retry-after-422');
      const second = await post(body).set('Idempotency-Key', 'retry-after-422');
      expect([first.status, second.status]).toEqual([422, 422]);
      expect(second.body.code).toBe('CUSTOMER_MUST_EXIST');
      const externalId = deriveId('demo', 'esim-order', 'retry-after-422');
      expect((await get(externalId)).status).toBe(404);
      const desc = await env.client.workflow.getHandle(esimOrderWorkflowId(externalId)).describe();
      expect(desc.status.name).toBe('FAILED');
      expect(desc.typedSearchAttributes.get(OrderStatus)).toBe('REJECTED');
    });
  });

  describe('BULK_ACTIVATION activates only unowned stock of the caller\'s tenant or the customer\'s own eSIMs (issue 15)', () => {
    const bulkOf = (email: string, ...subscriptions: { id: string; iccid: string[] }[]) => {
      const body = seedBulk();
      body.input.customer.email = email;
      body.input.subscriptions = subscriptions.map((s) => ({ ...s, activationDate: future(0, 1000) }));
      return body;
    };
    const plansOf = (key: string) => em().count(SimulatedEsimPlanSchema, { planId: { $like: `${deriveId('demo', 'esim-order', key)}%` } });

    it('422 EMAIL_AND_ICCID_DO_NOT_MATCH naming an ICCID another customer owns (john\'s, for a new customer); nothing of the order is activated', async () => {
      const [stock] = await freshStock(db.orm, 1);
      const res = await post(bulkOf('newcomer@example.com', { id: 'a3mM0000000Dcmr', iccid: [stock!, DEMO_JOHN_ICCID] })).set('Idempotency-Key', `bulk-john-${kind}`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'EMAIL_AND_ICCID_DO_NOT_MATCH',
        message: `Email newcomer@example.com and ICCID ${DEMO_JOHN_ICCID} do not match each other (input.subscriptions[0].iccid[1])`,
      });
      expect(await plansOf(`bulk-john-${kind}`)).toBe(0);
      expect(await em().count(SimulatedEsimPlanSchema, { iccid: stock! })).toBe(0);
      expect(await em().count(EsimCustomerEsimSchema, { iccid: { $in: [stock!, DEMO_JOHN_ICCID] }, email: 'newcomer@example.com' })).toBe(0);
      expect(await em().count(EsimCustomerSchema, { email: 'newcomer@example.com' })).toBe(0);
    });

    it('422 for another tenant\'s stock and for an ICCID in nobody\'s stock, the first named and the others listed', async () => {
      const foreign = DEMO_STOCK_ICCIDS.other[0]!;
      const unknown = freshIccid();
      const res = await post(bulkOf('test_customer_e2e@gmail.com', { id: 'a3mM0000000Dcmr', iccid: [DEMO_STOCK_ICCIDS.demo[9]!, foreign, unknown] }));
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'EMAIL_AND_ICCID_DO_NOT_MATCH',
        message: `Email test_customer_e2e@gmail.com and ICCID ${foreign} do not match each other (input.subscriptions[0].iccid[1]); neither do 1 more ICCIDs of this order: ${unknown}`,
      });
      // Tenant "other" may hand out its own stock.
      const ok = await post(bulkOf('buyer@other.example', { id: 'a3u3z000000PZBhAAO', iccid: [foreign] }), other);
      expect(ok.status).toBe(201);
    });

    it('accepts unowned stock of the caller\'s tenant, which the customer then owns: another customer is refused it, the owner (any case of e-mail) is not', async () => {
      const iccid = DEMO_STOCK_ICCIDS.demo[0]!;
      const res = await post(bulkOf('stock.buyer@example.com', { id: 'a3mM0000000Dcmr', iccid: [iccid] }));
      expect(res.status).toBe(201);
      const done = await finalOf(res.body.externalId);
      expect(done).toMatchObject({ status: 'COMPLETED', output: [{ iccid, status: 'ACTIVATED' }] });
      const owner = await em().findOneOrFail(EsimCustomerEsimSchema, { tenantId: 'demo', iccid });
      expect(owner).toMatchObject({ email: 'stock.buyer@example.com', externalId: res.body.externalId });

      const someoneElse = await post(bulkOf('someone.else@example.com', { id: 'a3mM0000000Dcmw', iccid: [iccid] }));
      expect(someoneElse.status).toBe(422);
      expect(someoneElse.body.code).toBe('EMAIL_AND_ICCID_DO_NOT_MATCH');
      const again = await post(bulkOf('Stock.Buyer@Example.com', { id: 'a3mM0000000Dcmw', iccid: [iccid] }));
      expect(again.status).toBe(201);
      expect(await finalOf(again.body.externalId)).toMatchObject({ status: 'COMPLETED' });
    });

    it('400 INVALID_REQUEST_PARAMS for a product repeated on one ICCID, naming where it repeats; nothing ordered', async () => {
      const [iccid] = await freshStock(db.orm, 1);
      const res = await post(bulkOf('test_customer_e2e@gmail.com', { id: 'a3mM0000000Dcmr', iccid: [iccid!] }, { id: 'a3mM0000000Dcmr', iccid: [iccid!] }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST_PARAMS');
      expect(res.body.message).toBe(`input.subscriptions[1].iccid[0]: ICCID ${iccid} already gets product a3mM0000000Dcmr from input.subscriptions[0]: each product at most once per ICCID`);
      expect(await em().count(SimulatedEsimPlanSchema, { iccid: iccid! })).toBe(0);
    });

    it(`400 INVALID_REQUEST_PARAMS past ${MAX_BULK_ACTIVATIONS} ICCIDs in one order, naming the first one too many`, async () => {
      const iccids = Array.from({ length: MAX_BULK_ACTIVATIONS + 1 }, () => freshIccid());
      const res = await post(bulkOf('test_customer_e2e@gmail.com', { id: 'a3mM0000000Dcmr', iccid: iccids.slice(0, 5000) }, { id: 'a3mM0000000Dcmw', iccid: iccids.slice(5000) }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'input.subscriptions[1].iccid[5000]', message: `is one ICCID too many: a BULK_ACTIVATION activates at most ${MAX_BULK_ACTIVATIONS} ICCIDs in all subscriptions together` },
      ]);
    });
  });

  describe('bad input: 400 INVALID_REQUEST_PARAMS naming the field, and nothing ordered', () => {
    const counts = async () => [await em().count(EsimOrderRecordSchema, {}), await em().count(SimulatedEsimPlanSchema, {})];

    it('names a malformed ICCID first (the seed\'s TOPUP placeholder 123456789), then every other wrong field', async () => {
      const body = seedTopup(future(1), '123456789');
      body.input.device.type = 'watch';
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST_PARAMS');
      expect(res.body.message).toBe(
        'input.esim.iccid: must be an ICCID: 19 or 20 digits ending in a valid Luhn check digit; input.device.type: must be one of iot, ios, android',
      );
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['input.esim.iccid', 'input.device.type']);
    });

    it('orders nothing of a BULK_ACTIVATION when one ICCID of one subscription is wrong', async () => {
      const before = await counts();
      const body = seedBulk();
      body.input.subscriptions[1]!.iccid = ['8944474600000101811, 8944474600000101812'];
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('input.subscriptions[1].iccid[1]: must be an ICCID: 19 or 20 digits ending in a valid Luhn check digit');
      expect(await counts()).toEqual(before);
    });

    it('answers malformed JSON and a past activationDate with the field, never a 500', async () => {
      const malformed = await api(h, demo).post(PATH).set('Content-Type', 'application/json').send('{"input": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('INVALID_REQUEST_PARAMS');
      const past = await post(seedNewEsim('2019-09-13T12:00:00Z'));
      expect(past.status).toBe(400);
      expect(past.body).toMatchObject({ code: 'INVALID_REQUEST_PARAMS', message: 'input.subscriptions[0].activationDate: can not be a date in the past' });
    });

    it('answers an unexpected failure with 500 INTERNAL_ERROR carrying an error id', async () => {
      const spy = jest.spyOn(db.orm.em, 'fork').mockImplementationOnce(() => {
        throw new Error('database connection lost');
      });
      try {
        const res = await get('00000000-0000-4000-8000-000000000000');
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: `Internal error ${res.body.errorId}`, errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('idempotency', () => {
    it('one order for concurrent duplicates with one Idempotency-Key; another body with that key is 409', async () => {
      const body = seedNewEsim(future(30));
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(body).set('Idempotency-Key', 'esim-dup-1')));
      expect(answers.map((r) => r.status)).toEqual(Array(6).fill(201));
      const ids = new Set(answers.map((r) => r.body.externalId));
      expect(ids.size).toBe(1);
      const [externalId] = [...ids];
      const runs = [];
      for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${esimOrderWorkflowId(externalId!)}'` })) runs.push(wf);
      expect(runs).toHaveLength(1);
      const reused = await post(seedNewEsim(future(31))).set('Idempotency-Key', 'esim-dup-1');
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('without a key every POST is a new order (seed 001): the same TOPUP twice is two purchases', async () => {
      const body = seedTopup(future(0, 1000));
      const first = await post(body);
      const second = await post(body);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.externalId).not.toBe(first.body.externalId);
      for (const { externalId } of [first.body, second.body]) {
        expect((await finalOf(externalId)).status).toBe('COMPLETED');
        expect(await em().count(SimulatedEsimPlanSchema, { planId: { $like: `${externalId}%` } })).toBe(1);
      }
    });
  });

  describe('tenancy and roles', () => {
    it('hides one tenant\'s order from another (404 ORDER_NOT_FOUND, exactly like a missing one)', async () => {
      const res = await post(seedNewEsim(future(40)));
      expect((await get(res.body.externalId)).status).toBe(200);
      const foreign = await get(res.body.externalId, other);
      const missing = await get('00000000-0000-4000-8000-000000000000', other);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual({ code: 'ORDER_NOT_FOUND', message: `Order was not found for the given orderId ${res.body.externalId}` });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('ORDER_NOT_FOUND');
    });

    it('refuses callers without RESELLER or ACCOUNT_MANAGER (403) and without a token (401)', async () => {
      const guest = await h.token('guest');
      expect((await post(seedNewEsim(), guest)).status).toBe(403);
      expect((await request(h.app).post(PATH).send(seedNewEsim())).status).toBe(401);
      expect((await request(h.app).get(`${PATH}/x`)).status).toBe(401);
    });
  });
});
