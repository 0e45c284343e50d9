import { SalesLeadRecordSchema } from '../db/entities';
import { approveLeadUpdate, rejectLeadUpdate, salesLeadWorkflowId } from '../workflows/salesLead/contract';
import { forEachId, operatorName, sendAction, type OpsCommand, type OpsContext } from './command';

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
  return forEachId(ids, async (id) => {
    const sent =
      action === 'reject'
        ? await sendAction(client, salesLeadWorkflowId(id), rejectLeadUpdate, { message: message!, by })
        : await sendAction(client, salesLeadWorkflowId(id), approveLeadUpdate, { ...(message ? { message } : {}), by });
    if ('refused' in sent) return sent.refused === 'no such workflow' ? 'no such sales lead' : sent.refused;
    console.log(`${action === 'reject' ? 'rejected' : 'approved'} ${id}: ${sent.answer.before} → ${sent.answer.after}`);
    return undefined;
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
