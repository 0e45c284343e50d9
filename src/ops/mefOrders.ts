import { MefBuyerEndpointSchema, MefOrderRecordSchema } from '../db/entities';
import { MEF_ORDER_STATUSES } from '../domain/mefOrders/lifecycle';
import { cancelOrderUpdate, holdOrderUpdate, mefOrderWorkflowId, releaseOrderUpdate } from '../workflows/mefOrders/contract';
import { actOn, forEachId, operatorName, OpsCommand, requireIds } from './command';
import { newWebhookSecret } from '../external/shared/webhookSignature';

/** MEF wholesale orders (seed 003): list from the read model, hold / release / cancel many at once. */

const UPDATES = { hold: holdOrderUpdate, release: releaseOrderUpdate, cancel: cancelOrderUpdate } as const;
const DONE = { hold: 'held', release: 'released', cancel: 'cancel requested for' } as const;

function actionCommand(action: keyof typeof UPDATES, usage: string): OpsCommand {
  return {
    name: action,
    usage,
    valueOptions: ['--reason'],
    async run(args, ctx) {
      const ids = requireIds(args);
      const reason = args.options.get('--reason');
      const client = await ctx.client();
      const by = operatorName();
      // The workflow's own rule (lifecycle.ts) decides; a refusal comes back as the update's failure.
      return forEachId(ids, (id) =>
        actOn(client, {
          what: 'MEF order',
          workflowId: mefOrderWorkflowId(id),
          update: UPDATES[action],
          input: { ...(reason ? { reason } : {}), by },
          printed: (a) => `${DONE[action]} ${id}: ${a.orderStatus}, ${a.statusMessage}`,
        }),
      );
    },
  };
}

export const mefCommands: OpsCommand[] = [
  {
    name: 'mef-orders',
    usage: 'mef-orders [--status S] [--jeopardy] [tenantId]  list MEF orders, oldest first (S: one of the orderStatus values; --jeopardy: only those a step overran, with why)',
    valueOptions: ['--status'],
    flags: ['--jeopardy'],
    async run(args, ctx) {
      const status = args.options.get('--status');
      if (status !== undefined && !(MEF_ORDER_STATUSES as readonly string[]).includes(status)) {
        throw new Error(`--status must be one of ${MEF_ORDER_STATUSES.join(', ')}, not "${status}"`);
      }
      const tenantId = args.positional[0];
      const em = (await ctx.orm()).em.fork();
      const orders = await em.find(
        MefOrderRecordSchema,
        { ...(status ? { orderStatus: status } : {}), ...(tenantId ? { tenantId } : {}), ...(args.flags.has('--jeopardy') ? { jeopardyReason: { $ne: null } } : {}) },
        { orderBy: { createdAt: 'asc' } },
      );
      for (const o of orders) {
        console.log(
          `${o.id}  tenant=${o.tenantId}  status=${o.orderStatus}  po=${o.buyerPurchaseOrderNumber}  since=${o.createdAt.toISOString()}  workflow=${mefOrderWorkflowId(o.id)}${o.jeopardyReason ? `  jeopardy: ${o.jeopardyReason}` : ''}`,
        );
      }
      return 0;
    },
  },
  {
    name: 'mef-notification-url',
    usage: 'mef-notification-url <tenantId> [url | --clear] [--rotate-secret]  show or set where a buyer\'s MEF notifications go, signed',
    flags: ['--clear', '--rotate-secret'],
    async run(args, ctx) {
      const [tenantId, url] = args.positional;
      if (!tenantId || args.positional.length > 2) throw new Error('give a tenantId and, to set it, one URL');
      const clear = args.flags.has('--clear');
      const rotate = args.flags.has('--rotate-secret');
      if (url !== undefined && clear) throw new Error('give a URL or --clear, not both');
      if (rotate && clear) throw new Error('give --clear or --rotate-secret, not both');
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`not an http(s) URL: ${url}`);
      const em = (await ctx.orm()).em.fork();
      const before = await em.findOne(MefBuyerEndpointSchema, { tenantId });
      // A URL always gets a secret: one is made with the first URL and kept when the URL changes.
      const newSecret = rotate || (url !== undefined && !before?.signingSecret) ? newWebhookSecret() : undefined;
      if (url !== undefined || clear || newSecret) {
        // Read at every delivery attempt, so notifications still being retried go to the new URL, signed with the new secret.
        await em.upsert(MefBuyerEndpointSchema, {
          tenantId,
          notificationUrl: clear ? null : (url ?? before?.notificationUrl ?? null),
          signingSecret: clear ? null : (newSecret ?? before?.signingSecret ?? null),
        });
      }
      const endpoint = await em.findOne(MefBuyerEndpointSchema, { tenantId });
      const signing = endpoint?.signingSecret ? 'signed' : endpoint?.notificationUrl ? 'UNSIGNED (--rotate-secret gives it a secret)' : '';
      console.log(`${tenantId}  notificationUrl=${endpoint?.notificationUrl ?? '(none: notifications are stored, not delivered)'}${signing ? `  ${signing}` : ''}`);
      // Shown once, when made: the buyer verifies every delivery with it (Standard Webhooks).
      if (newSecret) console.log(`signing secret (give it to the buyer; it is not shown again): ${newSecret}`);
      return 0;
    },
  },
  actionCommand('hold', 'hold <orderId>... [--reason r]       hold MEF orders (ACKNOWLEDGED, IN_PROGRESS)'),
  actionCommand('release', 'release <orderId>... [--reason r]    release held MEF orders'),
  actionCommand('cancel', 'cancel <orderId>... [--reason r]     cancel MEF orders (the seller may assess it first)'),
];
