import { SimulatedEsimPlanSchema, SimulatedEsimProfileSchema } from '../../src/db/entities';
import { isValidIccid } from '../../src/domain/esimOrders/iccid';
import { EsimPlatformRejectedError, httpEsimPlatform, simulatedEsimPlatform } from '../../src/external/esimOrders/esimPlatform';
import { freshDatabase, TestDatabase } from '../support/databases';
import { answerJson as answer, failureOf, useStubServer } from '../support/stubServer';

const stub = useStubServer();

const PLAN = {
  planId: 'order-1:s0',
  iccid: '8944474600000101811',
  productId: 'a3u3z000000PZBhAAO',
  type: 'REGULAR',
  dataValue: 1,
  dataUnit: 'GB',
  price: 10,
  currency: 'USD',
  autoRenew: false,
};
const PROFILE = { iccid: '8944474600000101811', matchingId: 'M-1', smdpUrl: 'rsp.example' };

describe('the HTTP eSIM platform adapter against a local stub', () => {
  const platform = () => httpEsimPlatform(`${stub.url}/`, 2000);

  it('orders a profile with PUT /profiles/{orderId}, the order id URL-encoded', async () => {
    stub.answer = answer(202, {});
    await platform().orderProfile({ orderId: 'a/b', countryCode: 'PT', device: { type: 'ios', id: '1' }, customer: { email: 'john@doe.com' } });
    expect(stub.seen).toEqual([
      { method: 'PUT', url: '/profiles/a%2Fb', body: { countryCode: 'PT', device: { type: 'ios', id: '1' }, customer: { email: 'john@doe.com' } } },
    ]);
  });

  it('reads IN_PROGRESS, READY with the profile, and FAILED with its reason from GET /profiles/{orderId}', async () => {
    stub.answer = answer(200, { state: 'IN_PROGRESS' });
    expect(await platform().profileStatus('o1')).toEqual({ state: 'IN_PROGRESS' });
    stub.answer = answer(200, { state: 'READY', ...PROFILE });
    expect(await platform().profileStatus('o1')).toEqual({ state: 'READY', ...PROFILE });
    stub.answer = answer(200, { state: 'FAILED', reason: 'no stock' });
    expect(await platform().profileStatus('o1')).toEqual({ state: 'FAILED', reason: 'no stock' });
    expect(stub.seen.map((s) => `${s.method} ${s.url}`)).toEqual(Array(3).fill('GET /profiles/o1'));
  });

  it('treats an unknown state and a READY without its profile as transient', async () => {
    stub.answer = answer(200, { state: 'SOMETHING' });
    expect(await failureOf(platform().profileStatus('o1'))).not.toBeInstanceOf(EsimPlatformRejectedError);
    stub.answer = answer(200, { state: 'READY', iccid: 'x' });
    const err = await failureOf(platform().profileStatus('o1'));
    expect(err).not.toBeInstanceOf(EsimPlatformRejectedError);
    expect(err.message).toBe('eSIM platform answered READY without iccid, matchingId and smdpUrl');
  });

  it('activates a plan with PUT /plans/{planId} and returns the profile', async () => {
    stub.answer = answer(200, PROFILE);
    expect(await platform().activatePlan(PLAN)).toEqual(PROFILE);
    const { planId: _id, ...body } = PLAN;
    expect(stub.seen).toEqual([{ method: 'PUT', url: '/plans/order-1%3As0', body }]);
  });

  it('takes a 422 as a refusal for good, carrying the platform\'s message', async () => {
    stub.answer = answer(422, { message: 'ICCID blocked' });
    const err = await failureOf(platform().activatePlan(PLAN));
    expect(err).toBeInstanceOf(EsimPlatformRejectedError);
    expect(err.message).toBe('ICCID blocked');
  });

  it('retries 5xx, 429 and 408 (plain errors, not refusals)', async () => {
    for (const status of [503, 429, 408]) {
      stub.answer = answer(status);
      const err = await failureOf(platform().activatePlan(PLAN));
      expect(err).not.toBeInstanceOf(EsimPlatformRejectedError);
      expect(err.message).toBe(`eSIM platform answered HTTP ${status}`);
    }
  });

  it('deactivates with DELETE /plans/{planId}; a 404 means already gone', async () => {
    stub.answer = answer(204);
    await platform().deactivatePlan({ planId: 'p1', iccid: PLAN.iccid });
    stub.answer = answer(404, { message: 'no such plan' });
    await platform().deactivatePlan({ planId: 'p1', iccid: PLAN.iccid });
    expect(stub.seen.map((s) => `${s.method} ${s.url}`)).toEqual(Array(2).fill(`DELETE /plans/p1?iccid=${PLAN.iccid}`));
  });

  it('gives up on a platform that never answers after its timeout, transiently', async () => {
    stub.answer = () => {
      // never answer; afterAll closes the connection
    };
    const started = Date.now();
    const err = await failureOf(httpEsimPlatform(stub.url, 200).profileStatus('o-hang'));
    expect(err.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('the simulated eSIM platform', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase('libsql');
  });
  afterAll(async () => {
    await db?.drop();
  });
  const settings = { latencyMs: 0, pollsUntilReady: 2, readyAfterMs: 0, transientFailures: 0, rejectIccids: ['8944474600000999990'] };
  const request = (orderId: string) => ({ orderId, countryCode: 'PT', device: { type: 'ios', id: '1' }, customer: { email: 'a@b.c' } });

  it('keeps one profile per order however often, and however concurrently, it is ordered', async () => {
    const sim = simulatedEsimPlatform(db.orm, settings);
    await Promise.all(Array.from({ length: 5 }, () => sim.orderProfile(request('order-dup'))));
    await sim.orderProfile(request('order-dup'));
    const profiles = await db.orm.em.fork().find(SimulatedEsimProfileSchema, { orderId: 'order-dup' });
    expect(profiles).toHaveLength(1);
    expect(isValidIccid(profiles[0]!.iccid)).toBe(true);
  });

  it('answers "in progress" for the configured number of polls, counted in the database across instances', async () => {
    await simulatedEsimPlatform(db.orm, settings).orderProfile(request('order-poll'));
    expect(await simulatedEsimPlatform(db.orm, settings).profileStatus('order-poll')).toEqual({ state: 'IN_PROGRESS' });
    expect(await simulatedEsimPlatform(db.orm, settings).profileStatus('order-poll')).toEqual({ state: 'IN_PROGRESS' });
    expect(await simulatedEsimPlatform(db.orm, settings).profileStatus('order-poll')).toMatchObject({ state: 'READY' });
  });

  it('injects transient failures and refuses the configured ICCIDs for good; plans are idempotent and undoable', async () => {
    const flaky = simulatedEsimPlatform(db.orm, { ...settings, transientFailures: 1 });
    await expect(flaky.activatePlan({ ...PLAN, planId: 'p-flaky' })).rejects.toThrow('transient failure 1/1');
    await flaky.activatePlan({ ...PLAN, planId: 'p-flaky' });
    await flaky.activatePlan({ ...PLAN, planId: 'p-flaky' });
    expect(await db.orm.em.fork().count(SimulatedEsimPlanSchema, { planId: 'p-flaky', status: 'ACTIVE' })).toBe(1);
    const steady = simulatedEsimPlatform(db.orm, settings);
    await steady.deactivatePlan({ planId: 'p-flaky', iccid: PLAN.iccid });
    await steady.deactivatePlan({ planId: 'p-flaky', iccid: PLAN.iccid });
    expect((await db.orm.em.fork().findOneOrFail(SimulatedEsimPlanSchema, { planId: 'p-flaky' })).status).toBe('DEACTIVATED');
    const err = await failureOf(steady.activatePlan({ ...PLAN, planId: 'p-blocked', iccid: '8944474600000999990' }));
    expect(err).toBeInstanceOf(EsimPlatformRejectedError);
  });
});
