import request from 'supertest';
import { EsimOrderRecordSchema, SimulatedEsimProfileSchema } from '../../src/db/entities';
import { createWorker } from '../../src/worker/createWorker';
import { eventually } from '../support/eventually';
import { future, seedNewEsim } from '../support/esimOrders';
import { testConfig, useStack } from '../support/harness';

// Six "not ready" answers a second or two apart: the order is mid-poll for several seconds.
const POLLING = { ESIM_ANSWER_TIMEOUT_MS: '2000', SIM_ESIM_POLLS_UNTIL_READY: '6', ESIM_POLL_INITIAL_INTERVAL: '1s', ESIM_POLL_MAX_INTERVAL: '2s', SIM_ESIM_LATENCY_MS: '0' };

describe('an eSIM order whose worker stops in the middle of polling', () => {
  const stack = useStack('libsql', { configEnv: POLLING });

  it('completes once a new worker runs, with one profile and one ICCID', async () => {
    const { env, db, h } = stack;
    const em = () => db.orm.em.fork();
    const token = await h.token('demo');
    const res = await request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${token}`).send(seedNewEsim());
    expect(res.status).toBe(201);
    const { externalId } = res.body as { externalId: string };

    // Mid-poll: the platform has the profile and has answered "not ready" at least once.
    await eventually(async () => {
      const profile = await em().findOneOrFail(SimulatedEsimProfileSchema, { orderId: externalId });
      expect(profile.polls).toBeGreaterThanOrEqual(1);
    });
    await h.stop();
    const pollsAtStop = (await em().findOneOrFail(SimulatedEsimProfileSchema, { orderId: externalId })).polls;
    expect(pollsAtStop).toBeLessThan(7);

    // No worker: the retry timer fires on the server but nothing polls.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await em().findOneOrFail(EsimOrderRecordSchema, { externalId })).stage).toBe('WAITING_FOR_PROFILE');

    const worker = await createWorker({ config: testConfig(POLLING), connection: env.nativeConnection, orm: db.orm, taskQueue: h.taskQueue });
    const handle = env.client.workflow.getHandle(`esim-order-${externalId}`);
    const done = await worker.runUntil(async () => {
      await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED' });
      return em().findOneOrFail(EsimOrderRecordSchema, { externalId });
    });
    expect(done.status).toBe('COMPLETED');
    const profiles = await em().find(SimulatedEsimProfileSchema, { orderId: externalId });
    expect(profiles).toHaveLength(1);
    expect(profiles[0]!.polls).toBe(7);
    expect(JSON.parse(done.output!)).toMatchObject({ iccid: profiles[0]!.iccid });
    expect(await em().count(SimulatedEsimProfileSchema, { iccid: profiles[0]!.iccid })).toBe(1);
  });

  it('answers 503 with Retry-After when no worker checks the order in time; the retry with the same key gets the order', async () => {
    const { env, db, h } = stack; // the worker was stopped by the test above
    const token = await h.token('demo');
    const body = seedNewEsim(future(0, 5000));
    const send = () => request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'no-worker-yet').send(body);
    const started = Date.now();
    const first = await send();
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('5');
    expect(Date.now() - started).toBeLessThan(10_000);

    const worker = await createWorker({ config: testConfig(POLLING), connection: env.nativeConnection, orm: db.orm, taskQueue: h.taskQueue });
    await worker.runUntil(async () => {
      const retry = await send();
      expect(retry.status).toBe(201);
      const handle = env.client.workflow.getHandle(`esim-order-${retry.body.externalId}`);
      await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED' });
      expect(await db.orm.em.fork().count(SimulatedEsimProfileSchema, { orderId: retry.body.externalId })).toBe(1);
    });
  });
});
