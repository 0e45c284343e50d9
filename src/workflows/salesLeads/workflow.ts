import { allHandlersFinished, condition, log, patched, setHandler } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { rootMessage } from '../shared/failures';
import { opsDesk } from '../shared/opsActions';
import { parsedOrRefused } from '../shared/opsInput';
import {
  ApproveLead,
  approveLeadUpdate,
  approveSignal,
  LeadAnswer,
  LeadFailure,
  LeadStage,
  LeadStatus,
  RejectLead,
  rejectLeadUpdate,
  rejectSignal,
  SalesLeadInput,
  statusQuery,
  submitLeadUpdate,
} from './contract';
import { ownDatabase, partnerSystem } from '../shared/activityPresets';
import { allows, isTerminal, refusedMove } from '../../domain/shared/lifecycle';
import { SALES_LEAD_LIFECYCLE } from '../../domain/salesLeads/lifecycle';
import { trackedStage } from '../shared/stage';
import { answerSubmit } from '../shared/submitUpdate';
import type { SalesLeadActivities } from '../../activities/salesLeads/activities';
import { publicIdWrite } from '../shared/sameRequest';

const db = ownDatabase<SalesLeadActivities>();

export interface SalesLeadSettings {
  /** How long a lead may wait for an operator's approve/reject before it is rejected. */
  reviewDeadline: Duration;
}

// The provisioning system may be down for days; when it says the order can never work, it stops at once.
const provisioning = partnerSystem<SalesLeadActivities>({
  summary: 'The provisioning system (not ours); retried with back-off for up to 7 days unless it refuses for good',
  giveUpAfter: '7 days',
  firstRetryAfter: '5s',
  retryAtMostEvery: '30m',
  refusedForGood: [LeadFailure.provisioningRejected],
});

const PUBLIC_STATUS: Record<LeadStage, LeadStatus> = {
  ASSESSING: 'RECEIVED',
  IN_REVIEW: 'RECEIVED',
  SCHEDULED: 'RECEIVED',
  PROVISIONING: 'RECEIVED',
  ACTIVATED: 'ACTIVATED',
  REJECTED: 'REJECT',
};

/** Runs started before the lifecycle table was enforced replay as they ran, whatever moves their history holds. */
const LIFECYCLE_ENFORCED = 'sales-lead-lifecycle-table-enforced';

type ReviewDecision = { approved: true; message?: string } | { approved: false; message: string };

