import type { UpdateDefinition } from '@temporalio/common';
import { EsimOrderRecordSchema } from '../db/entities';
import { cancelEsimOrderUpdate, esimOrderWorkflowId, retryEsimStepUpdate, skipEsimStepUpdate } from '../workflows/esimOrders/contract';
import type { OpsAnswer } from '../workflows/shared/opsInput';
import { actOn, forEachId, operatorName, OpsCommand, requireIds } from './command';

/** eSIM orders (seed 001): find scheduled or stuck ones; cancel what waits for its date, retry or skip a failed undo step. */

function actionCommand<A>(
  name: string,
  usage: string,
  update: UpdateDefinition<OpsAnswer, [A]>,
  input: (reason: string | undefined) => A,
  done: string,
  opts: { reasonRequired?: string } = {},
): OpsCommand {
  return {
    name,
    usage,
    valueOptions: ['--reason'],
    async run(args, ctx) {
      const reason = args.options.get('--reason');
      if (opts.reasonRequired && !reason) throw new Error(opts.reasonRequired);
      const ids = requireIds(args);
      const client = await ctx.client();
      return forEachId(ids, (id) =>
        actOn(client, { what: 'eSIM order', workflowId: esimOrderWorkflowId(id), update, input: input(reason), printed: (a) => `${done} ${id}: ${a.before} → ${a.after}` }),
      );
    },
  };
}

export const esimCommands: OpsCommand[] = [
  {
    name: 'esim-orders',
    usage: 'esim-orders [--stage S] [tenantId]  list eSIM orders, oldest first (S: e.g. SCHEDULED, NEEDS_OPERATOR, PLAN_FAILED)',
    valueOptions: ['--stage'],
    async run(args, ctx) {
      const stage = args.options.get('--stage');
      const tenantId = args.positional[0];
      const orders = await (await ctx.orm()).em.fork().find(
        EsimOrderRecordSchema,
        { ...(stage ? { stage } : {}), ...(tenantId ? { tenantId } : {}) },
        { orderBy: { createdAt: 'asc' } },
      );
      for (const o of orders) {
        console.log(`${o.externalId}  tenant=${o.tenantId}  ${o.operationType}  stage=${o.stage}  since=${o.createdAt.toISOString()}  workflow=${esimOrderWorkflowId(o.externalId)}`);
      }
      return 0;
    },
  },
  actionCommand(
    'esim-cancel',
    'esim-cancel <externalId>... [--reason r]  cancel plans waiting for their activationDate (a bulk order is undone)',
    cancelEsimOrderUpdate,
    (reason) => ({ ...(reason ? { reason } : {}), by: operatorName() }),
    'cancelled',
  ),
  actionCommand('esim-retry', 'esim-retry <externalId>...          retry the failed undo step of orders in NEEDS_OPERATOR', retryEsimStepUpdate, () => ({ by: operatorName() }), 'retried'),
  actionCommand(
    'esim-skip',
    'esim-skip <externalId>... --reason r  skip the failed undo step, done by hand (say what was done)',
    skipEsimStepUpdate,
    (reason) => ({ reason: reason!, by: operatorName() }),
    'skipped',
    { reasonRequired: 'esim-skip needs --reason "what was done by hand"' },
  ),
];
