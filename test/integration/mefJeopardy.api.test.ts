import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, useStack } from '../support/harness';
import { mefOrder } from '../support/mefOrders';
import { runOpsCli } from '../support/opsCli';

/**
 * Jeopardy end to end: every seller call fails once and is retried 2 s later, so the seller
 * takes each step on after 2 s, 500 ms planned. The buyer reads it on the order, operators find the order
 * with the `Jeopardy` search attribute and `mef-orders --jeopardy`. The alert's delivery to
 * a hub listener, and held time not counting, are proved on the time-skipping server
 * (test/workflows/mefOrder.workflow.test.ts).
 */
describe.each(DATABASE_KINDS)('MEF jeopardy through the API, worker, dev server and ops CLI on %s', (kind) => {
  const stack = useStack(kind, {
    configEnv: {
      MEF_STEP_DESIGN: '300ms',
      MEF_STEP_INSTALL: '300ms',
      MEF_STEP_ACTIVATE: '300ms',
      MEF_CLOSED_ORDER_WINDOW: '1 day',
      SIM_MEF_SELLER_LATENCY_MS: '0',
      SIM_MEF_TRANSIENT_FAILURES: '1',
      MEF_SELLER_STEP_ALLOWANCE: '500ms',
    },
  });
  let env: TestWorkflowEnvironment, h: Harness, demo: string;
  beforeAll(async () => ({ env, h, demo } = await signIn(stack)));

  it('an order whose steps overrun their plan shows jeopardy with the reason, and operators find it; a rejected order is never in jeopardy', async () => {
    const placedAt = Date.now();
    const created = await api(h, demo).post('/orders', mefOrder());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // The first answer already plans the order: three steps of 300 ms from now.
    expect(created.body.jeopardy).toBe(false);
    const planned = Date.parse(created.body.expectedCompletionDate);
    expect(planned).toBeGreaterThanOrEqual(placedAt + 900 - 1000);
    expect(planned).toBeLessThan(Date.now() + 900 + 1000);
    const rejected = await api(h, demo).post('/orders', mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-999-zzz'; }));
    expect([rejected.body.orderStatus, rejected.body.jeopardy, rejected.body.expectedCompletionDate]).toEqual(['REJECTED', false, undefined]);

    const done = await eventually(async () => {
      const res = await api(h, demo).get(`/orders/${id}`);
      expect(res.body.orderStatus).toBe('COMPLETED');
      return res.body;
    }, 60_000);
    expect(done.jeopardy).toBe(true);
    expect(done.jeopardyReason).toMatch(/^Order item \S+: the seller took [\d.]+ s to take the DESIGN step on, 500 ms planned\.$/);
    expect(done.expectedCompletionDate).toBeUndefined();

    const found: string[] = [];
    await eventually(async () => {
      found.length = 0;
      for await (const wf of env.client.workflow.list({ query: `Jeopardy = 'true'` })) found.push(wf.workflowId);
      expect(found).toContain(mefOrderWorkflowId(id));
    }, 30_000);
    expect(found).not.toContain(mefOrderWorkflowId(rejected.body.id));

    const listed = await runOpsCli(stack, 'mef-orders', '--jeopardy', 'demo');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  tenant=demo  status=COMPLETED`);
    expect(listed.stdout).toContain(`jeopardy: ${done.jeopardyReason}`);
    expect(listed.stdout).not.toContain(rejected.body.id);
    expect((await runOpsCli(stack, 'mef-orders', 'demo')).stdout).toContain(rejected.body.id);
  });
});
