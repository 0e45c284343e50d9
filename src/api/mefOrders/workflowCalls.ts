import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { API_FAMILIES } from '../../workflows/shared/searchAttributes';
import {
  MEF_ORDER_WORKFLOW_TYPE,
  MefOrderDocument,
  MefOrderInput,
  MefOrderSettings,
  MefOrderView,
  mefOrderWorkflowId,
  replaceOrderUpdate,
  submitOrderUpdate,
} from '../../workflows/mefOrders/contract';
import type { mefOrderWorkflow } from '../../workflows/mefOrders/workflow';
import { closedWorkflow } from '../../temporal/closedWorkflow';
import { HttpError, unavailable } from '../shared/errors';
import { startOrJoin, type Started } from '../shared/updateWithStart';
import { httpErrorOf, VERSION_CONFLICT } from './failures';
import { mefOrderStartDetails } from './startDetails';

/** The seam between the MEF routes and the order's workflow `mef-order-<id>`. */

/** `publicBaseUrl`: the base of the order's own link, fixed when the order is created (links.ts). */
function settingsOf(config: Config, publicBaseUrl: string): MefOrderSettings {
  const { env } = config;
  return {
    stepDurations: { DESIGN: env.MEF_STEP_DESIGN, INSTALL: env.MEF_STEP_INSTALL, ACTIVATE: env.MEF_STEP_ACTIVATE },
    sellerStepAllowanceMs: env.MEF_SELLER_STEP_ALLOWANCE,
    cancellationAssessmentMs: env.MEF_CANCELLATION_ASSESSMENT,
    closedOrderWindowMs: env.MEF_CLOSED_ORDER_WINDOW,
    publicBaseUrl,
    hubRetryForMs: env.MEF_HUB_RETRY_FOR,
  };
}

export interface MefWorkflowDeps {
  config: Config;
  client: Client;
  orm: Orm;
  taskQueue: string;
}

/**
 * Starts `mef-order-<id>` or joins the running one and returns the order as the seller's
 * validation left it, or `closed`: the order finished before, started by this same body
 * (the caller answers from the read model). REJECT_DUPLICATE: a closed order is never
 * started again.
 */
export async function submitOrder(deps: MefWorkflowDeps, input: MefOrderInput, publicBaseUrl: string): Promise<Exclude<Started<MefOrderView>, { kind: 'pending' }>> {
  const started = await startOrJoin<typeof mefOrderWorkflow, MefOrderView>({
    client: deps.client,
    orm: deps.orm,
    workflowType: MEF_ORDER_WORKFLOW_TYPE,
    workflowId: mefOrderWorkflowId(input.orderId),
    taskQueue: deps.taskQueue,
    args: [input, settingsOf(deps.config, publicBaseUrl)],
    requestHash: input.requestHash,
    family: API_FAMILIES.mef,
    firstStatus: 'VALIDATING',
    tenantId: input.tenantId,
    correlationId: input.correlationId,
    impersonatedBy: input.impersonatedBy,
    ui: mefOrderStartDetails(input),
    update: submitOrderUpdate,
    reuse: 'REJECT_DUPLICATE',
    answerTimeoutMs: deps.config.env.MEF_ANSWER_TIMEOUT_MS,
    failures: httpErrorOf,
    what: `order (${input.orderId})`,
    style: 'code',
  });
  if (started.kind === 'pending') {
    // Seed 003's POST answers with the validated order (ACKNOWLEDGED or REJECTED), and
    // there is none yet (no worker, or a slow seller): 503, so the buyer sends the same
    // request again, which joins this workflow and reads its answer.
    throw unavailable(`Order ${input.orderId} is received but not validated yet; send the same request again after Retry-After seconds.`);
  }
  return started;
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

/**
 * The version a PUT or PATCH is made against, and where it came from: the If-Match
 * header, the body's buyerOrderVersion, or (neither given) the order's current version.
 */
export interface BaseVersion {
  version: number;
  from: 'If-Match' | 'buyerOrderVersion' | 'current';
}

/**
 * PUT and PATCH: the workflow refuses a stale version alike wherever it came from; the
 * API knows which it sent. A stale If-Match is a failed precondition (RFC 9110 §13.1.1:
 * 412 Precondition Failed); a stale buyerOrderVersion in the body is a conflict in the
 * representation, 409 VERSION_CONFLICT, as before.
 */
export async function replaceOrder(
  client: Client,
  row: { id: string; orderStatus: string },
  change: { kind: 'PUT' | 'PATCH'; order: MefOrderDocument; base: BaseVersion },
): Promise<MefOrderView> {
  const { kind, order, base } = change;
  try {
    return await updateOrder(client, row, replaceOrderUpdate, { kind, order, baseVersion: base.version });
  } catch (err) {
    if (base.from === 'If-Match' && err instanceof HttpError && err.cause === VERSION_CONFLICT) {
      throw new HttpError(412, 'PRECONDITION_FAILED', `If-Match "${base.version}" is not the order's current version. ${err.message}`);
    }
    throw err;
  }
}
