import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { simulatedFibreSupplier } from '../../src/external/fibre/supplier';
import { FIBRE_DEMO } from '../../src/db/fibre/demoData';
import { FibreOrderRecordSchema } from '../../src/db/entities';
import { readFeed } from '../../src/feeds/feedStore';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import {
  InquiryView,
  OfferForOrder,
  OfferInquiryRequest,
  offerInquiryWorkflowId,
  placeOrderUpdate,
  inquiryStatusQuery,
  submitInquiryUpdate,
} from '../../src/workflows/fibre/inquiryContract';
import { FibreOrderInput, fibreOrderWorkflowId, orderStatusQuery, OrderView, submitOrderUpdate } from '../../src/workflows/fibre/orderContract';
import { offerInquiryWorkflow } from '../../src/workflows/fibre/inquiryWorkflow';
import { fiberOrderWorkflow } from '../../src/workflows/fibre/orderWorkflow';
import { OfferInquirySchema } from '../../src/api/fibre/inquiriesSchema';
import { testConfig } from '../support/harness';
import { freshDatabase, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { asyncInquiry, orderBody, syncInquiry } from '../support/fibreInquiryBodies';
import { startTimeSkippingServer } from '../support/temporal';
import { testDataConverter } from '../support/payloadKeys';
import { workflowCode } from '../support/workflowCode';

const DAY = 24 * 60 * 60 * 1000;

async function workflowDurationMs(handle: { fetchHistory(): Promise<{ events?: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }[] | null }> }): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  const ms = (e: (typeof events)[number]) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
  return ms(events[events.length - 1]!) - ms(events[0]!);
}

