import request from 'supertest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { EsimOrderRecordSchema, OpsActionSchema } from '../../src/db/entities';
import { eventually } from '../support/eventually';
import { future, seedNewEsim } from '../support/esimOrders';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { Harness, ONLY_OPS_DECIDE, useStack } from '../support/harness';
import { validLead } from '../support/leads';
import { mefOrder } from '../support/mefOrders';

/**
 * Ops input is untrusted (DESIGN: Operators). Every ops action of every workflow type
 * is sent what the Temporal UI and CLI let an operator send by mistake; the workflow
 * must ignore it with a warning (signals) or refuse it with the reason (updates), never
 * fail a workflow task, and still act on the correct input that follows.
 */

interface OpsCase {
  signal: string;
  update: string;
  /** Starts a workflow waiting for this action; resolves to its id. */
  make(): Promise<string>;
  valid: Record<string, unknown>;
  /** The input with a field of the wrong type. */
  wrongType: Record<string, unknown>;
  /** The state the valid action leads to, as the update answers it. */
  after: string[];
  afterOf?(answer: Record<string, unknown>): string;
  /** Resolves once the valid action is visible through the HTTP API. */
  tookEffect(workflowId: string): Promise<void>;
}

const BAD_INPUTS = (c: OpsCase): [string, unknown][] => [
  ['no input', undefined],
  ['null', null],
  ['a number', 42],
  ['a string', 'yes'],
  ['an array', [c.valid]],
  ['a field of the wrong type', c.wrongType],
  ['an unknown field', { ...c.valid, approvedBy: 'someone' }],
];

