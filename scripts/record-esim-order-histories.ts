import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { deriveId } from '../src/api/shared/idempotency';
import { DEMO_UNACTIVATABLE_ICCID } from '../src/db/esimDemoData';
import { esimOrderWorkflowId } from '../src/workflows/esimOrder/contract';
import { freshDatabase } from '../test/support/databases';
import { freshIccid, future, seedBulk, seedNewEsim, seedTopup } from '../test/support/esimOrders';
import { startHarness } from '../test/support/harness';
import { startDevServer } from '../test/support/temporal';

/**
 * Runs each eSIM order path once against a real dev server and saves its history
 * under test/fixtures/histories/esim-order.v1.<scenario>.json; the replay test
 * replays them against the current workflow code. Re-record only for a new
 * workflow version, and keep the old files.
 */
const OUT = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories');
const FAST = { SIM_ESIM_POLLS_UNTIL_READY: '2', ESIM_POLL_INITIAL_INTERVAL: '200ms', ESIM_POLL_MAX_INTERVAL: '1s', SIM_ESIM_LATENCY_MS: '0' };

async function main(): Promise<void> {
  const env = await startDevServer();
  const db = await freshDatabase('libsql');
  const h = await startHarness(env, db, { configEnv: FAST });
  try {
    const token = await h.token('demo');
    const post = async (body: object, key: string) => {
      await request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);
      return deriveId('demo', 'esim-order', key);
    };
    const compensated = seedBulk();
    compensated.input.subscriptions = [
      { iccid: [[freshIccid(), DEMO_UNACTIVATABLE_ICCID, freshIccid()].join(', ')], id: 'a3mM0000000Dcmr', activationDate: future(0, 1000) },
    ];
    const unknownProduct = seedNewEsim();
    unknownProduct.input.subscriptions[0]!.id = 'a3mM0000000NOPE';
    const scenarios: Record<string, () => Promise<string>> = {
      'new-esim-completed': () => post(seedNewEsim(), 'record-new-esim'),
      'topup-scheduled-completed': () => post(seedTopup(future(0, 3000)), 'record-topup'),
      'bulk-completed': () => post(seedBulk(), 'record-bulk'),
      'bulk-compensated': () => post(compensated, 'record-bulk-compensated'),
      'rejected-product-not-found': () => post(unknownProduct, 'record-rejected'),
    };
    fs.mkdirSync(OUT, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      const externalId = await run();
      const handle = env.client.workflow.getHandle(esimOrderWorkflowId(externalId));
      await handle.result().catch(() => undefined); // a rejected order fails its run on purpose
      const file = path.join(OUT, `esim-order.v1.${name}.json`);
      fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${path.relative(process.cwd(), file)} (${(await handle.describe()).status.name})`);
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
