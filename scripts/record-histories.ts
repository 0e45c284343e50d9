import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DEMO_UNCONNECTABLE_ACCESS_ID } from '../src/db/demoData';
import { approveSignal, salesLeadWorkflowId } from '../src/workflows/salesLead/contract';
import { freshDatabase } from '../test/support/databases';
import { eventually } from '../test/support/eventually';
import { startHarness } from '../test/support/harness';
import { validLead } from '../test/support/leads';
import { startDevServer } from '../test/support/temporal';

/**
 * Runs each sales-lead path once against a real dev server and saves its history
 * under test/fixtures/histories/. The replay test replays them against the current
 * workflow code, so a change that breaks running workflows fails CI. Re-record only
 * for a new workflow version, and keep the old files.
 */
const OUT = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const h = await startHarness(env, db);
  try {
    const token = await h.token('demo');
    const post = (body: object) =>
      request(h.app).post('/2.5/sp_spec/sales_leads/').set('Authorization', `Bearer ${token}`).send(body);
    const scenarios: Record<string, () => Promise<string>> = {
      'activated': async () => (await post(validLead())).body.orderId,
      'rejected-by-assessment': async () => (await post(validLead({ accessId: 'ffffffffffffffffffffffffffffffff' }))).body.orderId,
      'rejected-by-provisioning': async () => (await post(validLead({ accessId: DEMO_UNCONNECTABLE_ACCESS_ID }))).body.orderId,
      'reviewed-and-approved': async () => {
        const { orderId } = (await post(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }))).body;
        await env.client.workflow.getHandle(salesLeadWorkflowId(orderId)).signal(approveSignal, { message: 'ok' });
        return orderId;
      },
    };
    fs.mkdirSync(OUT, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      const orderId = await run();
      const handle = env.client.workflow.getHandle(salesLeadWorkflowId(orderId));
      await eventually(() => handle.result(), 30_000);
      const file = path.join(OUT, `sales-lead.v1.${name}.json`);
      fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await h.stop();
    await db.drop();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
