import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freshDatabase, TestDatabase } from '../support/databases';
import { Harness, startHarness } from '../support/harness';
import { validLead } from '../support/leads';
import { startDevServer } from '../support/temporal';
import { testDataConverter } from '../support/payloadKeys';

describe('when Temporal is unreachable', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let h: Harness;
  let token: string;
  let apiConnection: Connection;

  beforeAll(async () => {
    env = await startDevServer();
    db = await freshDatabase('libsql');
    // The API keeps its own connection open while the server goes away, as in a real outage.
    apiConnection = await Connection.connect({ address: env.address });
    h = await startHarness(env, db, { client: new Client({ connection: apiConnection, dataConverter: testDataConverter() }) });
    token = await h.token('demo');
    await h.stop();
    await env.teardown();
  });
  afterAll(async () => {
    await apiConnection?.close();
    await db?.drop();
  });

  it('answers a new lead with 503 and Retry-After, never a 500', async () => {
    const res = await request(h.app).post('/2.5/sp_spec/sales_leads/').set('Authorization', `Bearer ${token}`).send(validLead());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.cause).toContain('temporarily unavailable');
  });

  it('reports not ready, naming Temporal, while the database is fine', async () => {
    const res = await request(h.ops).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.checks.temporal).toMatch(/^failing/);
  });
});
