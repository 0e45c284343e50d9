import request from 'supertest';
import { SalesLeadRecordSchema } from '../../src/db/entities';
import { createWorker } from '../../src/worker/createWorker';
import { eventually } from '../support/eventually';
import { testConfig, useStack } from '../support/harness';
import { validLead } from '../support/leads';

describe('a worker restart in the middle of a wait', () => {
  const stack = useStack('libsql', { configEnv: { LEAD_ANSWER_TIMEOUT_MS: '2000' } });

  it('still activates the lead once a new worker picks it up', async () => {
    const { env, db, h } = stack;
    const token = await h.token('demo');
    const requested = new Date(Date.now() + 3000).toISOString();
    const res = await request(h.app)
      .post('/2.5/sp_spec/sales_leads/')
      .set('Authorization', `Bearer ${token}`)
      .send(validLead({ requestedDateTime: requested }));
    expect(res.body.status).toBe('RECEIVED');
    await h.stop();

    // Past the requested time with no worker: the timer fires but nothing can run.
    await new Promise((r) => setTimeout(r, 4000));
    const em = () => db.orm.em.fork();
    expect((await em().findOneOrFail(SalesLeadRecordSchema, { orderId: res.body.orderId })).stage).toBe('SCHEDULED');

    const worker = await createWorker({ config: testConfig(), connection: env.nativeConnection, orm: db.orm, taskQueue: h.taskQueue });
    await worker.runUntil(
      eventually(async () => {
        expect((await em().findOneOrFail(SalesLeadRecordSchema, { orderId: res.body.orderId })).status).toBe('ACTIVATED');
      }, 30_000),
    );
  });

  it('answers RECEIVED (being assessed) when no worker decides in time, and the lead is decided once one runs', async () => {
    const { env, db, h } = stack; // the worker was stopped by the test above
    const token = await h.token('demo');
    const started = Date.now();
    const res = await request(h.app)
      .post('/2.5/sp_spec/sales_leads/')
      .set('Authorization', `Bearer ${token}`)
      .send(validLead({ accessId: 'ffffffffffffffffffffffffffffffff' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'RECEIVED', message: 'The sales lead is received and is being assessed.' });
    expect(Date.now() - started).toBeLessThan(10_000);

    const worker = await createWorker({ config: testConfig(), connection: env.nativeConnection, orm: db.orm, taskQueue: h.taskQueue });
    await worker.runUntil(
      eventually(async () => {
        const row = await db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId: res.body.orderId });
        expect(row.status).toBe('REJECT');
      }, 30_000),
    );
  });
});
