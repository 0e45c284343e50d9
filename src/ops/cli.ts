import { loadConfig } from '../config';
import { SalesLeadRecordSchema } from '../db/entities';
import { openOrm } from '../db/orm';
import { connectClient } from '../temporal/connection';
import { approveSignal, rejectSignal, salesLeadWorkflowId } from '../workflows/salesLead/contract';

/**
 * What the Temporal UI does not do well: list the leads waiting for review and
 * approve or reject many at once. Same client and contract as the API.
 */
const USAGE = `usage: npm run ops -- <command>
  leads-in-review [tenantId]          list sales leads waiting for an operator
  approve <orderId>... [--message m]  approve leads waiting for review
  approve-all-in-review [tenantId]    approve every lead waiting for review
  reject <orderId>... --message m     reject leads (the CO sees the message)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const messageAt = rest.indexOf('--message');
  const message = messageAt >= 0 ? rest[messageAt + 1] : undefined;
  const args = messageAt >= 0 ? rest.slice(0, messageAt) : rest;
  const config = loadConfig();
  const orm = await openOrm(config.databaseUrl);
  try {
    const inReview = async (tenantId?: string) =>
      orm.em.fork().find(SalesLeadRecordSchema, { stage: 'IN_REVIEW', ...(tenantId ? { tenantId } : {}) }, { orderBy: { createdAt: 'asc' } });
    switch (command) {
      case 'leads-in-review': {
        for (const r of await inReview(args[0])) {
          console.log(`${r.orderId}  tenant=${r.tenantId}  since=${r.createdAt.toISOString()}  workflow=${salesLeadWorkflowId(r.orderId)}`);
        }
        return 0;
      }
      case 'approve':
      case 'approve-all-in-review':
      case 'reject': {
        if (command === 'reject' && !message) throw new Error('reject needs --message "text the CO can show"');
        const ids = command === 'approve-all-in-review' ? (await inReview(args[0])).map((r) => r.orderId) : args;
        if (ids.length === 0) throw new Error('no order ids given');
        const client = await connectClient(config);
        try {
          for (const id of ids) {
            const handle = client.workflow.getHandle(salesLeadWorkflowId(id));
            if (command === 'reject') await handle.signal(rejectSignal, { message: message! });
            else await handle.signal(approveSignal, message ? { message } : {});
            console.log(`${command === 'reject' ? 'rejected' : 'approved'} ${id}`);
          }
        } finally {
          await client.connection.close();
        }
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await orm.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
