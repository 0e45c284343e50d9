import { MefBuyerEndpointSchema, MefNotificationSchema } from '../../src/db/entities';
import { newWebhookSecret } from '../../src/external/shared/webhookSignature';
import { ChaosStack, expectEveryOrderDoneOnce, startChaosStack } from './chaosStack';
import { placeEverything, Placed } from './load';
import { Answered, until } from './partner';
import { sleep } from './processes';
import { WebhookReceiver } from '../support/webhookReceiver';

const PER_FAMILY = Number(process.env.CHAOS_SCALE_OUT_PER_FAMILY ?? 60);
// The shipped default: the proof is about the limit users run with.
const RATE_LIMIT = 1200;
const LEAD_NOT_THERE = '/2.5/sp_spec/sales_leads/no-such-lead';

/**
 * Issue 19's proof that several processes hold one truth: two API processes (each its
 * own port, the partner calling them in turn as a round-robin balancer would) and two
 * workers on one Temporal dev server and one PostgreSQL. Mid-load one worker is killed
 * (kill -9, then started again) and one API (kill -9, then a new one on its port).
 * Every order ends once, every feed item is there once, every MEF notification reaches
 * the buyer's receiver signed and, deduped by webhook-id, once; and the rate limit is one
 * budget for the client across both APIs, the killed one's successor included.
 * PostgreSQL only: it is what lets several API processes share the limit.
 */
const withPostgres = process.env.TEST_POSTGRES_URL ? describe : describe.skip;

withPostgres('two APIs and two workers on one Temporal and PostgreSQL', () => {
  let stack: ChaosStack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    stack = await startChaosStack('postgresql', { apiProcesses: 2, workers: 2, apiEnv: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) }, recordAnswers: true });
    const secret = newWebhookSecret();
    receiver = await WebhookReceiver.start(secret);
    await stack.db.orm.em.fork().upsert(MefBuyerEndpointSchema, { tenantId: 'demo', notificationUrl: receiver.url, signingSecret: secret });
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  }, 120_000);

  it(`bring ${PER_FAMILY} orders of every family to their end once each, through a worker kill and an API kill`, async () => {
    const started = Date.now();
    let stop = false;
    const chaos = (async () => {
      await sleep(3000 + Math.random() * 7000);
      if (!stop) await stack.workers[1]!.killAndRestart();
      await sleep(2000 + Math.random() * 8000);
      if (!stop) await stack.killAndRestartApi(0, 2000);
      // Spend the client's budget for this window through both APIs, the new one included.
      if (!stop) await spendBudget(stack);
    })();
    const placed = await placeEverything(stack.partner, stack.client, PER_FAMILY, 'scale').catch((err: unknown) => {
      stop = true;
      throw err;
    });
    await chaos;
    const placedAfter = Date.now() - started;

    await expectEveryOrderDoneOnce(stack, placed, PER_FAMILY);
    expect(stack.workers.map((w) => [w.kills, w.unexpectedExits])).toEqual([[0, 0], [1, 0]]);
    const sharedWork = await workerIdentities(stack, placed);
    expect(sharedWork.size).toBeGreaterThanOrEqual(2);

    const notifications = await expectEveryNotificationReceivedOnce(stack, receiver, placed);
    const windows = expectOneRateLimitBudget(stack.partner.answers);

    console.log(
      `two APIs (one killed), two workers (one killed); orders: ${placed.length}, placed in ${Math.round(placedAfter / 1000)} s, ` +
        `all final after ${Math.round((Date.now() - started) / 1000)} s; partner retries: ${stack.partner.retries} (network errors ${stack.partner.networkErrors}); ` +
        `workers that ran MEF activities: ${sharedWork.size}; MEF notifications: ${notifications} received, ${receiver.repeats} repeated deliveries deduped; ` +
        `rate-limit windows: ${windows.map((w) => `${w.allowed} allowed, ${w.refused} refused`).join('; ')}`,
    );
  }, 30 * 60_000);
});

/** Reads that are cheap for the API, through both APIs in turn, until each has answered 429 (bounded). */
async function spendBudget(stack: ChaosStack): Promise<void> {
  const refusedBy = new Set<number>();
  for (let sent = 0; refusedBy.size < stack.apis.length && sent < 3 * RATE_LIMIT; sent += 4) {
    const answers = await Promise.all([0, 1, 2, 3].map((k) => stack.partner.once('GET', LEAD_NOT_THERE, undefined, {}, k % stack.apis.length)));
    answers.forEach((a, k) => a.status === 429 && refusedBy.add(k % stack.apis.length));
  }
}

