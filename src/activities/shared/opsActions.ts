import type { Orm } from '../../db/orm';
import { OpsActionSchema, type OpsAction } from '../../db/entities';

/** One audit entry as the workflow sends it (`at` is workflow time, ISO). */
export type OpsActionEntry = Omit<OpsAction, 'at'> & { at: string };

export function createOpsActionActivities(orm: Orm) {
  return {
    /** Idempotent: a retry after a crash finds its (runId, seq) row and writes nothing. */
    async recordOpsAction(entry: OpsActionEntry): Promise<void> {
      await orm.em.fork().upsert(OpsActionSchema, { ...entry, at: new Date(entry.at) }, { onConflictFields: ['runId', 'seq'], onConflictAction: 'ignore' });
    },
  };
}

/** The ops audit trail, which every workflow writes. */
export type OpsActionActivities = ReturnType<typeof createOpsActionActivities>;
