import {
  ApplicationFailure,
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import { PublicIdSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { type ErrorStyle, HttpError, isTemporalUnreachable } from './errors';
import { idempotencyKeyReused } from './idempotency';
import { startedBySameRequest, workflowExists } from './workflowStarts';
import { IDEMPOTENCY_KEY_REUSED } from '../../workflows/shared/sameRequest';
import { API_FAMILIES, startSearchAttributes } from '../../workflows/shared/searchAttributes';
import type { StartDetails } from './startDetails';

type ApiFamily = (typeof API_FAMILIES)[keyof typeof API_FAMILIES];

/**
 * The one seam between HTTP and a family's workflows: how a workflow's typed failures
 * become answers, and how a POST starts or joins its workflow.
 */

/** A workflow failure type → its HTTP status (and, for the code families, the code when it is not the type itself). A reused Idempotency-Key needs no entry. */
export type FailureStatuses = Record<string, number | [number, string]>;

/**
 * A family's map from the ApplicationFailure types its workflows raise to HTTP answers;
 * anything else passes through (the error handler makes it a 503 or a 500). The
 * `{cause, message}` families answer the failure's message as the cause; the `{code,
 * message}` families its code.
 */
export function failureMap(style: ErrorStyle, statuses: FailureStatuses): (err: unknown) => HttpError | undefined {
  return (err) => {
    if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure) || !err.cause.type) return undefined;
    // Every family's workflows refuse a reused key alike (sameRequestOnly), and every family answers it alike.
    if (err.cause.type === IDEMPOTENCY_KEY_REUSED) return idempotencyKeyReused(style, err.cause.message);
    const entry = statuses[err.cause.type];
    if (entry === undefined) return undefined;
    const [status, code] = typeof entry === 'number' ? [entry, err.cause.type] : entry;
    return style === 'code' ? new HttpError(status, code, err.cause.message) : new HttpError(status, err.cause.message, err.cause.message);
  };
}

export interface WorkflowStart<W extends Workflow, R> {
  client: Client;
  /** Where every public id is recorded for good (src/db/shared/PublicId.ts). */
  orm: Orm;
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: Parameters<W>;
  /** Hash of the request (src/api/shared/idempotency.ts): kept in the memo, sent with the update. */
  requestHash: string;
  /** The search attributes every family's workflow starts with (src/workflows/shared/searchAttributes.ts). */
  family: ApiFamily;
  firstStatus: string;
  tenantId: string;
  correlationId: string;
  /** What the Temporal UI shows of it (src/api/<family>/startDetails.ts). */
  ui: StartDetails;
  /** The client that really sent it, under impersonation: shown to ops with the start details and kept in the memo. */
  impersonatedBy?: string;
  /** The workflow's `submit` update: answers the first decision, refuses another body. */
  update: UpdateDefinition<R, [{ requestHash: string }]>;
  /**
   * REJECT_DUPLICATE: a finished run is never started again (a resend reads what it
   * became). ALLOW_DUPLICATE_FAILED_ONLY: a run that failed ordered nothing (the eSIM
   * order's 422 checks, the fibre order's refused offer), so the same request may run again.
   */
  reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY';
  answerTimeoutMs: number;
  failures: (err: unknown) => HttpError | undefined;
  /** Says what the request was, for the 409 of a reused key: `sales lead (orderId …)`. */
  what: string;
  style: ErrorStyle;
}

/**
 * answered: the workflow's answer to this request. closed: the workflow finished before,
 * started by this same body; read what it became. pending: it exists (durably accepted)
 * but did not answer in time, e.g. no worker is running.
 */
export type Started<R> = { kind: 'answered'; answer: R } | { kind: 'closed' } | { kind: 'pending' };

/**
 * Every creating POST of every family: the database's record of the id first
 * (answeredByDatabase), then Temporal (updateWithStart). Nothing is sequenced around it:
 * what must be decided before an order exists is decided in its workflow (the fibre
 * order takes its offer itself).
 */
