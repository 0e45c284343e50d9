import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { WorkflowHandle } from '@temporalio/client';
import { FIBRE_DEMO } from '../src/db/fibre/demoData';
import { deriveId } from '../src/api/shared/idempotency';
import { answerSignal, offerInquiryWorkflowId } from '../src/workflows/fibre/inquiryContract';
import { deliverSignal, fibreOrderWorkflowId, rejectOrderSignal } from '../src/workflows/fibre/orderContract';
import { eventually } from '../test/support/eventually';
import { asyncInquiry, FIBRE_BASE, orderBody, syncInquiry } from '../test/support/fibreInquiryBodies';
import { runRecording } from './histories/recordScenarios';

/**
 * Runs each offer-inquiry and fibre-order path once against a real dev server and
 * saves its history under test/fixtures/histories/ (see recordScenarios). A successful
 * offer stays open for its validity, so those histories end at the step the scenario
 * is about: each scenario waits for its own end. The fibre order's are v2 (it takes
 * its offer itself; the v1 files were recorded when the API handed it over):
 * record into HISTORIES_OUT_DIR and copy the new files, so the v1 files stay as they are.
 */
runRecording({
  // The supplier answers after 2 s and a 30-day delivery takes 2 s, so the default paths finish here too.
  configEnv: { FIBRE_ASYNC_ANSWER_DELAY: '2s', FIBRE_DELIVERY_SPEEDUP: String(15 * 86400), SIM_FIBRE_SUPPLIER_LATENCY_MS: '0' },
  scenarios: ({ env, h, token }) => {
    const post = async (p: string, body: object) => {
      const res = await request(h.app).post(`${FIBRE_BASE}${p}`).set('Authorization', `Bearer ${token}`).send(body);
      if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { inquiryId: string; orderId: string };
    };
    const inquiry = (id: string) => env.client.workflow.getHandle(offerInquiryWorkflowId(id));
    const order = (id: string) => env.client.workflow.getHandle(fibreOrderWorkflowId(id));
    const stateOf = async (handle: WorkflowHandle, state: string) =>
      eventually(async () => {
        const view = (await handle.query('status')) as { status: { state: string } };
        if (view.status.state !== state) throw new Error(`still ${view.status.state}`);
      }, 30_000);
    // A refused order's run fails on purpose; its workflow id comes from the key.
    const refusedOrder = async (body: object, status: number) => {
      const key = `record-refused-${randomUUID()}`;
      const res = await request(h.app).post(`${FIBRE_BASE}/orders`).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);
      if (res.status !== status) throw new Error(`POST /orders: ${res.status} ${JSON.stringify(res.body)}, expected ${status}`);
      const handle = order(deriveId('demo', 'fiber-order', key));
      await handle.result().catch(() => undefined);
      return handle;
    };
    const ordered = async () => {
      const { inquiryId } = await post('/offerInquiry', syncInquiry());
      return (await post('/orders', orderBody(inquiryId))).orderId;
    };

    return {
      'offer-inquiry.v1.sync-failed': async () => {
        const handle = inquiry((await post('/offerInquiry', syncInquiry({ to: { pointId: FIBRE_DEMO.points.noCapacity } }))).inquiryId);
        await handle.result();
        return handle;
      },
      'offer-inquiry.v1.sync-success-ordered': async () => {
        const { inquiryId } = await post('/offerInquiry', syncInquiry());
        await post('/orders', orderBody(inquiryId));
        return inquiry(inquiryId);
      },
      'offer-inquiry.v1.async-answered-by-ops': async () => {
        const handle = inquiry((await post('/offerInquiry', asyncInquiry())).inquiryId);
        await handle.signal(answerSignal, { success: true, oneTimeFee: 20000, monthlyFee: 1500, deliveryDurationDays: 45, connectionId: 'STHLM-0042' });
        await stateOf(handle, 'DONE_ASYNC_ANSWER_SUCCESS');
        return handle;
      },
      'offer-inquiry.v1.async-answered-by-supplier': async () => {
        const handle = inquiry((await post('/offerInquiry', asyncInquiry())).inquiryId);
        await stateOf(handle, 'DONE_ASYNC_ANSWER_SUCCESS');
        return handle;
      },
      'offer-inquiry.v1.async-declined-by-supplier': async () => {
        const handle = inquiry((await post('/offerInquiry', asyncInquiry({ to: { pointId: FIBRE_DEMO.points.noCapacity } }))).inquiryId);
        await handle.result();
        return handle;
      },
      'fiber-order.v2.delivered-by-ops': async () => {
        const handle = order(await ordered());
        await handle.signal(deliverSignal, { connectionId: 'STHLM-P2P-0001' });
        await handle.result();
        return handle;
      },
      'fiber-order.v2.rejected-by-ops': async () => {
        const handle = order(await ordered());
        await handle.signal(rejectOrderSignal, { message: 'The property owner refused access.' });
        await handle.result();
        return handle;
      },
      'fiber-order.v2.delivered-by-supplier': async () => {
        const handle = order(await ordered());
        await eventually(() => handle.result(), 30_000);
        return handle;
      },
      // Refused by the inquiry's workflow (still waiting for its answer): the run fails on purpose.
      'fiber-order.v2.refused-still-waiting': async () => {
        const { inquiryId } = await post('/offerInquiry', asyncInquiry());
        return refusedOrder(orderBody(inquiryId), 409);
      },
      // Refused before the offer is asked for: the invoice group is not the client's.
      'fiber-order.v2.refused-invoice-group': async () => {
        const { inquiryId } = await post('/offerInquiry', syncInquiry());
        return refusedOrder(orderBody(inquiryId, { invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId }), 422);
      },
    };
  },
});
