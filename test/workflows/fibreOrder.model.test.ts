/**
 * Model-based test of the fibre order lifecycle (issue 15): random interleavings of the
 * operator's deliver and reject (updates and signals), time over the delivery timer, the
 * supplier failing for good (the order then waits for an operator), and deliver/reject
 * landing in one workflow task with the delivery timer. Every state the workflow records
 * (recordOrder, completeOrder) must be a move of FIBRE_ORDER_LIFECYCLE, the `orders` feed
 * gets one final entry, and the order ends DELIVERED or REJECTED. Runs and seeds as in
 * mefOrder.model.test.ts:
 *
 *   MODEL_RUNS=100 npx jest --runInBand test/workflows/fibreOrder.model.test.ts   (default 25 runs)
 *   MODEL_SEED=<seed> MODEL_PATH=<path> ...                                       replays a failure
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import fc from 'fast-check';
import { createActivities } from '../../src/activities';
import { simulatedFibreSupplier } from '../../src/external/fibre/supplier';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import { FIBRE_ORDER_LIFECYCLE } from '../../src/domain/fibre/orderLifecycle';
import {
  deliverOrderUpdate,
  deliverSignal,
  fibreOrderWorkflowId,
  OrderState,
  rejectOrderSignal,
  rejectOrderUpdate,
  submitOrderUpdate,
} from '../../src/workflows/fibre/orderContract';
import { fiberOrderWorkflow } from '../../src/workflows/fibre/orderWorkflow';
import { testConfig } from '../support/harness';
import { orderBody } from '../support/fibreInquiryBodies';
import { Observed } from '../support/model/moves';
import { runOpsLifecycleModel } from '../support/model/opsLifecycleModel';
import { modelRunOptions } from '../support/model/options';
import { useModelServer } from '../support/model/modelServer';
import type { FibreOrderRequest } from '../../src/workflows/fibre/orderContract';

/** Runs of a few tenths of a second each: CI affords more here than for MEF orders. */
const RUNS = 25;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('fibre order lifecycle, model-based on the time-skipping server', () => {
  const observed = new Observed(FIBRE_ORDER_LIFECYCLE);
  const completions = new Map<string, number>();
  const refuse = new Set<string>();

  const server = useModelServer((db) => {
    const activities = createActivities({
      config: testConfig(),
      orm: db.orm,
      provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
      fibreSupplier: simulatedFibreSupplier({ latencyMs: 0, transientFailures: 0 }),
    });
    const { recordOrder, completeOrder, supplierDeliverOrder } = activities;
    activities.recordOrder = async (rec) => {
      await recordOrder(rec);
      observed.move(rec.orderId, rec.view.status.state);
    };
    activities.completeOrder = async (rec) => {
      const done = await completeOrder(rec);
      observed.move(rec.orderId, rec.view.status.state);
      completions.set(rec.orderId, (completions.get(rec.orderId) ?? 0) + 1);
      return done;
    };
    activities.supplierDeliverOrder = async (req) => {
      if (refuse.delete(req.orderId)) throw ApplicationFailure.nonRetryable('the supplier cannot deliver (model)');
      return supplierDeliverOrder(req);
    };
    return activities;
  });

  it('every recorded state is a move of the lifecycle table, and every order ends DELIVERED or REJECTED, once', async () => {
    await runOpsLifecycleModel<OrderState, { deliveryDays: number }>(
      {
        lifecycle: FIBRE_ORDER_LIFECYCLE,
        observed,
        server,
        shapes: fc.record({ deliveryDays: fc.constantFrom(1, 2, 5) }),
        async start({ deliveryDays }, taskQueue) {
          const id = randomUUID();
          const inquiryId = randomUUID();
          const handle = await server.env.client.workflow.start(fiberOrderWorkflow, {
            taskQueue,
            workflowId: fibreOrderWorkflowId(id),
            args: [
              {
                orderId: id,
                tenantId: 'demo',
                correlationId: 'c-model',
                requestHash: 'h',
                order: orderBody(inquiryId) as unknown as FibreOrderRequest,
                offer: {
                  inquiryId,
                  inquiryNumber: 'INQ-MODEL',
                  supplier: 'Model Fibre',
                  product: { productId: 'P-1', name: 'Fibre 1000', price: null },
                  deliveryDurationDays: deliveryDays,
                  connectionId: null,
                  offerValidUntilDate: new Date((await server.env.currentTimeMs()) + 30 * DAY).toISOString(),
                },
              },
              { deliverySpeedUp: 1 },
            ],
          });
          await handle.executeUpdate(submitOrderUpdate, { args: [{ requestHash: 'h' }] });
          return { id, handle };
        },
        actions: {
          deliver: { update: deliverOrderUpdate as never, signal: deliverSignal as never, input: { message: 'delivered (model)', by: 'ops model' } },
          reject: { update: rejectOrderUpdate as never, signal: rejectOrderSignal as never, input: { message: 'cannot be built (model)', by: 'ops model' } },
        },
        failNext: (id) => void refuse.add(id),
        advance: fc.constantFrom(12, 24, 48).map((h) => h * HOUR),
        settleMs: DAY,
        closeOut: (handle) => handle.executeUpdate(deliverOrderUpdate, { args: [{ message: 'closed out (model)', by: 'ops model' }] }).then(() => undefined, () => undefined),
      },
      RUNS,
    );
    for (const [id, n] of completions) expect([id, n]).toEqual([id, 1]);
  }, modelRunOptions(RUNS).testTimeoutMs);
});
