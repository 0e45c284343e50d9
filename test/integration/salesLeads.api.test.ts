import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DEMO_PLANNED_ACCESS_ID, DEMO_UNCONNECTABLE_ACCESS_ID } from '../../src/db/salesLeads/demoData';
import { SalesLeadRecordSchema, SimulatedActivationSchema } from '../../src/db/entities';
import { OrderStatus, TenantId, CorrelationId, ApiFamily } from '../../src/workflows/shared/searchAttributes';
import { approveSignal, rejectSignal, salesLeadWorkflowId, statusQuery } from '../../src/workflows/salesLeads/contract';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, useStack } from '../support/harness';
import { SEED_EXAMPLE_BODY, validLead } from '../support/leads';
import { SEED_OFFERING_ID, SEED_PRODUCT_ID } from '../../src/db/salesLeads/demoData';
import { deriveId } from '../../src/api/shared/idempotency';

const PATH = '/2.5/sp_spec/sales_leads/';

describe.each(DATABASE_KINDS)('sales leads through the API, worker and dev server on %s', (kind) => {
  const stack = useStack(kind);
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, db, h, demo, other } = await signIn(stack)));

  const post = (body: unknown, token = demo) => api(h, token).post(PATH, body);
  const get = (orderId: string, token = demo) => api(h, token).get(`${PATH}${orderId}`);
  const statusOf = (orderId: string, status: string) =>
    eventually(async () => {
      const res = await get(orderId);
      expect(res.body.status).toBe(status);
      return res.body as { status: string; message: string; orderId: string };
    });

  it('answers the seed example with 400 FAILED naming every wrong field, personnummer in the seed\'s words', async () => {
    const res = await post(SEED_EXAMPLE_BODY);
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('FAILED');
    expect(res.body.message).toContain('Social security number is missing or incorrect.');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual([
      'customerDetails.customerEmail',
      'customerDetails.customerMobilePhone',
      'customerDetails.customerPhone',
      'customerDetails.invoiceDetails.postalCode',
      'customerDetails.personalIdentityNumber',
    ]);
    expect(res.body.cause).toContain('Social security number is missing or incorrect.');
    expect(res.body.cause).not.toContain('customerDetails.personalIdentityNumber');
  });

  it('answers a lead whose only fault is the identity number with exactly the seed\'s 400: FAILED, cause and message', async () => {
    const res = await post(validLead({}, { personalIdentityNumber: '198507099806' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'FAILED',
      cause: 'Social security number is missing or incorrect.',
      message: 'Social security number is missing or incorrect.',
      errors: [{ field: 'customerDetails.personalIdentityNumber', message: 'Social security number is missing or incorrect.' }],
    });
    const malformed = await api(h, demo).post(PATH).set('Content-Type', 'application/json').send('{"accessId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 'FAILED', cause: expect.stringContaining('Malformed JSON'), message: expect.any(String) });
    // Only a 400 is FAILED: the seed lists no status for the others.
    expect((await get('no-such-lead')).body).toEqual({ cause: 'Sales lead no-such-lead not found', message: 'Sales lead no-such-lead not found' });
  });

  it('answers a lead for a service the catalogue does not have with the seed\'s 400 "Unknown service", starting nothing', async () => {
    const lead = validLead({ products: [{ productId: SEED_PRODUCT_ID, offeringId: SEED_OFFERING_ID }, { productId: 'INTERNET', offeringId: 'bb-100' }] });
    const res = await post(lead).set('Idempotency-Key', 'unknown-service-1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'FAILED',
      cause: "Unknown service: 'INTERNET'",
      message: "Unknown service: 'INTERNET'",
      errors: [{ field: 'products.1.productId', message: "Unknown service: 'INTERNET'" }],
    });
    const orderId = deriveId('demo', 'sales-lead', 'unknown-service-1');
    await expect(env.client.workflow.getHandle(salesLeadWorkflowId(orderId)).describe()).rejects.toThrow(WorkflowNotFoundError);
    expect(await db.orm.em.fork().count(SalesLeadRecordSchema, { orderId })).toBe(0);
  });

  it('accepts a valid lead with RECEIVED, then activates it; the provisioning system holds one activation', async () => {
    const res = await post(validLead()).set('X-Correlation-ID', 'corr-accept-1');
    expect(res.status).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('corr-accept-1');
    expect(res.body.status).toBe('RECEIVED');
    expect(res.body.message).toMatch(/accepted; activation is scheduled as soon as possible/);
    const done = await statusOf(res.body.orderId, 'ACTIVATED');
    expect(done.message).toMatch(/activated \(service id SVC-/);
    const em = db.orm.em.fork();
    expect(await em.count(SimulatedActivationSchema, { orderId: res.body.orderId })).toBe(1);

    const handle = env.client.workflow.getHandle(salesLeadWorkflowId(res.body.orderId));
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(ApiFamily)).toBe('sales-leads');
    expect(desc.typedSearchAttributes.get(TenantId)).toBe('demo');
    expect(desc.typedSearchAttributes.get(CorrelationId)).toBe('corr-accept-1');
    await handle.result();
    expect((await handle.describe()).typedSearchAttributes.get(OrderStatus)).toBe('ACTIVATED');
    expect(await handle.query(statusQuery)).toEqual(done);
  });

  it('rejects a lead for an access point that is not in the network, with a message for the end customer', async () => {
    const res = await post(validLead({ accessId: 'ffffffffffffffffffffffffffffffff' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'REJECT', message: expect.stringContaining('is not in our network') });
  });

  it('rejects a lead whose offering is not in the catalogue for its product, and one for a planned access point', async () => {
    const unknownOffering = await post(validLead({ products: [{ productId: '8732c2f065e2490babce820e94b1011a', offeringId: 'nope' }] }));
    expect(unknownOffering.body).toMatchObject({ status: 'REJECT', message: expect.stringContaining('offering nope is not offered') });
    const planned = await post(validLead({ accessId: DEMO_PLANNED_ACCESS_ID }));
    expect(planned.body).toMatchObject({ status: 'REJECT', message: expect.stringContaining('cannot be connected yet') });
  });

  it('ends in REJECT with the reason when the provisioning system refuses for good', async () => {
    const res = await post(validLead({ accessId: DEMO_UNCONNECTABLE_ACCESS_ID }));
    expect(res.body.status).toBe('RECEIVED');
    const done = await statusOf(res.body.orderId, 'REJECT');
    expect(done.message).toContain('could not be activated');
  });

  it('holds an unidentified customer for review until ops approve; reject carries the operator\'s message', async () => {
    const approved = await post(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
    expect(approved.body).toMatchObject({ status: 'RECEIVED', message: expect.stringContaining('manual review') });
    const row = await db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId: approved.body.orderId });
    expect(row.stage).toBe('IN_REVIEW');
    await env.client.workflow.getHandle(salesLeadWorkflowId(approved.body.orderId)).signal(approveSignal, {});
    await statusOf(approved.body.orderId, 'ACTIVATED');

    const rejected = await post(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
    await env.client.workflow
      .getHandle(salesLeadWorkflowId(rejected.body.orderId))
      .signal(rejectSignal, { message: 'We could not verify the customer.' });
    const done = await statusOf(rejected.body.orderId, 'REJECT');
    expect(done.message).toBe('We could not verify the customer.');
  });

  it('starts one workflow for concurrent duplicate POSTs with one Idempotency-Key', async () => {
    const lead = validLead({ requestedDateTime: '2099-01-01T00:00:00Z' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(lead).set('Idempotency-Key', 'dup-key-1')));
    const ids = new Set(answers.map((r) => r.body.orderId));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids];
    const runs = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${salesLeadWorkflowId(orderId!)}'` })) runs.push(wf);
    expect(runs).toHaveLength(1);
  });

  it('refuses a reused Idempotency-Key with another body (409, as in every family) and leaves the first lead alone', async () => {
    const first = await post(validLead({ requestedDateTime: '2099-01-01T00:00:00Z' })).set('Idempotency-Key', 'reuse-key');
    expect(first.status).toBe(200);
    const second = await post(validLead()).set('Idempotency-Key', 'reuse-key');
    expect(second.status).toBe(409);
    expect(second.body.cause).toContain('Idempotency-Key was already used');
    expect((await get(first.body.orderId)).body.status).toBe('RECEIVED');
  });

  it('answers a retry of a finished lead with its final state instead of starting it again', async () => {
    const lead = validLead();
    const first = await post(lead).set('Idempotency-Key', 'finished-key');
    await statusOf(first.body.orderId, 'ACTIVATED');
    await env.client.workflow.getHandle(salesLeadWorkflowId(first.body.orderId)).result();
    const retry = await post(lead).set('Idempotency-Key', 'finished-key');
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ orderId: first.body.orderId, status: 'ACTIVATED' });
  });

  it('hides one tenant\'s lead from another (404) and refuses callers without the CO role', async () => {
    const res = await post(validLead({ requestedDateTime: '2099-01-01T00:00:00Z' }));
    expect((await get(res.body.orderId, other)).status).toBe(404);
    expect((await get(res.body.orderId)).status).toBe(200);
    const guest = await h.token('guest');
    expect((await post(validLead(), guest)).status).toBe(403);
    expect((await request(h.app).post(PATH).send(validLead())).status).toBe(401);
  });
});