export async function salesLeadWorkflow(input: SalesLeadInput, settings: SalesLeadSettings): Promise<LeadAnswer> {
  const { orderId, lead } = input;
  const stage = trackedStage<LeadStage>('ASSESSING');
  let entered = false;
  let answer: LeadAnswer = { status: 'RECEIVED', message: 'The sales lead is being assessed.', orderId };
  let firstDecisionMade = false;
  // What a POST (and its retries) returns: the latest settled answer, not the
  // passing PROVISIONING stage, so the CO reads "accepted, scheduled" rather than noise.
  let settled: LeadAnswer = answer;
  let review: ReviewDecision | undefined;

  setHandler(statusQuery, () => answer);

  answerSubmit(submitLeadUpdate, {
    requestHash: input.requestHash,
    what: `sales lead (orderId ${orderId})`,
    ready: () => firstDecisionMade,
    answer: () => settled,
  });

  const ops = opsDesk({ family: 'sales-leads', publicId: orderId, state: () => stage.now });
  const reviewable = () => stage.now === 'IN_REVIEW' || stage.now === 'ASSESSING';
  const rejected = () => review !== undefined && !review.approved;
  ops.action(
    {
      action: 'approve',
      schema: ApproveLead,
      refusal: () => (reviewable() && !review ? undefined : `the lead is ${stage.now}${review ? ' and already decided' : ''}: only a lead waiting for review can be approved`),
      apply: ({ message }) => {
        review = { approved: true, message };
      },
      settled: () => !reviewable(),
      why: (i) => i.message,
    },
    approveSignal,
    approveLeadUpdate,
  );
  ops.action(
    {
      action: 'reject',
      schema: RejectLead,
      // A scheduled lead may still be rejected, even one approved while it was assessed.
      refusal: () =>
        (reviewable() && !review) || (stage.now === 'SCHEDULED' && !rejected())
          ? undefined
          : `the lead is ${stage.now}${review ? ' and already decided' : ''}: only a lead under review or scheduled can be rejected`,
      apply: ({ message }) => {
        review = { approved: false, message };
      },
      settled: () => stage.now === 'REJECTED',
      why: (i) => i.message,
    },
    rejectSignal,
    rejectLeadUpdate,
  );

  /** The one way the lead's stage changes: a move the lifecycle table does not allow is logged and not made. */
  async function enter(next: LeadStage, message: string): Promise<void> {
    const from = entered ? stage.now : undefined;
    if (!allows(SALES_LEAD_LIFECYCLE, from, next) && patched(LIFECYCLE_ENFORCED)) {
      log.warn(refusedMove(SALES_LEAD_LIFECYCLE, from, next), { orderId, message });
      return;
    }
    entered = true;
    stage.set(next);
    answer = { status: PUBLIC_STATUS[next], message, orderId };
    if (next !== 'PROVISIONING') settled = answer;
    await db.recordLeadStatus({
      orderId,
      tenantId: input.tenantId,
      accessId: lead.accessId,
      correlationId: input.correlationId,
      stage: next,
      status: answer.status,
      message,
      publicId: publicIdWrite(input, isTerminal(SALES_LEAD_LIFECYCLE, next)),
    });
  }

  function decided(): void {
    firstDecisionMade = true;
  }

  async function finish(): Promise<LeadAnswer> {
    decided();
    ops.waitingFor('');
    await condition(allHandlersFinished);
    await ops.written();
    return answer;
  }

  await enter('ASSESSING', answer.message);
  const assessment = await db.assessLead({ lead });
  if (assessment.decision === 'REJECT') {
    await enter('REJECTED', assessment.reasons.join(' '));
    return finish();
  }

  if (assessment.decision === 'REVIEW') {
    await enter('IN_REVIEW', `The sales lead is waiting for manual review: ${assessment.reasons.join(' ')}`);
    const since = new Date();
    ops.waitingFor(
      `operator review (approve or reject) since ${since.toISOString()}; rejected automatically at ${new Date(since.getTime() + msToNumber(settings.reviewDeadline)).toISOString()}.`,
    );
    decided();
    const reviewed = await condition(() => review !== undefined, settings.reviewDeadline, { summary: 'Review deadline: the lead is rejected unless an operator decides first' });
    if (!reviewed) {
      await enter('REJECTED', `The sales lead was not reviewed within ${settings.reviewDeadline} and has been rejected.`);
      return finish();
    }
    if (review && !review.approved) {
      await enter('REJECTED', review.message);
      return finish();
    }
    review = undefined; // from here on a reject signal may only cancel the scheduled activation
  }

  const activationAt = lead.requestedDateTime ? Date.parse(lead.requestedDateTime) : Date.now();
  const when = activationAt > Date.now() ? new Date(activationAt).toISOString() : 'as soon as possible';
  await enter('SCHEDULED', `The sales lead is accepted; activation is scheduled ${when === 'as soon as possible' ? when : `at ${when}`}.`);
  ops.waitingFor(`the activation date: provisioning starts ${when === 'as soon as possible' ? when : `at ${when}`} (until then a reject cancels it).`);
  decided();

  // A durable timer: the worker holds nothing while it waits, for days if needed.
  const waitMs = activationAt - Date.now();
  if (waitMs > 0) await condition(() => review !== undefined && !review.approved, waitMs, { summary: 'requestedDateTime: activation starts then (a reject cancels it)' });
  if (review && !review.approved) {
    await enter('REJECTED', review.message);
    return finish();
  }

  await enter('PROVISIONING', 'The service is being activated.');
  ops.waitingFor(`the provisioning system to activate the service (retried with back-off for up to 7 days) since ${new Date().toISOString()}.`);
  try {
    const { serviceId } = await provisioning.activateService({ orderId, lead });
    await enter('ACTIVATED', `The service is activated (service id ${serviceId}).`);
  } catch (err) {
    const reason = rootMessage(err);
    log.warn('provisioning failed', { reason });
    await enter('REJECTED', `The service could not be activated: ${reason}`);
  }
  return finish();
}
