import request from 'supertest';
import { holdSignal, mefOrderWorkflowId, releaseSignal } from '../src/workflows/mefOrders/contract';
import { eventually } from '../test/support/eventually';
import { mefOrder } from '../test/support/mefOrders';
import { runRecording } from './histories/recordScenarios';

/**
 * Runs each MEF order path once against a real dev server and saves its history
 * as test/fixtures/histories/mef-order.v1.<scenario>.json (see recordScenarios).
 */
runRecording({
  configEnv: {
    MEF_STEP_DESIGN: '200ms',
    MEF_STEP_INSTALL: '2s',
    MEF_STEP_ACTIVATE: '200ms',
    MEF_CANCELLATION_ASSESSMENT: '300ms',
    MEF_CLOSED_ORDER_WINDOW: '1s',
    SIM_MEF_SELLER_LATENCY_MS: '0',
  },
  settle: (handle) => eventually(() => handle.result(), 60_000),
  scenarios: ({ env, h, token }) => {
    const as = <T extends request.Test>(r: T) => r.set('Authorization', `Bearer ${token}`);
    const post = async (p: string, body: object) => (await as(request(h.app).post(p)).send(body)).body;
    const itemsIn = (id: string, state: string) =>
      eventually(async () => {
        const res = await as(request(h.app).get(`/orders/${id}/status`));
        if (!res.body.orderItems.some((i: { state: string }) => i.state === state)) throw new Error(`no item in ${state} yet`);
      });
    const mef = (id: string) => env.client.workflow.getHandle(mefOrderWorkflowId(id));
    return {
      'mef-order.v1.completed': async () => mef((await post('/orders', mefOrder())).id),
      'mef-order.v1.rejected': async () => mef((await post('/orders', mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-0'; }))).id),
      'mef-order.v1.partial': async () => mef((await post('/orders', mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-FAIL'; }))).id),
      'mef-order.v1.held-and-released': async () => {
        const { id } = await post('/orders', mefOrder());
        await post(`/orders/${id}/hold`, { reason: 'budget' });
        await post(`/orders/${id}/notifications`, { note: 'back soon' });
        await post('/orders/status-request', { orderId: id });
        await post(`/orders/${id}/release`, {});
        return mef(id);
      },
      'mef-order.v1.signals-and-patch': async () => {
        const { id } = await post('/orders', mefOrder());
        const handle = mef(id);
        await handle.signal(holdSignal, { reason: 'ops' });
        await as(request(h.app).patch(`/orders/${id}`)).set('If-Match', '"1"').send({ projectId: 'PRJ-1' });
        await handle.signal(releaseSignal, {});
        return handle;
      },
      'mef-order.v1.cancelled-at-once': async () => {
        const { id } = await post('/orders', mefOrder((o) => { o.requestedStartDate = '2099-01-01T00:00:00Z'; }));
        await post(`/orders/${id}/cancel`, { reason: 'not needed' });
        return mef(id);
      },
      'mef-order.v1.cancel-assessed': async () => {
        const { id } = await post('/orders', mefOrder());
        await itemsIn(id, 'INSTALL');
        await post(`/orders/${id}/cancel`, { reason: 'site sold' });
        return mef(id);
      },
      'mef-order.v1.pending-then-note': async () => {
        const { id } = await post('/orders', mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-ACCESS'; }));
        await itemsIn(id, 'WAITING_FOR_BUYER');
        await post(`/orders/${id}/notifications`, { note: 'site access Monday' });
        return mef(id);
      },
    };
  },
});