export async function startOrJoin<W extends Workflow, R>(s: WorkflowStart<W, R>): Promise<Started<R>> {
  return (await answeredByDatabase(s)) ?? updateWithStart(s);
}

/**
 * Update-with-Start: starts the workflow or joins the running one and returns what its
 * `submit` update answers. USE_EXISTING makes concurrent duplicates one start. The update
 * id is random on purpose: a fixed one would make the server replay the first (stale)
 * outcome to a retry that arrives after the workflow moved on.
 */
async function updateWithStart<W extends Workflow, R>(s: WorkflowStart<W, R>): Promise<Started<R>> {
  // `args` is typed by WorkflowStart; the SDK's conditional options type cannot see through a generic W.
  const startWorkflowOperation = new WithStartWorkflowOperation<W>(s.workflowType, <never>{
    workflowId: s.workflowId,
    taskQueue: s.taskQueue,
    args: s.args,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: s.reuse,
    memo: { requestHash: s.requestHash, ...(s.impersonatedBy ? { impersonatedBy: s.impersonatedBy } : {}) },
    typedSearchAttributes: startSearchAttributes(s.family, s.firstStatus, { ...s, businessReference: s.ui.businessReference }),
    staticSummary: s.ui.summary,
    staticDetails: s.impersonatedBy ? `${s.ui.details}\n\nSent by \`${s.impersonatedBy}\`, acting for this tenant's client (impersonation).` : s.ui.details,
  });
  try {
    const answer = await s.client.withDeadline(Date.now() + s.answerTimeoutMs, () =>
      s.client.workflow.executeUpdateWithStart(s.update, { args: [{ requestHash: s.requestHash }], startWorkflowOperation }),
    );
    return { kind: 'answered', answer };
  } catch (err) {
    const mapped = s.failures(err);
    if (mapped) throw mapped;
    if (err instanceof WorkflowExecutionAlreadyStartedError) return closedBySameRequest(s);
    // Temporal unreachable cannot say either whether the workflow exists: 503 at once.
    if (!isTemporalUnreachable(err) && (await workflowExists(s.client, s.workflowId))) return { kind: 'pending' };
    throw err;
  }
}

/**
 * A finished workflow named by this request: `closed` when this same body started it (the
 * caller reads what it became), else the key was reused with another body (409).
 */
async function closedBySameRequest(
  s: Pick<WorkflowStart<Workflow, unknown>, 'client' | 'workflowId' | 'requestHash' | 'what' | 'style'>,
): Promise<{ kind: 'closed' }> {
  if (!(await startedBySameRequest(s.client, s.workflowId, s.requestHash))) throw keyUsedForAnother(s);
  return { kind: 'closed' };
}

/**
 * The database, not Temporal's retention, decides what a resend gets: a public id it
 * holds for another request is a reused key (409), and one that finished answers
 * `closed` (the caller reads the read model) without asking Temporal, which may have
 * forgotten it. A database that cannot be reached does not stop an order: Temporal
 * answers as before, and the workflow's own write refuses to reopen a finished id
 * (src/activities/shared/publicIds.ts).
 */
async function answeredByDatabase(
  s: Pick<WorkflowStart<Workflow, unknown>, 'orm' | 'workflowId' | 'requestHash' | 'what' | 'style'>,
): Promise<{ kind: 'closed' } | undefined> {
  let row;
  try {
    row = await s.orm.em.fork().findOne(PublicIdSchema, { workflowId: s.workflowId });
  } catch (err) {
    if (isDatabaseUnavailable(err)) return undefined;
    throw err;
  }
  if (!row) return undefined;
  if (row.requestHash !== s.requestHash) throw keyUsedForAnother(s);
  return row.finishedAt ? { kind: 'closed' } : undefined;
}

/** The 409 for an id this request names but another request created, whoever noticed it. */
function keyUsedForAnother(s: Pick<WorkflowStart<Workflow, unknown>, 'what' | 'style'>): HttpError {
  return idempotencyKeyReused(s.style, `Idempotency-Key was already used for another ${s.what}.`);
}
