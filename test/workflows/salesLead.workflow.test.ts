import { randomUUID } from 'node:crypto';
import type { Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { testConfig } from '../support/harness';
import { SalesLeadRecordSchema, SimulatedActivationSchema } from '../../src/db/entities';
import { simulatedProvisioning } from '../../src/external/salesLeads/provisioning';
import {
  approveSignal,
  LeadAnswer,
  SalesLead,
  salesLeadWorkflowId,
  submitLeadUpdate,
} from '../../src/workflows/salesLeads/contract';
import { salesLeadWorkflow } from '../../src/workflows/salesLeads/workflow';
import type { TestDatabase } from '../support/databases';
import { validLead } from '../support/leads';
import { runWithWorker, useTimeSkipping } from '../support/workflowTests';

const DAY = 24 * 60 * 60 * 1000;

describe('sales lead workflow on the time-skipping server', () => {
  const stack = useTimeSkipping();
  let env: TestWorkflowEnvironment, db: TestDatabase;
  beforeAll(() => void ({ env, db } = stack));

  async function withWorker<T>(fn: (taskQueue: string) => Promise<T>, transientFailures = 0): Promise<T> {
    const activities = createActivities({
        config: testConfig(),
        orm: db.orm,
        provisioning: simulatedProvisioning(db.orm, { latencyMs: 0, transientFailures, rejectAccessIds: [] }),
      });
    return runWithWorker(env, activities, fn);
  }

  async function submit(taskQueue: string, lead: SalesLead, reviewDeadline: Duration = '3 days') {
    const orderId = randomUUID();
    const handle = await env.client.workflow.start(salesLeadWorkflow, {
      taskQueue,
      workflowId: salesLeadWorkflowId(orderId),
      args: [{ orderId, tenantId: 'demo', correlationId: 'c-1', requestHash: 'h', lead }, { reviewDeadline }],
    });
    const first = await handle.executeUpdate(submitLeadUpdate, { args: [{ requestHash: 'h' }] });
    return { handle, first, orderId };
  }

  it('waits durably until requestedDateTime, days away, and then activates', async () => {
    const startedAt = await env.currentTimeMs();
    const requested = new Date(startedAt + 10 * DAY).toISOString();
    await withWorker(async (taskQueue) => {
      const { handle, first } = await submit(taskQueue, validLead({ requestedDateTime: requested }));
      expect(first.status).toBe('RECEIVED');
      expect(first.message).toContain(`activation is scheduled at ${requested}`);
      const final: LeadAnswer = await handle.result();
      expect(final.status).toBe('ACTIVATED');
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 10 * DAY);
    });
  });

  it('rejects a lead nobody reviewed before the review deadline, saying so', async () => {
    const startedAt = await env.currentTimeMs();
    await withWorker(async (taskQueue) => {
      const { handle, first, orderId } = await submit(
        taskQueue,
        validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }),
        '2 days',
      );
      expect(first.status).toBe('RECEIVED');
      const final: LeadAnswer = await handle.result();
      expect(final).toMatchObject({ status: 'REJECT', message: expect.stringContaining('not reviewed within 2 days') });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 2 * DAY);
      const row = await db.orm.em.fork().findOneOrFail(SalesLeadRecordSchema, { orderId });
      expect(row).toMatchObject({ status: 'REJECT', stage: 'REJECTED' });
    });
  });

  it('activates an approved lead at its requested time, not before', async () => {
    await withWorker(async (taskQueue) => {
      const startedAt = await env.currentTimeMs();
      const requested = new Date(startedAt + 5 * DAY).toISOString();
      const { handle } = await submit(
        taskQueue,
        validLead({ requestedDateTime: requested }, { identifiedCustomer: false, personalIdentityNumber: undefined }),
      );
      await handle.signal(approveSignal, { message: 'checked by phone' });
      const final: LeadAnswer = await handle.result();
      expect(final.status).toBe('ACTIVATED');
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(startedAt + 5 * DAY);
    });
  });

  it('retries transient provisioning failures with back-off and still activates, once', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, orderId } = await submit(taskQueue, validLead());
      const final: LeadAnswer = await handle.result();
      expect(final.status).toBe('ACTIVATED');
      const history = await handle.fetchHistory();
      const failures = history.events?.filter((e) => e.activityTaskStartedEventAttributes?.attempt && e.activityTaskStartedEventAttributes.attempt > 1);
      expect(failures?.[0]?.activityTaskStartedEventAttributes?.attempt).toBe(3);
      expect(await db.orm.em.fork().count(SimulatedActivationSchema, { orderId })).toBe(1);
    }, 2);
  });
});
