import type { Client } from '@temporalio/client';
import { tsToDate } from '@temporalio/common/lib/time';
import { OpsActionSchema, PublicIdSchema } from '../db/entities';
import type { OpsCommand } from './command';

/**
 * `history <id>`: the audit trail of an order's ops actions (who, when, why, state
 * before and after), from the database, where it outlives Temporal's retention; then,
 * while Temporal still has the workflow, the identity each signal and update was sent
 * with, as Temporal recorded it (the Web UI sends none of its own in the payload).
 */
export const historyCommands: OpsCommand[] = [
  {
    name: 'history',
    usage: 'history <orderId | workflowId>     who did what to an order, when and why (ops audit trail)',
    async run(args, ctx) {
      const [id] = args.positional;
      if (!id || args.positional.length > 1) throw new Error('give one order id or workflow id');
      const em = (await ctx.orm()).em.fork();
      // How it began: its public id's record (a workflow id is <family prefix>-<public id>).
      for (const created of await em.find(PublicIdSchema, { $or: [{ workflowId: id }, { workflowId: { $like: `%-${id}` } }] })) {
        const sender = created.impersonatedBy ? `sent by ${created.impersonatedBy}, acting for tenant ${created.tenantId}'s client (impersonation)` : `sent by tenant ${created.tenantId}`;
        console.log(`${created.acceptedAt.toISOString()}  ${created.workflowId}  created, ${sender}`);
      }
      const entries = await em.find(OpsActionSchema, { $or: [{ workflowId: id }, { publicId: id }] }, { orderBy: { at: 'asc', seq: 'asc' } });
      if (entries.length === 0) console.log(`no ops actions recorded for ${id}`);
      for (const e of entries) {
        const change = e.outcome === 'done' ? `${e.before} → ${e.after}` : `ignored in ${e.before}: ${e.detail}`;
        console.log(
          `${e.at.toISOString()}  ${e.workflowId}  ${e.action} (${e.via})  by=${e.by ?? '(unnamed)'}  ${change}${e.reason ? `  why="${e.reason}"` : ''}`,
        );
      }
      const workflowIds = new Set(entries.map((e) => e.workflowId));
      if (workflowIds.size === 0 && /^(sales-lead|esim-order|offer-inquiry|fiber-order|mef-order)-/.test(id)) workflowIds.add(id);
      for (const workflowId of workflowIds) await printSenders(await ctx.client(), workflowId);
      return 0;
    },
  },
];

async function printSenders(client: Client, workflowId: string): Promise<void> {
  let events;
  try {
    events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  } catch {
    console.log(`${workflowId}: Temporal no longer has this workflow (past retention); the lines above are the record.`);
    return;
  }
  console.log(`${workflowId}: signals and updates as Temporal recorded them`);
  for (const e of events) {
    const signal = e.workflowExecutionSignaledEventAttributes;
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    const name = signal?.signalName ?? update?.input?.name;
    if (!name || name === 'submit') continue;
    const identity = signal?.identity ?? update?.meta?.identity ?? '';
    console.log(`  ${tsToDate(e.eventTime!).toISOString()}  ${signal ? 'signal' : 'update'} ${name}  identity=${identity || '(none)'}`);
  }
}
