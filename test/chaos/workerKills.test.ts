import { ChaosStack, expectEveryOrderDoneOnce, startChaosStack } from './chaosStack';
import { placeEverything } from './load';
import { sleep } from './processes';

const PER_FAMILY = Number(process.env.CHAOS_PER_FAMILY ?? 200);
const KILLS = 20;

/**
 * Issue 6's first durability proof: kill -9 the worker 20 times at random points
 * while 200 orders of every family are placed and worked on, starting it again each
 * time. Nothing is lost, nothing happens twice. libsql (the embedded default).
 */
describe('kill -9 of the worker under load', () => {
  let stack: ChaosStack;
  beforeAll(async () => {
    stack = await startChaosStack('libsql');
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it(`brings ${PER_FAMILY} orders of every family to their final state once each, across ${KILLS} kills`, async () => {
    const started = Date.now();
    let stopKilling = false;
    const kills = (async () => {
      for (let k = 0; k < KILLS && !stopKilling; k += 1) {
        await stack.worker.ready();
        // Anywhere from the first polls to the middle of activities, timers and polls.
        await sleep(300 + Math.random() * 4700);
        await stack.worker.killAndRestart();
      }
    })();
    const placed = await placeEverything(stack.partner, stack.client, PER_FAMILY, 'kill').catch((err: unknown) => {
      stopKilling = true;
      throw err;
    });
    await kills;
    const placedAfter = Date.now() - started;

    await expectEveryOrderDoneOnce(stack, placed, PER_FAMILY);
    expect(stack.worker.kills).toBe(KILLS);
    expect(stack.worker.unexpectedExits).toBe(0);
    console.log(
      `worker kills: ${stack.worker.kills}, orders: ${placed.length}, placed in ${Math.round(placedAfter / 1000)} s, ` +
        `all final after ${Math.round((Date.now() - started) / 1000)} s; partner retries: ${stack.partner.retries} (network errors ${stack.partner.networkErrors})`,
    );
  }, 30 * 60_000);
});
