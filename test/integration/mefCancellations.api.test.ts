import { cancelSignal, mefOrderWorkflowId } from '../../src/workflows/mefOrders/contract';
import { api, signIn } from '../support/api';
import { DATABASE_KINDS } from '../support/databases';
import { eventually } from '../support/eventually';
import { Harness, useStack } from '../support/harness';
import { mefOrder } from '../support/mefOrders';
import { WebhookReceiver } from '../support/webhookReceiver';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const FAR_FUTURE = '2099-01-01T00:00:00Z';

/**
 * Issue 20 part 3: a cancellation is a resource the buyer follows (TMF622 CancelProductOrder):
 * acknowledged → inProgress → done | terminatedWithError, from POST /cancelOrder, the seed's
 * POST /orders/{id}/cancel and an operator's cancel alike, told to hub listeners as it moves.
 */
describe.each(DATABASE_KINDS)('MEF cancellations on %s', (kind) => {
  const stack = useStack(kind, {
    configEnv: {
      MEF_STEP_DESIGN: '100ms',
      MEF_STEP_INSTALL: '4s',
      MEF_STEP_ACTIVATE: '4s',
      MEF_CANCELLATION_ASSESSMENT: '300ms',
      MEF_CLOSED_ORDER_WINDOW: '1 day',
      SIM_MEF_SELLER_LATENCY_MS: '0',
    },
  });
  let env: TestWorkflowEnvironment, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, h, demo, other } = await signIn(stack)));

  const order = async (future = true) => {
    const res = await api(h, demo).post('/orders', mefOrder((o) => { if (future) o.requestedStartDate = FAR_FUTURE; }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const itemsIn = (id: string, step: string) =>
    eventually(async () => expect((await api(h, demo).get(`/orders/${id}/status`)).body.orderItems.map((i: { state: string }) => i.state)).toContain(step), 20_000, 100);
  const cancellation = (id: string, state: string, token = demo) =>
    eventually(async () => {
      const res = await api(h, token).get(`/cancelOrder/${id}`);
      expect([res.status, res.body.state]).toEqual([200, state]);
      return res.body;
    }, 20_000, 100);

  it('cancels before installation at once: 201 done, followed by id, listed, the buyer\'s own; a retry answers the same cancellation', async () => {
    const orderId = await order();
    const res = await api(h, demo).post('/cancelOrder', { productOrder: { id: orderId }, cancellationReason: 'budget cut' }).set('Idempotency-Key', 'cancel-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^CAN-/),
      productOrder: { id: orderId, href: expect.stringMatching(new RegExp(`/orders/${orderId}$`)) },
      cancellationReason: 'budget cut',
      requestedBy: 'buyer',
      state: 'done',
    });
    expect(res.headers.location).toBe(`/cancelOrder/${res.body.id}`);
    expect((await api(h, demo).get(`/orders/${orderId}`)).body.orderStatus).toBe('CANCELLED');
    // Links are absolute, with the host each request came in on (supertest's port changes): compared apart.
    const sansLinks = ({ href: _href, productOrder, ...rest }: { href: string; productOrder: { id: string } }) => ({ ...rest, orderId: productOrder.id });
    expect(sansLinks((await api(h, demo).get(`/cancelOrder/${res.body.id}`)).body)).toEqual(sansLinks(res.body));
    expect((await api(h, demo).get(`/cancelOrder?orderId=${orderId}`)).body.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    expect((await api(h, other).get(`/cancelOrder/${res.body.id}`)).status).toBe(404);
    expect((await api(h, other).get(`/cancelOrder?orderId=${orderId}`)).body).toEqual([]);

    const retry = await api(h, demo).post('/cancelOrder', { productOrder: { id: orderId }, cancellationReason: 'budget cut' }).set('Idempotency-Key', 'cancel-1');
    expect([retry.status, sansLinks(retry.body)]).toEqual([201, sansLinks(res.body)]);
    const reused = await api(h, demo).post('/cancelOrder', { productOrder: { id: await order() } }).set('Idempotency-Key', 'cancel-1');
    expect([reused.status, reused.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    const again = await api(h, demo).post('/cancelOrder', { productOrder: { id: orderId } });
    expect([again.status, again.body.code]).toEqual([409, 'INVALID_STATE']);
    expect((await api(h, demo).post('/cancelOrder', { productOrder: { id: 'ORD-nope' } })).status).toBe(404);
    const bad = await api(h, demo).post('/cancelOrder', { order: orderId });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('productOrder');
  });

  it('follows an assessed cancellation inProgress to done, and one the seller refuses to terminatedWithError while the order goes on; hub listeners hear each move', async () => {
    const receiver = await WebhookReceiver.start();
    const listener = (await api(h, demo).post('/hub', { callback: receiver.url, query: 'eventType=cancelProductOrderStateChangeEvent' })).body;
    receiver.secret = listener.signingSecret;
    try {
      const accepted = await order(false);
      await itemsIn(accepted, 'INSTALL');
      const first = await api(h, demo).post('/cancelOrder', { productOrder: { id: accepted }, cancellationReason: 'site closed' });
      expect([first.status, first.body.state]).toEqual([201, 'inProgress']);
      expect((await cancellation(first.body.id, 'done')).stateReason).toBeUndefined();
      expect((await api(h, demo).get(`/orders/${accepted}`)).body.orderStatus).toBe('CANCELLED');

      const refused = await order(false);
      await itemsIn(refused, 'ACTIVATE');
      const second = await api(h, demo).post('/cancelOrder', { productOrder: { id: refused } });
      expect([second.status, second.body.state]).toEqual([201, 'inProgress']);
      const ended = await cancellation(second.body.id, 'terminatedWithError');
      expect(ended.stateReason).toEqual(expect.any(String));
      expect((await api(h, demo).get(`/orders/${refused}`)).body.orderStatus).not.toBe('CANCELLED');

      const heard = await eventually(async () => {
        const events = [...receiver.bodies.values()] as { eventType: string; event: { cancelProductOrderId: string; fromState: string | null; state: string } }[];
        expect(events).toHaveLength(4);
        return events;
      }, 20_000, 100);
      expect(receiver.refused).toEqual([]);
      expect(heard.map((e) => [e.eventType, e.event.cancelProductOrderId, e.event.fromState, e.event.state])).toEqual([
        ['cancelProductOrderStateChangeEvent', first.body.id, null, 'inProgress'],
        ['cancelProductOrderStateChangeEvent', first.body.id, 'inProgress', 'done'],
        ['cancelProductOrderStateChangeEvent', second.body.id, null, 'inProgress'],
        ['cancelProductOrderStateChangeEvent', second.body.id, 'inProgress', 'terminatedWithError'],
      ]);
    } finally {
      await api(h, demo).delete(`/hub/${listener.id}`);
      await receiver.stop();
    }
  });

  it('makes the seed\'s POST /orders/{id}/cancel and an operator\'s cancel signal cancellations too', async () => {
    const viaSeed = await order();
    const res = await api(h, demo).post(`/orders/${viaSeed}/cancel`, { reason: 'seed path' });
    expect([res.status, res.body.orderStatus]).toEqual([200, 'CANCELLED']);
    expect(res.headers.location).toMatch(/^\/cancelOrder\/CAN-/);
    expect(await api(h, demo).get(res.headers.location!).then((r) => r.body)).toMatchObject({ productOrder: { id: viaSeed }, cancellationReason: 'seed path', requestedBy: 'buyer', state: 'done' });

    const viaOps = await order();
    await env.client.workflow.getHandle(mefOrderWorkflowId(viaOps)).signal(cancelSignal, { reason: 'ops cleanup' });
    const listed = await eventually(async () => {
      const rows = (await api(h, demo).get(`/cancelOrder?orderId=${viaOps}&state=done`)).body as { id: string; requestedBy: string; cancellationReason: string }[];
      expect(rows).toHaveLength(1);
      return rows[0]!;
    }, 20_000, 100);
    expect(listed).toMatchObject({ id: `CAN-${viaOps}-1`, requestedBy: 'operator', cancellationReason: 'ops cleanup' });

    // An operator's signal may name any id: it never takes over another order's cancellation.
    const seedCancellation = res.headers.location!.split('/').pop()!;
    const third = await order();
    await env.client.workflow.getHandle(mefOrderWorkflowId(third)).signal(cancelSignal, { reason: 'hijack', cancellationId: seedCancellation });
    await eventually(async () => expect((await api(h, demo).get(`/orders/${third}`)).body.orderStatus).toBe('CANCELLED'), 20_000, 100);
    expect(await api(h, demo).get(`/cancelOrder/${seedCancellation}`).then((r) => r.body)).toMatchObject({ productOrder: { id: viaSeed }, cancellationReason: 'seed path' });
  });
});
