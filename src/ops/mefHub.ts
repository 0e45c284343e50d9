import { attemptHubDelivery } from '../activities/mefOrders/hub';
import { MefHubDeliverySchema } from '../db/entities';
import { httpHubDeliverer } from '../external/mefOrders/hubDelivery';
import { forEachId, OpsCommand } from './command';

/** The MEF notification hub's dead-letter list: events a listener never took within MEF_HUB_RETRY_FOR, and one more try each. */
export const mefHubCommands: OpsCommand[] = [
  {
    name: 'notifications-failed',
    usage: 'notifications-failed [--tenant t]           hub deliveries whose retries ran out (the dead-letter list), oldest first',
    valueOptions: ['--tenant'],
    async run(args, ctx) {
      if (args.positional.length) throw new Error('notifications-failed takes no ids (--tenant filters)');
      const tenantId = args.options.get('--tenant');
      const rows = await (await ctx.orm()).em.fork().find(MefHubDeliverySchema, { state: 'FAILED', ...(tenantId ? { tenantId } : {}) }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      if (rows.length === 0) console.log('no failed deliveries');
      for (const d of rows) {
        console.log(`${d.id}  tenant=${d.tenantId}  order=${d.orderId}  ${d.eventType}  attempts=${d.attempts}  since=${d.createdAt.toISOString()}  last error: ${d.lastError ?? '(none)'}`);
      }
      return 0;
    },
  },
  {
    name: 'redeliver',
    usage: 'redeliver <deliveryId>...                   one more attempt of each failed hub delivery, signed with the listener\'s secret now',
    async run(args, ctx) {
      if (args.positional.length === 0) throw new Error('give the ids of failed deliveries (npm run ops -- notifications-failed lists them)');
      const orm = await ctx.orm();
      const deliverer = httpHubDeliverer(ctx.config.env.MEF_HUB_TIMEOUT_MS, ctx.config.hubCallbacks);
      return forEachId(args.positional, async (id) => {
        const row = await orm.em.fork().findOne(MefHubDeliverySchema, { id });
        if (!row) return 'no such delivery';
        if (row.state !== 'FAILED') return `it is ${row.state}, not FAILED`;
        try {
          const state = await attemptHubDelivery(orm, deliverer, id);
          if (state !== 'DELIVERED') return `it is now ${state}`;
          console.log(`redelivered ${id}`);
          return undefined;
        } catch (err) {
          return `still not delivered (it stays in the list): ${(err as Error).message}`;
        }
      });
    },
  },
];