describe('ops input from the Temporal UI or CLI is untrusted, for every ops action of every workflow type', () => {
  const stack = useStack('libsql', { configEnv: ONLY_OPS_DECIDE });
  let h: Harness;
  let demo: string;
  beforeAll(async () => {
    ({ h } = stack);
    demo = await h.token('demo');
  });
  const as = (r: request.Test) => r.set('Authorization', `Bearer ${demo}`);
  const handle = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);

  const LEADS = '/2.5/sp_spec/sales_leads/';
  const leadInReview = async () => {
    const res = await as(request(h.app).post(LEADS)).send(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
    expect(res.body.status).toBe('RECEIVED');
    expect(res.body.message).toContain('manual review');
    return `sales-lead-${res.body.orderId}`;
  };
  const leadIs = (workflowId: string, status: string, message?: string) =>
    eventually(async () => {
      const res = await as(request(h.app).get(`${LEADS}${workflowId.replace('sales-lead-', '')}`));
      expect(res.body.status).toBe(status);
      if (message) expect(res.body.message).toBe(message);
    }, 30_000);

  const inquiryWaiting = async () => {
    const res = await as(request(h.app).post(`${FIBRE_BASE}/offerInquiry`)).send(asyncInquiry());
    expect(res.body.status.state).toBe('WAIT_ASYNC_ANSWER');
    return `offer-inquiry-${res.body.inquiryId}`;
  };
  const orderWaiting = async () => {
    const inquiry = await as(request(h.app).post(`${FIBRE_BASE}/offerInquiry`)).send(syncInquiry());
    const res = await as(request(h.app).post(`${FIBRE_BASE}/orders`)).send(orderBody(inquiry.body.inquiryId));
    expect(res.status).toBe(201);
    return `fiber-order-${res.body.orderId}`;
  };
  const fibreIs = (path: string, state: string) =>
    eventually(async () => expect((await as(request(h.app).get(`${FIBRE_BASE}/${path}`))).body.status?.state).toBe(state), 30_000);

  const mefInProgress = async () => {
    const res = await as(request(h.app).post('/orders')).send(mefOrder());
    expect(res.status).toBe(201);
    return `mef-order-${res.body.id}`;
  };
  const mefIs = (workflowId: string, statuses: string[]) =>
    eventually(async () => expect(statuses).toContain((await as(request(h.app).get(`/orders/${workflowId.replace('mef-order-', '')}`))).body.orderStatus), 30_000);
  const mefAfter = (a: Record<string, unknown>) => String(a.orderStatus);

  const esimScheduled = async () => {
    const res = await as(request(h.app).post('/esim/v1/order')).send(seedNewEsim(future(10)));
    expect(res.status).toBe(201);
    const externalId = res.body.externalId as string;
    await eventually(async () => expect((await stack.db.orm.em.fork().findOne(EsimOrderRecordSchema, { externalId }))?.stage).toBe('SCHEDULED'), 30_000);
    return `esim-order-${externalId}`;
  };

  const CASES: OpsCase[] = [
    {
      signal: 'approve', update: 'approveLead', make: leadInReview,
      valid: { message: 'Checked by phone.', by: 'ops-test' }, wrongType: { message: 5 }, after: ['SCHEDULED'],
      tookEffect: (id) => leadIs(id, 'ACTIVATED'),
    },
    {
      signal: 'reject', update: 'rejectLead', make: leadInReview,
      // Spaces around the message: what the schema trims is what the CO reads, by signal or by update.
      valid: { message: '  Customer could not be verified. ' }, wrongType: { message: ['no'] }, after: ['REJECTED'],
      tookEffect: (id) => leadIs(id, 'REJECT', 'Customer could not be verified.'),
    },
    {
      signal: 'answer', update: 'answerInquiry', make: inquiryWaiting,
      valid: { success: false, message: 'No duct space.' }, wrongType: { success: 'yes' }, after: ['DONE_ASYNC_ANSWER_FAILED'],
      tookEffect: (id) => fibreIs(`inquiries/${id.replace('offer-inquiry-', '')}`, 'DONE_ASYNC_ANSWER_FAILED'),
    },
    {
      signal: 'deliver', update: 'deliverOrder', make: orderWaiting,
      valid: { connectionId: 'STHLM-P2P-0042' }, wrongType: { connectionId: 5 }, after: ['DELIVERED'],
      tookEffect: (id) => fibreIs(`orders/${id.replace('fiber-order-', '')}`, 'DELIVERED'),
    },
    {
      signal: 'reject', update: 'rejectOrder', make: orderWaiting,
      valid: { message: 'The property owner refused access.' }, wrongType: { message: false }, after: ['REJECTED'],
      tookEffect: (id) => fibreIs(`orders/${id.replace('fiber-order-', '')}`, 'REJECTED'),
    },
    {
      signal: 'cancel', update: 'cancelEsimOrder', make: esimScheduled,
      // Issue 16: the order is COMPLETED while its plan waits, and stays so; the subscription is CANCELLED.
      valid: { reason: 'trip called off' }, wrongType: { reason: 7 }, after: ['COMPLETED'],
      tookEffect: (id) =>
        eventually(async () => {
          const res = await as(request(h.app).get(`/esim/v1/order/${id.replace('esim-order-', '')}`));
          expect(res.body).toMatchObject({ status: 'COMPLETED', output: { subscriptions: [{ state: 'CANCELLED', reason: expect.stringContaining('Cancelled by an operator: trip called off') }] } });
        }, 30_000),
    },
    {
      signal: 'hold', update: 'holdOrder', make: mefInProgress,
      valid: { reason: 'credit check' }, wrongType: { reason: 5 }, after: ['HELD'], afterOf: mefAfter,
      tookEffect: (id) => mefIs(id, ['HELD']),
    },
    {
      signal: 'release', update: 'releaseOrder',
      make: async () => {
        const id = await mefInProgress();
        await handle(id).executeUpdate('holdOrder', { args: [{ reason: 'to be released' }] });
        return id;
      },
      valid: {}, wrongType: { reason: { text: 'x' } }, after: ['ACKNOWLEDGED', 'IN_PROGRESS'], afterOf: mefAfter,
      tookEffect: (id) => mefIs(id, ['ACKNOWLEDGED', 'IN_PROGRESS']),
    },
    {
      signal: 'cancel', update: 'cancelOrder', make: mefInProgress,
      valid: { reason: 'not needed' }, wrongType: { reason: null }, after: ['CANCELLED'], afterOf: mefAfter,
      tookEffect: (id) => mefIs(id, ['CANCELLED']),
    },
  ];
  const name = (c: OpsCase) => {
    const family = c.make === leadInReview ? 'sales lead' : c.make === inquiryWaiting ? 'offer inquiry' : c.make === orderWaiting ? 'fibre order' : c.make === esimScheduled ? 'eSIM order' : 'MEF order';
    return `${family} ${c.signal}`;
  };

  const workflowTaskFailures = async (h: WorkflowHandle) =>
    ((await h.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).map((e) => e.workflowTaskFailedEventAttributes?.failure?.message);
  const currentDetails = async (h: WorkflowHandle) =>
    ((await h.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '');
  const audit = (workflowId: string) => stack.db.orm.em.fork().find(OpsActionSchema, { workflowId }, { orderBy: { seq: 'asc' } });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: bad signals are ignored with a warning, then the correct signal acts', async (_name, c) => {
    const workflowId = await c.make();
    const wf = handle(workflowId);
    for (const [, input] of BAD_INPUTS(c)) {
      if (input === undefined) await wf.signal(c.signal);
      else await wf.signal(c.signal, input);
    }
    // The warning is where the operator looks: the workflow's current details in the UI.
    const details = await eventually(async () => {
      const text = await currentDetails(wf);
      expect(text).toContain('**Ignored ops input** (latest 5)');
      expect(text).toContain('Unrecognized key: "approvedBy"');
      return text;
    }, 30_000);
    expect(details).toContain(`\`${c.signal}\``);

    await wf.signal(c.signal, c.valid);
    await c.tookEffect(workflowId);
    expect(await workflowTaskFailures(wf)).toEqual([]);

    const entries = await eventually(async () => {
      const rows = await audit(workflowId);
      expect(rows.filter((r) => r.action === c.signal && r.outcome === 'ignored')).toHaveLength(BAD_INPUTS(c).length);
      expect(rows.filter((r) => r.action === c.signal && r.outcome === 'done')).toHaveLength(1);
      return rows;
    }, 30_000);
    const done = entries.find((r) => r.action === c.signal && r.outcome === 'done')!;
    expect(done.via).toBe('signal');
    expect(c.after).toContain(done.after);
    expect(done.before).not.toBe(done.after);
    expect(entries.filter((r) => r.outcome === 'ignored').map((r) => r.detail)).toEqual(
      expect.arrayContaining([expect.stringContaining('bad input (no input)'), expect.stringContaining('bad input (null)'), expect.stringContaining('bad input (an array)')]),
    );
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s as an update: bad input and the wrong state are refused with the reason; valid input answers', async (_name, c) => {
    const workflowId = await c.make();
    const wf = handle(workflowId);
    const refusal = async (input: unknown): Promise<ApplicationFailure> => {
      // No input at all is what the UI sends by default.
      const err = await wf.executeUpdate(c.update, { args: (input === undefined ? [] : [input]) as [unknown] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    };
    for (const [, input] of BAD_INPUTS(c)) {
      const failure = await refusal(input);
      expect(failure.type).toBe('InvalidInput');
      expect(failure.message).toContain(`Bad input for ${c.signal}`);
    }
    expect((await refusal(c.wrongType)).message).toMatch(/Invalid input: expected \w+, received \w+\s+→ at \w+/);

    const answer = await wf.executeUpdate<Record<string, unknown>, [Record<string, unknown>]>(c.update, { args: [{ ...c.valid, by: 'ops-test' }] });
    expect(c.after).toContain(c.afterOf ? c.afterOf(answer) : answer.after);
    await c.tookEffect(workflowId);

    // Done once is done: the same action again is refused by state, or finds the workflow completed.
    const again = await wf.executeUpdate(c.update, { args: [c.valid] }).then(() => 'accepted', (e: Error) => e);
    if (again instanceof WorkflowUpdateFailedError) expect((again.cause as ApplicationFailure).type).toBe('InvalidState');
    else expect(String((again as Error).message)).toMatch(/workflow execution already completed|aborted by closing workflow/);
    expect(await workflowTaskFailures(wf)).toEqual([]);
    // Refused updates never reach history: the audit trail has the one that was done, and who did it.
    const rows = await eventually(async () => {
      const r = await audit(workflowId);
      expect(r.filter((e) => e.action === c.signal)).toHaveLength(1);
      return r;
    }, 30_000);
    expect(rows.find((e) => e.action === c.signal)).toMatchObject({ via: 'update', outcome: 'done', by: 'ops-test' });
  });

  it('a MEF buyer reads who changed the state and why in the order\'s notifications; the ops audit trail names the client and the operator', async () => {
    const workflowId = await mefInProgress();
    const id = workflowId.replace('mef-order-', '');
    expect((await as(request(h.app).post(`/orders/${id}/hold`)).send({ reason: 'budget review' })).status).toBe(200);
    await handle(workflowId).executeUpdate('releaseOrder', { args: [{ reason: 'budget approved', by: 'alice@ops' }] });
    const changes = await eventually(async () => {
      const res = await as(request(h.app).get(`/orders/${id}/notifications`));
      const items = (res.body.items as { notificationType: string; orderStatus: string; detail?: { changedBy?: string; reason?: string } }[])
        .filter((n) => n.notificationType === 'ORDER_STATE_CHANGE')
        .map((n) => [n.orderStatus, n.detail?.changedBy, n.detail?.reason]);
      expect(items.length).toBeGreaterThanOrEqual(3);
      return items;
    }, 30_000);
    // The seller acknowledged it; the buyer held it; an operator released it. An operator's own name stays internal.
    expect(changes[0]).toEqual(['ACKNOWLEDGED', 'seller', undefined]);
    expect(changes).toContainEqual(['HELD', 'buyer', 'budget review']);
    expect(changes).toContainEqual([expect.stringMatching(/^(ACKNOWLEDGED|IN_PROGRESS)$/), 'operator', 'budget approved']);
    const rows = await eventually(async () => {
      const r = await audit(workflowId);
      expect(r).toHaveLength(2);
      return r;
    }, 30_000);
    expect(rows.map((r) => [r.action, r.via, r.by, r.reason, r.before, r.after])).toEqual([
      ['hold', 'update', 'buyer demo', 'budget review', expect.any(String), 'HELD'],
      ['release', 'update', 'alice@ops', 'budget approved', 'HELD', expect.any(String)],
    ]);
  });
});
