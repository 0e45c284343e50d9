import { ChaosStack, expectEveryOrderDoneOnce, startChaosStack } from './chaosStack';
import { placeEverything } from './load';
import { sleep } from './processes';

const PER_FAMILY = Number(process.env.CHAOS_PER_FAMILY ?? 200);
const RESTARTS = 2;

/**
 * Issue 6's second durability proof: stop the Temporal dev server and start it again
 * on the same SQLite file and port while 200 orders of every family are in flight.
 * The API rides through (503 + Retry-After while it is down; the partner retries
 * with the same Idempotency-Key), the worker reconnects, nothing is lost. On
 * PostgreSQL when TEST_POSTGRES_URL is set (CI), so the proofs cover both databases.
 */
const kind = process.env.TEST_POSTGRES_URL ? 'postgresql' : 'libsql';

describe(`a Temporal dev server restart under load (${kind})`, () => {
  let stack: ChaosStack;
  beforeAll(async () => {
    stack = await startChaosStack(kind);
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it(`loses none of ${PER_FAMILY} orders of every family across ${RESTARTS} restarts on the same SQLite file`, async () => {
    const started = Date.now();
    let stopRestarting = false;
    const restarts = (async () => {
      for (let r = 0; r < RESTARTS && !stopRestarting; r += 1) {
        await sleep(15_000 + Math.random() * 15_000);
        await stack.temporal.restart(3000);
      }
    })();
    const placed = await placeEverything(stack.partner, stack.client, PER_FAMILY, 'restart').catch((err: unknown) => {
      stopRestarting = true;
      throw err;
    });
    await restarts;
    const placedAfter = Date.now() - started;

    await expectEveryOrderDoneOnce(stack, placed, PER_FAMILY);
    expect(stack.temporal.restarts).toBe(RESTARTS);
    console.log(
      `Temporal restarts: ${stack.temporal.restarts}, orders: ${placed.length}, placed in ${Math.round(placedAfter / 1000)} s, ` +
        `all final after ${Math.round((Date.now() - started) / 1000)} s; partner retries: ${stack.partner.retries} ` +
        `(network errors ${stack.partner.networkErrors}); worker exits on its own: ${stack.worker.unexpectedExits}`,
    );
  }, 30 * 60_000);
});
