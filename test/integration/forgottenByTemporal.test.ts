import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { PublicIdSchema, SalesLeadRecordSchema } from '../../src/db/entities';
import { PUBLIC_ID_FINISHED } from '../../src/activities/shared/publicIds';
import { requestHash } from '../../src/api/shared/idempotency';
import { esimOrderWorkflowId } from '../../src/workflows/esimOrders/contract';
import { deliverSignal, fibreOrderWorkflowId, orderStatusQuery } from '../../src/workflows/fibre/orderContract';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { offerInquiryWorkflowId } from '../../src/workflows/fibre/inquiryContract';
import { SALES_LEAD_WORKFLOW_TYPE, salesLeadWorkflowId } from '../../src/workflows/salesLeads/contract';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { seedNewEsim } from '../support/esimOrders';
import { eventually } from '../support/eventually';
import { FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { Harness, startHarness, useStack } from '../support/harness';
import { startDevServer } from '../support/temporal';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';

/**
 * Issue 15: Temporal forgets a closed workflow after its retention; the database
 * remembers every public id for good. A resend of a finished order, in every family,
 * gets the answer it got while Temporal still had the workflow; no new workflow starts,
 * and nothing the order became changes.
 *
 * "Forgotten" is a second dev server on the same database: an API and worker that
 * reach a Temporal that never had the workflow, which is what retention leaves. (`temporal
 * workflow delete` does the same but takes 30 to 50 s per workflow on the SDK's dev
 * server, measured; a second server costs one start.)
 */
/** Where a request goes: an API (with its worker and Temporal) and the demo client's token there. */
interface Via {
  h: Harness;
  demo: string;
}

const CONFIG = {
  // Long enough for a cancel to land during design.
  MEF_STEP_DESIGN: '3s',
  MEF_STEP_INSTALL: '200ms',
  MEF_STEP_ACTIVATE: '200ms',
  MEF_CANCELLATION_ASSESSMENT: '100ms',
  MEF_CLOSED_ORDER_WINDOW: '200ms',
  SIM_MEF_SELLER_LATENCY_MS: '0',
  SIM_ESIM_LATENCY_MS: '0',
  SIM_ESIM_POLLS_UNTIL_READY: '0',
  SIM_FIBRE_SUPPLIER_LATENCY_MS: '0',
};

describe.each(DATABASE_KINDS)('a finished order after Temporal forgot it, on %s', (kind) => {
  const stack = useStack(kind, { configEnv: CONFIG });
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string;
  // The same database behind a Temporal that has forgotten everything.
  let forgetful: Via & { env: TestWorkflowEnvironment };
  beforeAll(async () => {
    ({ env, db, h, demo } = await signIn(stack));
    const otherEnv = await startDevServer();
    const otherH = await startHarness(otherEnv, db, { configEnv: CONFIG });
    forgetful = { env: otherEnv, h: otherH, demo: await otherH.token('demo') };
  });
  afterAll(async () => {
    await forgetful?.h.stop();
    await forgetful?.env.teardown();
  });

  const closed = async (workflowId: string) => {
    const { status } = await env.client.workflow.getHandle(workflowId).describe();
    expect(status.name).not.toBe('RUNNING');
  };
  /** No workflow by that id in the forgetful Temporal: the resend started nothing. */
  const stillForgotten = async (workflowId: string) =>
    expect(forgetful.env.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const publicIdRow = (workflowId: string) => db.orm.em.fork().findOneOrFail(PublicIdSchema, { workflowId });

  /**
   * The proof, alike for every family: a resend through the Temporal that forgot gives
   * the status and body a resend got while Temporal still had the workflow; that Temporal
   * starts nothing; the record and the read model do not change; another body under the
   * same key is still 409.
   */
  async function resendAfterForgetting(o: {
    workflowId: string;
    resend: (via: Via) => Promise<{ status: number; body: unknown }>;
    read: () => Promise<unknown>;
    another?: (via: Via) => Promise<{ status: number; body: unknown }>;
  }): Promise<void> {
    const here = { h, demo };
    const before = await o.resend(here);
    const readBefore = await o.read();
    const recorded = await publicIdRow(o.workflowId);
    expect(recorded.finishedAt).toBeInstanceOf(Date);

    const after = await o.resend(forgetful);
    expect({ status: after.status, body: after.body }).toEqual({ status: before.status, body: before.body });
    await stillForgotten(o.workflowId);
    expect(await o.read()).toEqual(readBefore);
    expect(await publicIdRow(o.workflowId)).toEqual(recorded);
    if (o.another) expect((await o.another(forgetful)).status).toBe(409);
    await stillForgotten(o.workflowId);
  }

  it('sales lead: ACTIVATED stays ACTIVATED, answered from the database', async () => {
    const lead = validLead();
    const key = `forgotten-lead-${kind}`;
    const post = (via: Via) => api(via.h, via.demo).post('/2.5/sp_spec/sales_leads/', lead).set('Idempotency-Key', key);
    const first = await post({ h, demo });
    expect(first.status).toBe(200);
    const { orderId } = first.body;
    const workflowId = salesLeadWorkflowId(orderId);
    await eventually(async () => expect((await api(h, demo).get(`/2.5/sp_spec/sales_leads/${orderId}`)).body.status).toBe('ACTIVATED'));
    await eventually(() => closed(workflowId));
    await resendAfterForgetting({
      workflowId,
      resend: post,
      read: async () => db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId }),
      another: (via) =>
        api(via.h, via.demo)
          .post('/2.5/sp_spec/sales_leads/', validLead({ accessId: lead.accessId }, { customerFirstname: 'Other' }))
          .set('Idempotency-Key', key),
    });
    expect((await post(forgetful)).body).toMatchObject({ status: 'ACTIVATED', orderId });
  });

  it('sales lead: a run started on a finished id behind the API\'s back (its check skipped) fails and overwrites nothing', async () => {
    const lead = validLead();
    const first = await api(h, demo).post('/2.5/sp_spec/sales_leads/', lead);
    const { orderId } = first.body;
    const workflowId = salesLeadWorkflowId(orderId);
    await eventually(async () => expect((await api(h, demo).get(`/2.5/sp_spec/sales_leads/${orderId}`)).body.status).toBe('ACTIVATED'));
    await eventually(() => closed(workflowId));
    const row = await db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId });

    // What a resend would start if the database had been unreachable when the API asked it.
    const input = { orderId, tenantId: 'demo', correlationId: 'behind-the-back', requestHash: requestHash(lead), lead };
    const run = await forgetful.env.client.workflow.start(SALES_LEAD_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: forgetful.h.taskQueue,
      args: [input, { reviewDeadline: '1 day' }],
    });
    const failure = await run.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const root = (failure as WorkflowFailedError).cause?.cause;
    expect(root).toBeInstanceOf(ApplicationFailure);
    expect((root as ApplicationFailure).type).toBe(PUBLIC_ID_FINISHED);
    expect(await db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId })).toEqual(row);
  });

  it('eSIM order: COMPLETED, the resend answers 201 ACCEPTED with the same externalId', async () => {
    const body = seedNewEsim(new Date(Date.now() + 200).toISOString());
    const key = `forgotten-esim-${kind}`;
    const post = (via: Via) => api(via.h, via.demo).post('/esim/v1/order', body).set('Idempotency-Key', key);
    const first = await post({ h, demo });
    expect(first.status).toBe(201);
    const { externalId } = first.body;
    const get = async () => (await api(h, demo).get(`/esim/v1/order/${externalId}`)).body;
    await eventually(async () => expect((await get()).status).toBe('COMPLETED'));
    const workflowId = esimOrderWorkflowId(externalId);
    await eventually(() => closed(workflowId));
    await resendAfterForgetting({
      workflowId,
      resend: post,
      read: get,
      another: (via) => api(via.h, via.demo).post('/esim/v1/order', seedNewEsim()).set('Idempotency-Key', key),
    });
    expect((await post(forgetful)).body).toEqual({ externalId, status: 'ACCEPTED' });
  });

  it('MEF order: a CANCELLED order resent (same buyer and PO number) stays CANCELLED; no new workflow', async () => {
    const po = `PO-FORGOTTEN-${kind}`;
    const body = mefOrder((o) => {
      o.buyerPurchaseOrderNumber = po;
    });
    const anotherBody = mefOrder((o) => {
      o.buyerPurchaseOrderNumber = po;
      o.buyerOrderContact.name = 'Jane Doe';
    });
    const post = (via: Via) => api(via.h, via.demo).post('/orders', body);
    const first = await post({ h, demo });
    expect(first.status).toBe(201);
    const { id } = first.body;
    expect((await api(h, demo).post(`/orders/${id}/cancel`, {})).status).toBe(200);
    const get = async () => (await api(h, demo).get(`/orders/${id}`)).body;
    await eventually(async () => expect((await get()).orderStatus).toBe('CANCELLED'));
    const workflowId = mefOrderWorkflowId(id);
    await eventually(() => closed(workflowId));
    await resendAfterForgetting({ workflowId, resend: post, read: get, another: (via) => api(via.h, via.demo).post('/orders', anotherBody) });
    expect((await post(forgetful)).body).toMatchObject({ id, orderStatus: 'CANCELLED' });
  });

  it('fibre inquiry and order: the answered inquiry and the DELIVERED order answer their resends from the database', async () => {
    const inquiryBody = syncInquiry();
    const inquire = (via: Via) => api(via.h, via.demo).post(`${FIBRE_BASE}/offerInquiry`, inquiryBody);
    const inquiry = await inquire({ h, demo });
    expect(inquiry.status).toBe(201);
    const { inquiryId } = inquiry.body;
    const key = `forgotten-order-${kind}`;
    const orderPost = (via: Via) => api(via.h, via.demo).post(`${FIBRE_BASE}/orders`, orderBody(inquiryId)).set('Idempotency-Key', key);
    const placed = await orderPost({ h, demo });
    expect(placed.status).toBe(201);
    const { orderId } = placed.body;
    const orderWorkflow = env.client.workflow.getHandle(fibreOrderWorkflowId(orderId));
    await orderWorkflow.signal(deliverSignal, { connectionId: 'FORGOTTEN-1' });
    const delivered = await orderWorkflow.result();
    expect(delivered.status.state).toBe('DELIVERED');
    await expect(orderWorkflow.query(orderStatusQuery)).resolves.toEqual(delivered);

    await resendAfterForgetting({
      workflowId: fibreOrderWorkflowId(orderId),
      resend: orderPost,
      read: async () => (await api(h, demo).get(`${FIBRE_BASE}/orders/${orderId}`)).body,
      another: (via) =>
        api(via.h, via.demo)
          .post(`${FIBRE_BASE}/orders`, orderBody(inquiryId, { endCustomer: { ...(orderBody(inquiryId).endCustomer as object), companyName: 'Another AB' } }))
          .set('Idempotency-Key', key),
    });
    expect((await orderPost(forgetful)).body).toEqual(delivered);

    // The inquiry's answer is final (DONE_SUCCESS) while its workflow still keeps the offer open.
    await resendAfterForgetting({
      workflowId: offerInquiryWorkflowId(inquiryId),
      resend: inquire,
      read: async () => (await api(h, demo).get(`${FIBRE_BASE}/inquiries/${inquiryId}`)).body,
    });
    expect((await inquire(forgetful)).body).toEqual(inquiry.body);
  });
});
