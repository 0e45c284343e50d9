import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { OfferInquirySchema } from '../../src/api/fibre/inquiriesSchema';
import { FibreInquiryRecordSchema } from '../../src/db/entities';
import { simulatedFibreSupplier } from '../../src/external/fibre/supplier';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import { answerSignal, offerInquiryWorkflowId, placeOrderUpdate, submitInquiryUpdate } from '../../src/workflows/fibre/inquiryContract';
import { offerInquiryWorkflow } from '../../src/workflows/fibre/inquiryWorkflow';
import { freshDatabase, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { asyncInquiry } from '../support/fibreInquiryBodies';
import { testConfig } from '../support/harness';
import { startDevServer } from '../support/temporal';
import { runWithWorker } from '../support/workflowTests';

/**
 * The read model shows an async answer a moment before the inquiry workflow's own
 * view does (the completion activity writes it). A client that sees
 * DONE_ASYNC_ANSWER_SUCCESS in GET and orders at once must get its order, not a 409
 * "still waiting". The completion activity is held open here to make that moment long.
 */
describe('an order placed while the inquiry\'s async answer is being recorded', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;

  beforeAll(async () => {
    env = await startDevServer();
    db = await freshDatabase('libsql');
  });
  afterAll(async () => {
    await db?.drop();
    await env?.teardown();
  });

  it('is taken once the answer is recorded, with the answered offer', async () => {
    const real = createActivities({
      config: testConfig(),
      orm: db.orm,
      provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
      fibreSupplier: simulatedFibreSupplier({ latencyMs: 0, transientFailures: 0 }),
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const activities = {
      ...real,
      // The real completion (feed row and read model written), then held until the order is in flight.
      async completeAsyncInquiry(rec: Parameters<typeof real.completeAsyncInquiry>[0]) {
        const done = await real.completeAsyncInquiry(rec);
        await gate;
        return done;
      },
    };
    await runWithWorker(env, activities, async (taskQueue) => {
      const inquiryId = randomUUID();
      const handle = await env.client.workflow.start(offerInquiryWorkflow, {
        taskQueue,
        workflowId: offerInquiryWorkflowId(inquiryId),
        args: [{ inquiryId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', inquiry: OfferInquirySchema.parse(asyncInquiry()) }, { asyncAnswerDelay: '1 hour', offerValidityDays: 30 }],
      });
      await handle.executeUpdate(submitInquiryUpdate, { args: [{ requestHash: 'h' }] });
      await handle.signal(answerSignal, { success: true, offerValidUntilDate: '2099-12-31' });
      await eventually(async () => {
        const row = await db.orm.em.fork().findOneOrFail(FibreInquiryRecordSchema, { inquiryId });
        expect(row.state).toBe('DONE_ASYNC_ANSWER_SUCCESS');
      });
      const ordering = handle.executeUpdate(placeOrderUpdate, { args: [{ orderId: 'order-1', tenantId: 'demo' }] });
      await new Promise((r) => setTimeout(r, 500));
      release();
      await expect(ordering).resolves.toMatchObject({ inquiryId, offerValidUntilDate: '2099-12-31' });
    });
  });
});
