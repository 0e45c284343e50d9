import { SalesLeadRecordSchema } from '../db/entities';
import type { OpsAnswer } from '../workflows/shared/opsInput';
import { approveLeadUpdate, rejectLeadUpdate, salesLeadWorkflowId } from '../workflows/salesLeads/contract';
import { actOn, forEachId, operatorName, type OpsCommand, type OpsContext } from './command';

/** Sales leads (seed 000): list the leads waiting for review, approve or reject many at once. */
async function inReview(ctx: OpsContext, tenantId?: string) {
  const orm = await ctx.orm();
  return orm.em.fork().find(SalesLeadRecordSchema, { stage: 'IN_REVIEW', ...(tenantId ? { tenantId } : {}) }, { orderBy: { createdAt: 'asc' } });
}

async function actOnLeads(ctx: OpsContext, ids: string[], action: 'approve' | 'reject', message: string | undefined): Promise<number> {
  if (action === 'reject' && !message) throw new Error('reject needs --message "text the CO can show"');
  if (ids.length === 0) throw new Error('no order ids given');
  const client = await ctx.client();
  const by = operatorName();
  return forEachId(ids, (id) => {
    const lead = { what: 'sales lead', workflowId: salesLeadWorkflowId(id), printed: (a: OpsAnswer) => `${action === 'reject' ? 'rejected' : 'approved'} ${id}: ${a.before} → ${a.after}` };
    return action === 'reject'
      ? actOn(client, { ...lead, update: rejectLeadUpdate, input: { message: message!, by } })
      : actOn(client, { ...lead, update: approveLeadUpdate, input: { ...(message ? { message } : {}), by } });
  });
}

export const salesLeadCommands: OpsCommand[] = [
  {
    name: 'leads-in-review',
    usage: 'leads-in-review [tenantId]          list sales leads waiting for an operator',
    async run(args, ctx) {
      for (const r of await inReview(ctx, args.positional[0])) {
        console.log(`${r.orderId}  tenant=${r.tenantId}  since=${r.createdAt.toISOString()}  workflow=${salesLeadWorkflowId(r.orderId)}`);
      }
      return 0;
    },
  },
  {
    name: 'approve',
    usage: 'approve <orderId>... [--message m]  approve leads waiting for review',
    valueOptions: ['--message'],
    run: (args, ctx) => actOnLeads(ctx, args.positional, 'approve', args.options.get('--message')),
  },
  {
    name: 'approve-all-in-review',
    usage: 'approve-all-in-review [tenantId]    approve every lead waiting for review',
    valueOptions: ['--message'],
    async run(args, ctx) {
      const ids = (await inReview(ctx, args.positional[0])).map((r) => r.orderId);
      return actOnLeads(ctx, ids, 'approve', args.options.get('--message'));
    },
  },
  {
    name: 'reject',
    usage: 'reject <orderId>... --message m     reject leads (the CO sees the message)',
    valueOptions: ['--message'],
    run: (args, ctx) => actOnLeads(ctx, args.positional, 'reject', args.options.get('--message')),
  },
];