/** Timers of days (the async answer delay, the offer's validity, the delivery) pass at once here. */
describe('offer inquiry and fibre order workflows on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;


  // One worker for the whole file: offers from earlier tests stay open for their
  // validity, and their timers fire while later tests skip time; without a worker
  // to run those workflow tasks the server would stop skipping.
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `wf-${randomUUID()}`;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
    db = await freshDatabase('libsql');
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      dataConverter: testDataConverter(),
      activities: createActivities({
        config: testConfig(),
        orm: db.orm,
        provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
        fibreSupplier: simulatedFibreSupplier({ latencyMs: 0, transientFailures: 0 }),
      }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.drop();
    await env?.teardown();
  });
  const withWorker = <T>(fn: (taskQueue: string) => Promise<T>): Promise<T> => fn(taskQueue);

  async function startInquiry(taskQueue: string, body: Record<string, unknown>, asyncAnswerDelay = '3 days') {
    const inquiryId = randomUUID();
    const inquiry: OfferInquiryRequest = OfferInquirySchema.parse(body);
    const handle = await env.client.workflow.start(offerInquiryWorkflow, {
      taskQueue,
      workflowId: offerInquiryWorkflowId(inquiryId),
      args: [{ inquiryId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', inquiry }, { asyncAnswerDelay, offerValidityDays: 30 }],
    });
    const first: InquiryView = await handle.executeUpdate(submitInquiryUpdate, { args: [{ requestHash: 'h' }] });
    return { handle, first, inquiryId };
  }

  function startOrder(taskQueue: string, offer: OfferForOrder, deliverySpeedUp = 1) {
    const orderId = randomUUID();
    return env.client.workflow.start(fiberOrderWorkflow, {
      taskQueue,
      workflowId: fibreOrderWorkflowId(orderId),
      args: [{ orderId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', order: orderBody(offer.inquiryId) as never, offer }, { deliverySpeedUp }],
    });
  }

  it('lets the supplier answer an async inquiry once the configured delay has passed, not before', async () => {
    await withWorker(async (taskQueue) => {
      const startedAt = await env.currentTimeMs();
      const { handle, first } = await startInquiry(taskQueue, asyncInquiry());
      expect(first.status.state).toBe('WAIT_ASYNC_ANSWER');
      await env.sleep('2 days');
      expect((await handle.query(inquiryStatusQuery)).status.state).toBe('WAIT_ASYNC_ANSWER');
      await env.sleep('1 day');
      const answered = await eventually(async () => {
        const view = await handle.query(inquiryStatusQuery);
        expect(view.status.state).toBe('DONE_ASYNC_ANSWER_SUCCESS');
        return view;
      });
      expect(answered.product.price?.status).toBe('OFFER');
      expect(answered.asyncStatusMessage).toBe('Answered by the supplier.');
      // doneDateTime is the feed's clock (real time); workflow time is what the server skipped.
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 3 * DAY);
      const inFeed = await readFeed(db.orm, { feed: 'inquiries', tenantId: 'demo', limit: 10_000 });
      expect(inFeed.find((e) => e.entityId === answered.inquiryId)?.doneDateTime.toISOString()).toBe(answered.status.doneDateTime);
    });
  });

  it('has the supplier decline an async inquiry the network cannot deliver, after the delay', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, first } = await startInquiry(taskQueue, asyncInquiry({ to: { pointId: FIBRE_DEMO.points.noCapacity } }), '6 hours');
      expect(first.status.state).toBe('WAIT_ASYNC_ANSWER');
      const final = await handle.result();
      expect(final.status).toMatchObject({ state: 'DONE_ASYNC_ANSWER_FAILED', message: expect.stringContaining('No capacity') });
      expect(await workflowDurationMs(handle)).toBeGreaterThanOrEqual(6 * 60 * 60 * 1000);
    });
  });

  it('takes an order while the offer is valid, and closes the offer once offerValidUntilDate has passed', async () => {
    await withWorker(async (taskQueue) => {
      const valid = await startInquiry(taskQueue, syncInquiry());
      expect(valid.first.status.state).toBe('DONE_SUCCESS');
      const expired = await startInquiry(taskQueue, syncInquiry());
      await env.sleep('29 days');
      const offer = await valid.handle.executeUpdate(placeOrderUpdate, { args: [{ orderId: 'o-1', tenantId: 'demo' }] });
      expect(offer).toMatchObject({ inquiryId: valid.inquiryId, supplier: 'STOKAB', offerValidUntilDate: valid.first.offerValidUntilDate });
      await env.sleep('2 days');
      // Past the end of offerValidUntilDate the inquiry's workflow has ended: nothing can order it any more.
      expect(await expired.handle.result()).toMatchObject({ status: { state: 'DONE_SUCCESS' } });
      await expect(expired.handle.executeUpdate(placeOrderUpdate, { args: [{ orderId: 'o-2', tenantId: 'demo' }] })).rejects.toBeInstanceOf(WorkflowNotFoundError);
      const expiry = Date.parse(`${expired.first.offerValidUntilDate}T00:00:00Z`) + DAY;
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(expiry);
    });
  });

  it('has the supplier deliver an order after deliveryDurationDays, durably, and appends it to the orders feed', async () => {
    await withWorker(async (taskQueue) => {
      const { first } = await startInquiry(taskQueue, syncInquiry());
      const offer: OfferForOrder = { ...first, deliveryDurationDays: 20, offerValidUntilDate: first.offerValidUntilDate! } as OfferForOrder;
      const handle = await startOrder(taskQueue, offer);
      const placed: OrderView = await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
      expect(placed.status.state).toBe('WAIT_DELIVERY');
      const final = await handle.result();
      expect(final.status.state).toBe('DELIVERED');
      expect(final.connectionId).toMatch(/^STOKAB-/);
      expect(await workflowDurationMs(handle)).toBeGreaterThanOrEqual(20 * DAY);
      const row = await db.orm.em.fork().findOneOrFail(FibreOrderRecordSchema, { orderId: final.orderId });
      expect(row.state).toBe('DELIVERED');
      const inFeed = await readFeed(db.orm, { feed: 'orders', tenantId: 'demo', limit: 10_000 });
      expect(inFeed.find((e) => e.entityId === final.orderId)?.payload).toEqual({ orderId: final.orderId, state: 'DELIVERED', message: final.status.message });
    });
  });

  it('divides the delivery wait by the demo speed-up factor', async () => {
    await withWorker(async (taskQueue) => {
      const { first } = await startInquiry(taskQueue, syncInquiry());
      const offer = { ...first, deliveryDurationDays: 20, offerValidUntilDate: first.offerValidUntilDate! } as OfferForOrder;
      const handle = await startOrder(taskQueue, offer, 24);
      const final = await handle.result();
      expect(final.status.state).toBe('DELIVERED');
      // Workflow time from start to completion, from the history: other tests' timers make the server skip further afterwards.
      const waited = await workflowDurationMs(handle);
      expect(waited).toBeGreaterThanOrEqual(20 * 60 * 60 * 1000);
      expect(waited).toBeLessThan(DAY);
    });
  });

  /** The order's workflow takes its offer itself (the API sends no offer). */
  function startOrderTakingItsOffer(taskQueue: string, inquiryId: string, overrides: Record<string, unknown> = {}) {
    const orderId = randomUUID();
    const input: FibreOrderInput = { orderId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', order: orderBody(inquiryId, overrides) as never };
    return env.client.workflow.start(fiberOrderWorkflow, { taskQueue, workflowId: fibreOrderWorkflowId(orderId), args: [input, { deliverySpeedUp: 1 }] });
  }

  it('is refused without an order when its invoice group is not the client\'s: the update and the run fail with the refusal (BENIGN), and the offer stays open', async () => {
    const { inquiryId } = await startInquiry(taskQueue, syncInquiry());
    const handle = await startOrderTakingItsOffer(taskQueue, inquiryId, { invoiceGroupId: FIBRE_DEMO.otherInvoiceGroupId });
    const refused = await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] }).then(() => undefined, (err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvoiceGroupNotFound', message: `Invoice group ${FIBRE_DEMO.otherInvoiceGroupId} not found for this client` });
    expect(await db.orm.em.fork().count(FibreOrderRecordSchema, { inquiryId })).toBe(0);
    // The offer was never asked for: a corrected order takes it (before result() below lets the server skip past the offer's validity).
    const corrected = await startOrderTakingItsOffer(taskQueue, inquiryId);
    const placed = await corrected.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
    expect(placed).toMatchObject({ inquiryId, supplier: 'STOKAB', status: { state: 'WAIT_DELIVERY' }, invoiceGroupId: FIBRE_DEMO.demoInvoiceGroupId });
    const failed = await handle.result().then(() => undefined, (err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect((failed as WorkflowFailedError).cause).toMatchObject({ type: 'InvoiceGroupNotFound', category: 'BENIGN' });
    // No order to show (the query's reason is an encoded failure; the run's failure above says why).
    await expect(handle.query(orderStatusQuery)).rejects.toThrow();
  });

  it('is refused with the inquiry\'s own reason (still waiting), typed for the API\'s 409', async () => {
    const { inquiryId } = await startInquiry(taskQueue, asyncInquiry());
    const handle = await startOrderTakingItsOffer(taskQueue, inquiryId);
    const refused = await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] }).then(() => undefined, (err: unknown) => err);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InquiryNotOrderable', message: expect.stringContaining('still waiting for its answer') });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  });

  it('survives a crash of the hand-over after the inquiry handed the offer over: the retried activity gets the same offer, and the order is placed once', async () => {
    const { inquiryId, first } = await startInquiry(taskQueue, syncInquiry());
    // Another queue, whose worker's first hand-over attempt dies once the inquiry has already said yes.
    const crashingQueue = `wf-crash-${randomUUID()}`;
    const activities = createActivities({
      config: testConfig(),
      orm: db.orm,
      provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
      fibreSupplier: simulatedFibreSupplier({ latencyMs: 0, transientFailures: 0 }),
    });
    let attempts = 0;
    const crashing = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: crashingQueue,
      ...workflowCode(),
      dataConverter: testDataConverter(),
      activities: {
        ...activities,
        async takeFibreOffer(args: Parameters<typeof activities.takeFibreOffer>[0]) {
          const taken = await activities.takeFibreOffer(args);
          attempts += 1;
          if (attempts === 1) throw new Error('the worker died before it could report the hand-over');
          return taken;
        },
      },
    });
    const handle = await crashing.runUntil(async () => {
      const h = await startOrderTakingItsOffer(crashingQueue, inquiryId);
      const placed = await h.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
      expect(placed).toMatchObject({ inquiryId, supplier: 'STOKAB', product: first.product, status: { state: 'WAIT_DELIVERY' } });
      return h;
    });
    expect(attempts).toBe(2);
    const orderId = handle.workflowId.replace('fiber-order-', '');
    // The offer is this order's: another order is refused, naming it.
    const inquiry = env.client.workflow.getHandle(offerInquiryWorkflowId(inquiryId));
    await expect(inquiry.executeUpdate(placeOrderUpdate, { args: [{ orderId: 'another', tenantId: 'demo' }] })).rejects.toMatchObject({
      cause: { type: 'OfferAlreadyOrdered', message: expect.stringContaining(`orderId ${orderId}`) },
    });
    expect(await db.orm.em.fork().count(FibreOrderRecordSchema, { inquiryId })).toBe(1);
    await handle.terminate('test over');
  });
});