/** The identities (pid@host) of the workers that started the MEF orders' activities. */
async function workerIdentities(stack: ChaosStack, placed: Placed[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const o of placed.filter((p) => p.family === 'mefOrder')) {
    const history = await stack.client.workflow.getHandle(o.workflowId).fetchHistory();
    for (const e of history.events ?? []) {
      const identity = e.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  return identities;
}

/**
 * Every notification the workflows queued for delivery reaches the buyer's receiver with
 * a signature that holds; deduped by webhook-id, each once, none the database does not know.
 */
async function expectEveryNotificationReceivedOnce(stack: ChaosStack, receiver: WebhookReceiver, placed: Placed[]): Promise<number> {
  const em = () => stack.db.orm.em.fork();
  const deliverable = await until('every MEF notification delivered', async () => {
    const rows = await em().find(MefNotificationSchema, { delivery: { $ne: 'NOT_APPLICABLE' } });
    const pending = rows.filter((r) => r.delivery !== 'DELIVERED');
    return pending.length ? { done: false, seen: pending.map((r) => `${r.id} ${r.delivery}`) } : { done: true, value: rows };
  }, 120_000, 2000);
  const mefOrders = new Set(placed.filter((o) => o.family === 'mefOrder').map((o) => o.id));
  expect(new Set(deliverable.map((r) => r.orderId))).toEqual(mefOrders);
  expect(receiver.refused).toEqual([]);
  expect([...receiver.deliveries.keys()].sort()).toEqual(deliverable.map((r) => r.id).sort());
  for (const row of deliverable) expect(receiver.bodies.get(row.id)).toMatchObject({ id: row.id, orderId: row.orderId, notificationType: row.notificationType });
  // Each order's own notifications, once each: a state the buyer heard of twice would be two ids.
  const perOrder = new Map<string, string[]>();
  for (const body of receiver.bodies.values()) perOrder.set(String(body.orderId), [...(perOrder.get(String(body.orderId)) ?? []), `${String(body.notificationType)} ${String(body.orderStatus)}`]);
  for (const [orderId, events] of perOrder) expect([orderId, new Set(events).size]).toEqual([orderId, events.length]);
  return deliverable.length;
}

interface Window {
  allowed: number;
  refused: number;
}

/**
 * The partner's answers, grouped by the rate-limit window their `RateLimit` header places
 * them in (its end: when the request was sent plus `reset`; windows end a minute apart or more). One
 * budget across the APIs means each allowed request in a window has its own `remaining`
 * (one counter, counted once per request; a counter per process would repeat them) and at
 * most the limit are allowed; in the window the budget was spent in, both APIs refused.
 */
function expectOneRateLimitBudget(answers: Answered[]): Window[] {
  expect(answers.filter((a) => a.rateLimit === null)).toEqual([]);
  const parsed = answers.map((a) => {
    const m = /^limit=(\d+), remaining=(\d+), reset=(\d+)$/.exec(a.rateLimit!);
    expect(m).not.toBeNull();
    return { ...a, limit: Number(m![1]), remaining: Number(m![2]), end: a.sentAt + Number(m![3]) * 1000 };
  });
  parsed.sort((a, b) => a.end - b.end);
  const groups: (typeof parsed)[] = [];
  for (const p of parsed) {
    const last = groups.at(-1);
    if (last && p.end - last[0]!.end < 10_000) last.push(p);
    else groups.push([p]);
  }
  expect(new Set(parsed.map((p) => p.limit))).toEqual(new Set([RATE_LIMIT]));
  const windows = groups.map((g) => {
    const allowed = g.filter((p) => p.status !== 429);
    const remaining = allowed.map((p) => p.remaining);
    expect({ allowedInWindow: remaining.length, distinctRemaining: new Set(remaining).size }).toEqual({ allowedInWindow: remaining.length, distinctRemaining: remaining.length });
    expect(allowed.length).toBeLessThanOrEqual(RATE_LIMIT);
    return { allowed: allowed.length, refused: g.length - allowed.length, refusedBy: new Set(g.filter((p) => p.status === 429).map((p) => p.api)) };
  });
  expect(windows.some((w) => w.refusedBy.size === 2)).toBe(true);
  return windows.map(({ allowed, refused }) => ({ allowed, refused }));
}
