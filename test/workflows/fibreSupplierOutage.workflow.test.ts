import { randomUUID } from 'node:crypto';
import { createActivities } from '../../src/activities';
import { simulatedFibreSupplier } from '../../src/external/fibre/supplier';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import { OfferInquirySchema } from '../../src/api/fibre/inquiriesSchema';
import { answerSignal, InquiryView, OfferForOrder, offerInquiryWorkflowId, inquiryStatusQuery, submitInquiryUpdate } from '../../src/workflows/fibre/inquiryContract';
import { deliverSignal, fibreOrderWorkflowId, orderStatusQuery, submitOrderUpdate } from '../../src/workflows/fibre/orderContract';
import { offerInquiryWorkflow } from '../../src/workflows/fibre/inquiryWorkflow';
import { fiberOrderWorkflow } from '../../src/workflows/fibre/orderWorkflow';
import { asyncInquiry, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { testConfig } from '../support/harness';
import { runWithWorker, useTimeSkipping } from '../support/workflowTests';

/**
 * A supplier down for longer than its activity's retry budget (a day for an answer,
 * a week for a delivery): the simulated supplier with failure injection on every call.
 * Nothing accepted may be lost: the workflow keeps running and takes the operator's signal.
 */
describe('fibre workflows when the supplier stays down past its retry budget (time-skipping)', () => {
  const stack = useTimeSkipping();
  // The simulated supplier with failure injection on every call: down for good.
  const activities = () =>
    createActivities({
      config: testConfig(),
      orm: stack.db.orm,
      provisioning: simulatedProvisioning(stack.db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
      fibreSupplier: simulatedFibreSupplier({ latencyMs: 0, transientFailures: Number.MAX_SAFE_INTEGER }),
    });

  async function startInquiry(taskQueue: string, body: Record<string, unknown>) {
    const { env } = stack;
    const inquiryId = randomUUID();
    const handle = await env.client.workflow.start(offerInquiryWorkflow, {
      taskQueue,
      workflowId: offerInquiryWorkflowId(inquiryId),
      args: [{ inquiryId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', inquiry: OfferInquirySchema.parse(body) }, { asyncAnswerDelay: '1 hour', offerValidityDays: 30 }],
    });
    const first: InquiryView = await handle.executeUpdate(submitInquiryUpdate, { args: [{ requestHash: 'h' }] });
    return { handle, first };
  }

  it('keeps an async inquiry waiting for the operator once the supplier has failed for a day, and takes the operator\'s answer', () =>
    runWithWorker(stack.env, activities(), async (taskQueue) => {
      const { env } = stack;
      const { handle, first } = await startInquiry(taskQueue, asyncInquiry());
      expect(first.status.state).toBe('WAIT_ASYNC_ANSWER');
      await env.sleep('3 days');
      const { status } = await handle.describe();
      expect(status.name).toBe('RUNNING');
      expect((await handle.query(inquiryStatusQuery)).status.state).toBe('WAIT_ASYNC_ANSWER');
      await handle.signal(answerSignal, { success: true, oneTimeFee: 12000, monthlyFee: 500, message: 'Answered by phone' });
      const final = await handle.result();
      expect(final.status).toMatchObject({ state: 'DONE_ASYNC_ANSWER_SUCCESS', message: 'Answered by phone' });
      expect(final.asyncStatusMessage).toBe('Answered by the supplier\'s staff.');
      expect(final.product.price).toMatchObject({ oneTimeFee: 12000, monthlyFee: 500 });
    }));

  it('keeps an order waiting for the operator once the supplier has failed for a week, and takes the operator\'s delivery', () =>
    runWithWorker(stack.env, activities(), async (taskQueue) => {
      const { env } = stack;
      const { first } = await startInquiry(taskQueue, syncInquiry());
      const offer = { ...first, deliveryDurationDays: 1, offerValidUntilDate: first.offerValidUntilDate! } as OfferForOrder;
      const orderId = randomUUID();
      const handle = await env.client.workflow.start(fiberOrderWorkflow, {
        taskQueue,
        workflowId: fibreOrderWorkflowId(orderId),
        args: [{ orderId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', order: orderBody(first.inquiryId) as never, offer }, { deliverySpeedUp: 1 }],
      });
      await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
      await env.sleep('10 days');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect((await handle.query(orderStatusQuery)).status.state).toBe('WAIT_DELIVERY');
      await handle.signal(deliverSignal, { connectionId: 'CONN-BY-OPS' });
      const final = await handle.result();
      expect(final.status.state).toBe('DELIVERED');
      expect(final.connectionId).toBe('CONN-BY-OPS');
    }));
});
