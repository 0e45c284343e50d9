import {
  ApplicationFailure,
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Config } from '../../config';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import {
  MEF_ORDER_WORKFLOW_TYPE,
  MefFailure,
  MefOrderInput,
  MefOrderSettings,
  MefOrderView,
  mefOrderWorkflowId,
  submitOrderUpdate,
} from '../../workflows/mefOrder/contract';
import type { mefOrderWorkflow } from '../../workflows/mefOrder/workflow';
import { HttpError } from '../shared/errors';
import { closedWorkflow } from '../../temporal/closedWorkflow';
import { mefOrderStartDetails } from './startDetails';

/**
 * The one place where the MEF order workflow's typed failures become HTTP answers:
 * a refused action or a stale version is 409 (the message names the state), a
 * changed order the seller cannot deliver is 422.
 */
const HTTP_FOR_FAILURE: Record<string, [number, string]> = {
  [MefFailure.idempotencyKeyReused]: [409, 'IDEMPOTENCY_KEY_REUSED'],
  [MefFailure.invalidState]: [409, 'INVALID_STATE'],
  [MefFailure.versionConflict]: [409, 'VERSION_CONFLICT'],
  [MefFailure.itemsFrozen]: [409, 'ORDER_ITEMS_FROZEN'],
  [MefFailure.statusResponseConflict]: [409, 'STATUS_RESPONSE_CONFLICT'],
  [MefFailure.invalidOrder]: [422, 'INVALID_ORDER'],
};

export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    const mapped = HTTP_FOR_FAILURE[err.cause.type];
    if (mapped) return new HttpError(mapped[0], mapped[1], err.cause.message);
  }
  return undefined;
}

export function settingsOf(config: Config): MefOrderSettings {
  const { env } = config;
  return {
    stepDurations: { DESIGN: env.MEF_STEP_DESIGN, INSTALL: env.MEF_STEP_INSTALL, ACTIVATE: env.MEF_STEP_ACTIVATE },
    cancellationAssessmentMs: env.MEF_CANCELLATION_ASSESSMENT,
    closedOrderWindowMs: env.MEF_CLOSED_ORDER_WINDOW,
    publicBaseUrl: env.MEF_PUBLIC_BASE_URL.replace(/\/$/, ''),
  };
}

export type SubmitResult = { kind: 'answered'; view: MefOrderView } | { kind: 'closed' };

/**
 * Update-with-Start: starts `mef-order-<id>` or attaches to the running one and
 * returns the order as the seller's validation left it. USE_EXISTING makes
 * concurrent duplicates one start; REJECT_DUPLICATE keeps a closed order from being
 * started again (the caller answers a retry from the read model). The update id is
 * random on purpose: a fixed one would replay a stale first answer to a late retry.
 */
export async function submitOrder(
  client: Client,
  opts: { taskQueue: string; settings: MefOrderSettings; answerTimeoutMs: number },
  input: MefOrderInput,
): Promise<SubmitResult> {
  const ui = mefOrderStartDetails(input);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof mefOrderWorkflow>(MEF_ORDER_WORKFLOW_TYPE, {
    workflowId: mefOrderWorkflowId(input.orderId),
    taskQueue: opts.taskQueue,
    args: [input, opts.settings],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { requestHash: input.requestHash },
    typedSearchAttributes: startSearchAttributes(API_FAMILIES.mef, 'VALIDATING', { ...input, businessReference: ui.businessReference }),
    staticSummary: ui.summary,
    staticDetails: ui.details,
  });
  try {
    const view = await client.withDeadline(Date.now() + opts.answerTimeoutMs, () =>
      client.workflow.executeUpdateWithStart(submitOrderUpdate, { args: [{ requestHash: input.requestHash }], startWorkflowOperation }),
    );
    return { kind: 'answered', view };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'closed' };
    throw httpErrorOf(err) ?? err;
  }
}

/** An update on a running order; a closed one answers 409 naming its final state. */
export async function updateOrder<R, A>(
  client: Client,
  order: { id: string; orderStatus: string },
  def: UpdateDefinition<R, [A]>,
  arg: A,
): Promise<R> {
  try {
    return await client.workflow.getHandle(mefOrderWorkflowId(order.id)).executeUpdate(def, { args: [arg] });
  } catch (err) {
    if (closedWorkflow(err)) {
      throw new HttpError(409, 'INVALID_STATE', `Order ${order.id} is ${order.orderStatus} and closed: it can no longer be changed.`);
    }
    throw httpErrorOf(err) ?? err;
  }
}
