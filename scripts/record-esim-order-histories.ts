import request from 'supertest';
import { deriveId } from '../src/api/shared/idempotency';
import { DEMO_STOCK_ICCIDS, DEMO_UNACTIVATABLE_ICCID } from '../src/db/esimOrders/demoData';
import { esimOrderWorkflowId } from '../src/workflows/esimOrders/contract';
import { future, seedBulk, seedNewEsim, seedTopup } from '../test/support/esimOrders';
import { runRecording } from './histories/recordScenarios';

/**
 * Runs each eSIM order path once against a real dev server and saves its history
 * under test/fixtures/histories/esim-order.v1.<scenario>.json (see recordScenarios).
 */
runRecording({
  configEnv: { SIM_ESIM_POLLS_UNTIL_READY: '2', ESIM_POLL_INITIAL_INTERVAL: '200ms', ESIM_POLL_MAX_INTERVAL: '1s', SIM_ESIM_LATENCY_MS: '0' },
  settle: (handle) => handle.result().catch(() => undefined), // a rejected order fails its run on purpose
  scenarios: ({ env, h, token }) => {
    const order = async (body: object, key: string) => {
      await request(h.app).post('/esim/v1/order').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);
      return env.client.workflow.getHandle(esimOrderWorkflowId(deriveId('demo', 'esim-order', key)));
    };
    const compensated = seedBulk();
    compensated.input.subscriptions = [
      // Demo stock: a bulk order activates only the tenant's stock or the customer's own eSIMs.
      { iccid: [[DEMO_STOCK_ICCIDS.demo[0], DEMO_UNACTIVATABLE_ICCID, DEMO_STOCK_ICCIDS.demo[1]].join(', ')], id: 'a3mM0000000Dcmr', activationDate: future(0, 1000) },
    ];
    /** One plan now, one a few seconds later: the order is COMPLETED between them. */
    const laterPlan = <T extends { input: { subscriptions: object[] } }>(body: T): T => {
      body.input.subscriptions = [
        { id: 'a3u3z000000PZBhAAO', price: 10, currency: 'USD' },
        { id: 'a3mM0000000Dcmr', activationDate: future(0, 4000), price: 5, currency: 'USD' },
      ];
      return body;
    };
    const unknownProduct = seedNewEsim();
    unknownProduct.input.subscriptions[0]!.id = 'a3mM0000000NOPE';
    return {
      'esim-order.v1.new-esim-completed': () => order(seedNewEsim(), 'record-new-esim'),
      'esim-order.v1.topup-scheduled-completed': () => order(seedTopup(future(0, 3000)), 'record-topup'),
      'esim-order.v1.bulk-completed': () => order(seedBulk(), 'record-bulk'),
      'esim-order.v1.bulk-compensated': () => order(compensated, 'record-bulk-compensated'),
      'esim-order.v1.rejected-product-not-found': () => order(unknownProduct, 'record-rejected'),
      // COMPLETED once installable, a later plan SCHEDULED then ACTIVE (patch esim-completed-when-installable).
      'esim-order.v2.new-esim-completed-then-plan-active': () => order(laterPlan(seedNewEsim()), 'record-v2-new-esim'),
      'esim-order.v2.topup-completed-then-plan-active': () => order(laterPlan(seedTopup()), 'record-v2-topup'),
    };
  },
});
