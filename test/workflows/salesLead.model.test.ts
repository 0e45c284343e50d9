/**
 * Model-based test of the sales lead lifecycle (issue 15): leads that are accepted,
 * reviewed or rejected by assessment, activated now or days ahead, with random
 * interleavings of approve and reject (updates and signals), time over the review
 * deadline and the activation date, provisioning refusing for good, and approve/reject
 * landing in one workflow task with the next timer. Every stage the workflow records
 * (recordLeadStatus) must be a move of SALES_LEAD_LIFECYCLE, and the lead must end
 * ACTIVATED or REJECTED. Runs and seeds as in mefOrder.model.test.ts:
 *
 *   MODEL_RUNS=100 npx jest --runInBand test/workflows/salesLead.model.test.ts   (default 25 runs)
 *   MODEL_SEED=<seed> MODEL_PATH=<path> ...                                      replays a failure
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import fc from 'fast-check';
import { createActivities } from '../../src/activities';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import { SALES_LEAD_LIFECYCLE } from '../../src/domain/salesLeads/lifecycle';
import {
  approveLeadUpdate,
  approveSignal,
  LeadFailure,
  LeadStage,
  rejectLeadUpdate,
  rejectSignal,
  salesLeadWorkflowId,
  submitLeadUpdate,
} from '../../src/workflows/salesLeads/contract';
import { salesLeadWorkflow } from '../../src/workflows/salesLeads/workflow';
import { testConfig } from '../support/harness';
import { validLead } from '../support/leads';
import { Observed } from '../support/model/moves';
import { runOpsLifecycleModel } from '../support/model/opsLifecycleModel';
import { modelRunOptions } from '../support/model/options';
import { useModelServer } from '../support/model/modelServer';

/** Runs of a few tenths of a second each: CI affords more here than for MEF orders. */
const RUNS = 25;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Shape = { assessed: 'accept' | 'review' | 'reject'; activateInDays: number };

describe('sales lead lifecycle, model-based on the time-skipping server', () => {
  const observed = new Observed(SALES_LEAD_LIFECYCLE);
  const refuse = new Set<string>();

  const server = useModelServer((db) => {
    const activities = createActivities({
      config: testConfig(),
      orm: db.orm,
      provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures: 0, rejectAccessIds: [] }),
    });
    const { recordLeadStatus, activateService } = activities;
    activities.recordLeadStatus = async (rec) => {
      await recordLeadStatus(rec);
      observed.move(rec.orderId, rec.stage as LeadStage);
    };
    activities.activateService = async (req) => {
      if (refuse.delete(req.orderId)) throw ApplicationFailure.nonRetryable('the provisioning system refuses the order (model)', LeadFailure.provisioningRejected);
      return activateService(req);
    };
    return activities;
  });

  it('every recorded stage is a move of the lifecycle table, and every lead ends ACTIVATED or REJECTED', async () => {
    await runOpsLifecycleModel<LeadStage, Shape>(
      {
        lifecycle: SALES_LEAD_LIFECYCLE,
        observed,
        server,
        shapes: fc.record({ assessed: fc.constantFrom('accept', 'review', 'review', 'reject'), activateInDays: fc.constantFrom(0, 1, 3) }),
        async start({ assessed, activateInDays }, taskQueue) {
          const id = randomUUID();
          const requestedDateTime = new Date((await server.env.currentTimeMs()) + activateInDays * DAY).toISOString();
          const lead =
            assessed === 'accept'
              ? validLead({ requestedDateTime })
              : assessed === 'review'
                ? validLead({ requestedDateTime }, { identifiedCustomer: false, personalIdentityNumber: undefined })
                : validLead({ requestedDateTime, accessId: 'not-in-our-network' });
          const handle = await server.env.client.workflow.start(salesLeadWorkflow, {
            taskQueue,
            workflowId: salesLeadWorkflowId(id),
            args: [{ orderId: id, tenantId: 'demo', correlationId: 'c-model', requestHash: 'h', lead }, { reviewDeadline: '2 days' }],
          });
          await handle.executeUpdate(submitLeadUpdate, { args: [{ requestHash: 'h' }] });
          return { id, handle };
        },
        actions: {
          approve: { update: approveLeadUpdate as never, signal: approveSignal as never, input: { message: 'checked (model)', by: 'ops model' } },
          reject: { update: rejectLeadUpdate as never, signal: rejectSignal as never, input: { message: 'not wanted (model)', by: 'ops model' } },
        },
        failNext: (id) => void refuse.add(id),
        advance: fc.constantFrom(12, 24, 48).map((h) => h * HOUR),
        settleMs: DAY,
      },
      RUNS,
    );
  }, modelRunOptions(RUNS).testTimeoutMs);
});
