import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/core';
import { PublicIdSchema } from '../../db/entities';
import type { Orm } from '../../db/orm';

/**
 * What a workflow says of its public id with each read-model write: the request that
 * created it and whether this write is its final answer. Optional because an activity
 * scheduled by a worker of the previous version carries none.
 */
export interface PublicIdWrite {
  requestHash: string;
  finished: boolean;
  /** Who really sent the request, when a client acted for the tenant's (workflows/shared/sameRequest.ts Accountable). */
  impersonatedBy?: string;
}

/** A workflow that would reopen or take over a finished public id; it fails instead of writing. */
export const PUBLIC_ID_FINISHED = 'PUBLIC_ID_FINISHED';

/**
 * Records the public id of the calling workflow in the same transaction as its
 * read-model write, and refuses (non-retryable) a write that would change what a
 * finished id answers: another request claiming it, or a new run of the same request
 * after Temporal forgot the finished one. The API answers resends from this row before
 * it reaches Temporal; this is the second guard, for a resend that got past it (the
 * database was unreachable when it asked).
 */
async function recordPublicId(em: EntityManager, tenantId: string, write: PublicIdWrite | undefined): Promise<void> {
  if (!write) return;
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('recordPublicId runs in a workflow\'s activity: its public id is the workflow\'s id');
  const { workflowId } = execution;
  const now = new Date();
  const row = await em.findOne(PublicIdSchema, { workflowId });
  if (!row) {
    await em.insert(PublicIdSchema, {
      workflowId,
      tenantId,
      requestHash: write.requestHash,
      acceptedAt: now,
      finishedAt: write.finished ? now : null,
      impersonatedBy: write.impersonatedBy ?? null,
    });
    return;
  }
  if (row.requestHash !== write.requestHash) {
    throw ApplicationFailure.nonRetryable(`${workflowId} belongs to another request; nothing was written.`, PUBLIC_ID_FINISHED);
  }
  if (row.finishedAt && !write.finished) {
    throw ApplicationFailure.nonRetryable(
      `${workflowId} finished at ${row.finishedAt.toISOString()}; a finished order is never reopened, nothing was written.`,
      PUBLIC_ID_FINISHED,
    );
  }
  if (write.finished && !row.finishedAt) await em.nativeUpdate(PublicIdSchema, { workflowId }, { finishedAt: now });
}

/** A read-model write (`write`) and its public id, in one transaction: neither is ever without the other. */
export async function writeWithPublicId(orm: Orm, tenantId: string, publicId: PublicIdWrite | undefined, write: (em: EntityManager) => Promise<unknown>): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    await recordPublicId(em, tenantId, publicId);
    await write(em);
  });
}
