import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { holdSignal, mefOrderWorkflowId, releaseSignal } from '../src/workflows/mefOrder/contract';
import { freshDatabase } from '../test/support/databases';
import { eventually } from '../test/support/eventually';
import { startHarness } from '../test/support/harness';
import { mefOrder } from '../test/support/mefOrders';
import { startDevServer } from '../test/support/temporal';

/**
 * Runs each MEF order path once against a real dev server and saves its history
 * as test/fixtures/histories/mef-order.v1.<scenario>.json, which the replay test
 * replays against the current workflow code. Re-record only for a new workflow
 * version, and keep the old files.
 */
const OUT = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const h = await startHarness(env, db, {
    configEnv: {
      MEF_STEP_DESIGN: '200ms',
      MEF_STEP_INSTALL: '2s',
      MEF_STEP_ACTIVATE: '200ms',
      MEF_CANCELLATION_ASSESSMENT: '300ms',
      MEF_CLOSED_ORDER_WINDOW: '1s',
      SIM_MEF_SELLER_LATENCY_MS: '0',
    },
  });
  try {
    const token = await h.token('demo');
    const as = <T extends request.Test>(r: T) => r.set('Authorization', `Bearer ${token}`);
    const post = async (p: string, body: object) => (await as(request(h.app).post(p)).send(body)).body;
    const itemsIn = (id: string, state: string) =>
      eventually(async () => {
        const res = await as(request(h.app).get(`/orders/${id}/status`));
        if (!res.body.orderItems.some((i: { state: string }) => i.state === state)) throw new Error(`no item in ${state} yet`);
      });
    const scenarios: Record<string, () => Promise<string>> = {
      completed: async () => (await post('/orders', mefOrder())).id,
      rejected: async () => (await post('/orders', mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-0'; }))).id,
      partial: async () => (await post('/orders', mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-FAIL'; }))).id,
      'held-and-released': async () => {
        const { id } = await post('/orders', mefOrder());
        await post(`/orders/${id}/hold`, { reason: 'budget' });
        await post(`/orders/${id}/notifications`, { note: 'back soon' });
        await post('/orders/status-request', { orderId: id });
        await post(`/orders/${id}/release`, {});
        return id;
      },
      'signals-and-patch': async () => {
        const { id } = await post('/orders', mefOrder());
        const handle = env.client.workflow.getHandle(mefOrderWorkflowId(id));
        await handle.signal(holdSignal, { reason: 'ops' });
        await as(request(h.app).patch(`/orders/${id}`)).set('If-Match', '"1"').send({ projectId: 'PRJ-1' });
        await handle.signal(releaseSignal, {});
        return id;
      },
      'cancelled-at-once': async () => {
        const { id } = await post('/orders', mefOrder((o) => { o.requestedStartDate = '2099-01-01T00:00:00Z'; }));
        await post(`/orders/${id}/cancel`, { reason: 'not needed' });
        return id;
      },
      'cancel-assessed': async () => {
        const { id } = await post('/orders', mefOrder());
        await itemsIn(id, 'INSTALL');
        await post(`/orders/${id}/cancel`, { reason: 'site sold' });
        return id;
      },
      'pending-then-note': async () => {
        const { id } = await post('/orders', mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-ACCESS'; }));
        await itemsIn(id, 'WAITING_FOR_BUYER');
        await post(`/orders/${id}/notifications`, { note: 'site access Monday' });
        return id;
      },
    };
    fs.mkdirSync(OUT, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      const orderId = await run();
      const handle = env.client.workflow.getHandle(mefOrderWorkflowId(orderId));
      await eventually(() => handle.result(), 60_000);
      const file = path.join(OUT, `mef-order.v1.${name}.json`);
      fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await h.stop();
    await db.drop();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
