import { MefHubDeliverySchema } from '../../src/db/entities';
import { mefHubCommands } from '../../src/ops/mefHub';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, testConfig, useStack } from '../support/harness';
import { mefOrder } from '../support/mefOrders';
import { WebhookReceiver } from '../support/webhookReceiver';

/**
 * Issue 20 part 1: the buyer's notification hub. Listeners registered over HTTP receive
 * every event their query admits once, signed with their own secret, from a real local
 * receiver's point of view; a listener that never answers lands in the dead-letter list,
 * and the ops CLI redelivers from it.
 */
describe.each(DATABASE_KINDS)('the MEF notification hub on %s', (kind) => {
  const configEnv = {
    MEF_STEP_DESIGN: '200ms',
    MEF_STEP_INSTALL: '200ms',
    MEF_STEP_ACTIVATE: '200ms',
    MEF_CLOSED_ORDER_WINDOW: '1 day',
    SIM_MEF_SELLER_LATENCY_MS: '0',
    MEF_HUB_RETRY_FOR: '2s',
  };
  const stack = useStack(kind, { configEnv });
  let db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ db, h, demo, other } = await signIn(stack)));
  const receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
  });
  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const register = async (body: Record<string, unknown>, token = demo) => {
    const res = await api(h, token).post('/hub', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; callback: string; query: string | null; signingSecret: string };
  };
  const completedOrder = async () => {
    const res = await api(h, demo).post('/orders', mefOrder());
    expect(res.status).toBe(201);
    await eventually(async () => expect((await api(h, demo).get(`/orders/${res.body.id}`)).body.orderStatus).toBe('COMPLETED'), 30_000, 200);
    return res.body.id as string;
  };
  const deliveriesOf = (orderId: string) => db.orm.em.fork().find(MefHubDeliverySchema, { orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

  it('registers, shows, lists and deletes a buyer\'s listeners, in the buyer\'s tenant only, and refuses what it would not call', async () => {
    const listener = await register({ callback: 'http://127.0.0.1:9/a', query: 'eventType=productOrderStateChangeEvent' });
    expect(listener).toMatchObject({ id: expect.stringMatching(/^HUB-/), callback: 'http://127.0.0.1:9/a', query: 'eventType=productOrderStateChangeEvent' });
    expect(listener.signingSecret).toMatch(/^whsec_/);
    const shown = await api(h, demo).get(`/hub/${listener.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ id: listener.id, callback: listener.callback, query: listener.query, createdAt: expect.any(String) });
    expect((await api(h, demo).get('/hub')).body.map((l: { id: string }) => l.id)).toContain(listener.id);
    expect((await api(h, other).get(`/hub/${listener.id}`)).status).toBe(404);
    expect((await api(h, other).delete(`/hub/${listener.id}`)).status).toBe(404);
    expect((await api(h, other).get('/hub')).body.map((l: { id: string }) => l.id)).not.toContain(listener.id);

    expect((await api(h, demo).delete(`/hub/${listener.id}`)).status).toBe(204);
    expect((await api(h, demo).get(`/hub/${listener.id}`)).status).toBe(404);
    expect((await api(h, demo).delete(`/hub/${listener.id}`)).status).toBe(404);

    const fields = async (body: unknown) => {
      const res = await api(h, demo).post('/hub', body);
      expect(res.status).toBe(400);
      return (res.body.errors as { field: string; message: string }[]).map((e) => (e.field === '(body)' ? e.message : e.field));
    };
    expect(await fields({})).toEqual(['callback']);
    expect(await fields({ callback: 'ftp://example.com/x' })).toEqual(['callback']);
    expect(await fields({ callback: 'https://example.com/x', query: 'eventType=orderShipped' })).toEqual(['query']);
    expect(await fields({ callback: 'https://example.com/x', query: 'state=done' })).toEqual(['query']);
    expect(await fields({ callback: 'https://example.com/x', colour: 'red' })).toEqual([expect.stringContaining('colour')]);
  });

  it('answers a retried registration with the same listener and secret, and refuses the key for another one', async () => {
    const body = { callback: 'https://example.com/hub' };
    const first = await api(h, demo).post('/hub', body).set('Idempotency-Key', 'hub-key-1');
    const retry = await api(h, demo).post('/hub', body).set('Idempotency-Key', 'hub-key-1');
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    const reused = await api(h, demo).post('/hub', { callback: 'https://example.com/other' }).set('Idempotency-Key', 'hub-key-1');
    expect([reused.status, reused.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    await api(h, demo).delete(`/hub/${first.body.id}`);
  });

  it('delivers each state change of an order once, signed, to every listener that asked for it, and to no other', async () => {
    const [all, stateChanges, items, deleted, othersListener] = await Promise.all([receiver(), receiver(), receiver(), receiver(), receiver()]);
    const registered = await Promise.all([
      register({ callback: all.url }),
      register({ callback: stateChanges.url, query: 'eventType=productOrderStateChangeEvent,cancelProductOrderStateChangeEvent' }),
      register({ callback: items.url, query: 'eventType=productOrderItemStateChangeEvent' }),
      register({ callback: deleted.url }),
      register({ callback: othersListener.url }, other),
    ]);
    [all, stateChanges, items, deleted, othersListener].forEach((r, i) => (r.secret = registered[i]!.signingSecret));
    expect((await api(h, demo).delete(`/hub/${registered[3]!.id}`)).status).toBe(204);

    const orderId = await completedOrder();
    // Three order state changes (to `all` and `stateChanges`), three per item for its two items (to `all` and `items`),
    // and three seller steps per item done (milestones, to `all`).
    const rows = await eventually(async () => {
      const found = await deliveriesOf(orderId);
      expect(found.map((d) => d.state)).toEqual(Array(24).fill('DELIVERED'));
      return found;
    }, 30_000, 200);
    expect(new Set(rows.map((d) => d.listenerId))).toEqual(new Set([registered[0]!.id, registered[1]!.id, registered[2]!.id]));

    type Event = { eventId: string; eventType: string; event: { id: string; href: string; orderStatus?: string; orderItemId?: string; state?: string; fromState?: string | null } };
    const eventsOf = (r: WebhookReceiver) => {
      expect(r.refused).toEqual([]);
      expect(r.repeats).toBe(0);
      return [...r.bodies.values()] as Event[];
    };
    const orderEvents = (r: WebhookReceiver) => eventsOf(r).filter((e) => e.eventType === 'productOrderStateChangeEvent');
    const itemEvents = (r: WebhookReceiver) => eventsOf(r).filter((e) => e.eventType === 'productOrderItemStateChangeEvent');
    for (const r of [all, stateChanges]) {
      expect(orderEvents(r).map((e) => [e.event.id, e.event.orderStatus])).toEqual([
        [orderId, 'ACKNOWLEDGED'],
        [orderId, 'IN_PROGRESS'],
        [orderId, 'COMPLETED'],
      ]);
      expect(orderEvents(r)[0]!.event.href).toMatch(new RegExp(`/orders/${orderId}$`));
    }
    for (const r of [all, items]) {
      const byItem = (ref: string) => itemEvents(r).filter((e) => e.event.orderItemId === ref).map((e) => [e.event.fromState, e.event.state]);
      for (const ref of ['01', '02']) {
        expect(byItem(ref)).toEqual([
          [null, 'ACKNOWLEDGED'],
          ['ACKNOWLEDGED', 'IN_PROGRESS'],
          ['IN_PROGRESS', 'COMPLETED'],
        ]);
      }
      expect(itemEvents(r)).toHaveLength(6);
    }
    const milestones = eventsOf(all).filter((e) => e.eventType === 'productSpecificProductOrderMilestoneEvent') as unknown as { event: { orderItemId: string; milestoneName: string } }[];
    for (const ref of ['01', '02']) {
      expect(milestones.filter((m) => m.event.orderItemId === ref).map((m) => m.event.milestoneName)).toEqual(['DESIGN_COMPLETED', 'INSTALL_COMPLETED', 'ACTIVATE_COMPLETED']);
    }
    expect(eventsOf(all)).toHaveLength(15);
    expect(eventsOf(stateChanges)).toHaveLength(3);
    expect(eventsOf(items)).toHaveLength(6);
    // The event id is the order's notification id (or its item event's): the same event, whichever listener.
    expect(orderEvents(all).map((e) => e.eventId)).toEqual(orderEvents(stateChanges).map((e) => e.eventId));
    expect(itemEvents(all).map((e) => e.eventId)).toEqual(itemEvents(items).map((e) => e.eventId));
    for (const r of [deleted, othersListener]) expect(r.deliveries.size).toBe(0);
    await Promise.all(registered.map((l, i) => api(h, i === 4 ? other : demo).delete(`/hub/${l.id}`)));
  });

  it('puts an event a listener never takes in the dead-letter list after MEF_HUB_RETRY_FOR, and redelivers it from there', async () => {
    const down = await receiver();
    down.status = 503;
    const listener = await register({ callback: down.url, query: 'eventType=productOrderStateChangeEvent' });
    down.secret = listener.signingSecret;
    const orderId = await completedOrder();
    const failed = await eventually(async () => {
      const found = await deliveriesOf(orderId);
      expect(found.map((d) => d.state)).toEqual(Array(3).fill('FAILED'));
      return found;
    }, 90_000, 250);
    expect(failed.every((d) => d.attempts >= 2 && d.lastError === 'the endpoint answered HTTP 503')).toBe(true);

    const ctx = { config: testConfig(configEnv), orm: async () => db.orm, client: () => Promise.reject(new Error('not needed')) };
    const run = async (name: string, argv: string[], options: [string, string][] = []) => {
      const lines: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
      const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
      try {
        const code = await mefHubCommands.find((c) => c.name === name)!.run({ positional: argv, options: new Map(options), flags: new Set() }, ctx as never);
        return { code, lines };
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    };
    const listed = await run('notifications-failed', [], [['--tenant', 'demo']]);
    for (const d of failed) expect(listed.lines.some((l) => l.startsWith(`${d.id}  tenant=demo  order=${orderId}  ${d.eventType}`))).toBe(true);

    const stillDown = await run('redeliver', [failed[0]!.id]);
    expect(stillDown.code).toBe(1);
    expect(stillDown.lines).toEqual([`skipped ${failed[0]!.id}: still not delivered (it stays in the list): the endpoint answered HTTP 503`]);

    down.status = 204;
    const redelivered = await run('redeliver', failed.map((d) => d.id));
    expect(redelivered).toEqual({ code: 0, lines: failed.map((d) => `redelivered ${d.id}`) });
    expect((await deliveriesOf(orderId)).map((d) => d.state)).toEqual(Array(3).fill('DELIVERED'));
    expect(down.refused).toEqual([]);
    const orderStates = [...down.bodies.values()].flatMap((e) => ((e as { eventType: string }).eventType === 'productOrderStateChangeEvent' ? [(e as { event: { orderStatus: string } }).event.orderStatus] : []));
    expect(orderStates).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
    expect(down.bodies.size).toBe(3);
    expect((await run('redeliver', [failed[0]!.id])).lines).toEqual([`skipped ${failed[0]!.id}: it is DELIVERED, not FAILED`]);
    await api(h, demo).delete(`/hub/${listener.id}`);
  });
});
