import { NotificationSchema } from '../../src/api/mefOrders/schema';
import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MefBuyerEndpointSchema, MefNotificationSchema, MefOrderRecordSchema, SimulatedMefReservationSchema } from '../../src/db/entities';
import { ApiFamily, CorrelationId, OrderStatus, TenantId } from '../../src/workflows/shared/searchAttributes';
import { cancelSignal, holdSignal, mefOrderWorkflowId, releaseSignal, statusQuery } from '../../src/workflows/mefOrders/contract';
import { api, apiApp, signIn } from '../support/api';
import { DATABASE_KINDS, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { deriveId } from '../../src/api/shared/idempotency';
import { Harness, testConfig, useStack } from '../support/harness';
import { mefOrder, SEED_CREATE_ORDER } from '../support/mefOrders';
import { startStubServer } from '../support/stubServer';

const FAR_FUTURE = '2099-01-01T00:00:00Z';

describe.each(DATABASE_KINDS)('MEF orders through the API, worker and dev server on %s', (kind) => {
  const stack = useStack(kind, {
    configEnv: {
      MEF_STEP_DESIGN: '300ms',
      MEF_STEP_INSTALL: '300ms',
      MEF_STEP_ACTIVATE: '300ms',
      MEF_CANCELLATION_ASSESSMENT: '200ms',
      MEF_CLOSED_ORDER_WINDOW: '1 day',
      SIM_MEF_SELLER_LATENCY_MS: '0',
    },
  });
  let env: TestWorkflowEnvironment, db: TestDatabase, h: Harness, demo: string, other: string;
  beforeAll(async () => ({ env, db, h, demo, other } = await signIn(stack)));

  const post = (path: string, body: unknown, token = demo) => api(h, token).post(path, body);
  const get = (path: string, token = demo) => api(h, token).get(path);
  const create = async (body: unknown = mefOrder(), token = demo) => {
    const res = await post('/orders', body, token);
    expect(res.status).toBe(201);
    return res.body as { id: string; orderStatus: string; buyerOrderVersion: string; [k: string]: unknown };
  };
  const statusOf = (id: string, status: string, token = demo) =>
    eventually(async () => {
      const res = await get(`/orders/${id}`, token);
      expect(res.body.orderStatus).toBe(status);
      return res.body;
    });

  it('accepts the seed\'s "Create an Order" body as written: 201 ACKNOWLEDGED with id, own link and Location, then completes', async () => {
    const res = await post('/orders', SEED_CREATE_ORDER).set('X-Correlation-ID', 'corr-mef-1');
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^ORD-[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({
      objectType: 'order',
      // Seed 003's links are absolute: the request's own scheme and host without MEF_PUBLIC_BASE_URL.
      link: { href: `http://${res.request.url.split('/')[2]}/orders/${res.body.id}` },
      orderStatus: 'ACKNOWLEDGED',
      buyerOrderVersion: '1',
      buyerPurchaseOrderNumber: 'PO-12345',
    });
    expect(res.headers.location).toBe(`/orders/${res.body.id}`);
    // Each item carries its own state, set by the seller.
    expect(res.body.orderItems).toEqual(SEED_CREATE_ORDER.orderItems.map((i) => ({ ...i, state: 'ACKNOWLEDGED' })));

    const done = await statusOf(res.body.id, 'COMPLETED');
    expect(done.orderItems).toEqual(SEED_CREATE_ORDER.orderItems.map((i) => ({ ...i, state: 'COMPLETED' })));
    const { stateChange, ...view } = done as { stateChange: { fromState: string | null; state: string; changedBy: string; changeReason: string; notificationId: string }[] };
    const handle = env.client.workflow.getHandle(mefOrderWorkflowId(res.body.id));
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(ApiFamily)).toBe('mef');
    expect(desc.typedSearchAttributes.get(TenantId)).toBe('demo');
    expect(desc.typedSearchAttributes.get(CorrelationId)).toBe('corr-mef-1');
    expect(desc.typedSearchAttributes.get(OrderStatus)).toBe('COMPLETED');
    expect(await handle.query(statusQuery)).toEqual(view);

    const status = await get(`/orders/${res.body.id}/status?buyerPurchaseOrderNumber=PO-12345`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ orderId: res.body.id, orderStatus: 'COMPLETED', orderItems: [{ orderItemReference: '01', state: 'COMPLETED' }, { orderItemReference: '02', state: 'COMPLETED' }] });
    const notes = await get(`/orders/${res.body.id}/notifications`);
    expect(notes.body.items.map((n: { orderStatus: string }) => n.orderStatus)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
    // The order's state history is its state-change notifications, one for one.
    expect(stateChange.map((c) => [c.fromState, c.state, c.changedBy])).toEqual([
      [null, 'ACKNOWLEDGED', 'seller'],
      ['ACKNOWLEDGED', 'IN_PROGRESS', 'seller'],
      ['IN_PROGRESS', 'COMPLETED', 'seller'],
    ]);
    expect(stateChange.map((c) => c.notificationId)).toEqual(notes.body.items.map((n: { id: string }) => n.id));
    expect(await db.orm.em.fork().count(SimulatedMefReservationSchema, { orderId: res.body.id, releasedAt: null })).toBe(2);
  });

  it('sets orderDate to the time of receipt when the buyer omits it (seed 003), and a PUT without one keeps it', async () => {
    const before = Date.now();
    const res = await post('/orders', mefOrder((o) => {
      delete (o as Partial<typeof o>).orderDate;
      o.requestedStartDate = FAR_FUTURE;
    }));
    expect(res.status).toBe(201);
    const orderDate = Date.parse(res.body.orderDate);
    expect(orderDate).toBeGreaterThanOrEqual(before - 1000);
    expect(orderDate).toBeLessThanOrEqual(Date.now());
    expect((await get(`/orders/${res.body.id}`)).body.orderDate).toBe(res.body.orderDate);
    const replaced = mefOrder((o) => {
      delete (o as Partial<typeof o>).orderDate;
      o.buyerPurchaseOrderNumber = res.body.buyerPurchaseOrderNumber;
      o.requestedStartDate = FAR_FUTURE;
      o.buyerOrderContact.name = 'Jane Doe';
    });
    const put = await api(h, demo).put(`/orders/${res.body.id}`, replaced).set('If-Match', `"${res.body.buyerOrderVersion}"`);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ orderDate: res.body.orderDate, buyerOrderContact: { name: 'Jane Doe' } });
  });

  it('a retry of the same order (same buyer PO, no key) is the same order; another body for that PO is 409', async () => {
    const body = mefOrder();
    const first = await create(body);
    const again = await post('/orders', body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.id);
    const changed = await post('/orders', { ...body, notes: 'something else' });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await db.orm.em.fork().count(MefOrderRecordSchema, { buyerPurchaseOrderNumber: body.buyerPurchaseOrderNumber })).toBe(1);
  });

  it('derives the id from the Idempotency-Key, so two keys are two orders and one key is one', async () => {
    const body = mefOrder();
    const a = await post('/orders', body).set('Idempotency-Key', `k-a-${body.buyerPurchaseOrderNumber}`);
    const a2 = await post('/orders', body).set('Idempotency-Key', `k-a-${body.buyerPurchaseOrderNumber}`);
    const b = await post('/orders', body).set('Idempotency-Key', `k-b-${body.buyerPurchaseOrderNumber}`);
    expect(a.body.id).toBe(a2.body.id);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('rejects an order naming an ENNI the buyer does not have: 201 REJECTED with the reason', async () => {
    const res = await post('/orders', mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-999-zzz'; }));
    expect(res.status).toBe(201);
    expect(res.body.orderStatus).toBe('REJECTED');
    const notes = await get(`/orders/${res.body.id}/notifications`);
    expect(notes.body.items[0].message).toContain('ENNI ENNI-999-zzz is not an ENNI of this buyer');
    // Another buyer's ENNI is no better than an unknown one.
    const others = await post('/orders', mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-900-oth'; }));
    expect(others.body.orderStatus).toBe('REJECTED');
  });

  it('answers 400 naming the field when orderedUniReference names no item of the order, and starts nothing', async () => {
    const body = mefOrder((o) => { o.orderItems[0]!.orderItemDetail.uniReference!.orderItemReference = '09'; });
    const res = await post('/orders', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST_PARAMS');
    expect(res.body.errors).toEqual([{ field: 'orderItems.0.orderItemDetail.uniReference.orderItemReference', message: 'names no order item of this order ("09")' }]);
    expect(await db.orm.em.fork().count(MefOrderRecordSchema, { buyerPurchaseOrderNumber: body.buyerPurchaseOrderNumber })).toBe(0);
  });

  it('holds, refuses a second hold with the state in the message, releases and cancels at once before installation', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    expect(order.orderStatus).toBe('ACKNOWLEDGED');
    const held = await post(`/orders/${order.id}/hold`, { reason: 'budget review' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ id: order.id, orderStatus: 'HELD', statusMessage: 'The order is held: budget review' });
    const again = await post(`/orders/${order.id}/hold`, {});
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'INVALID_STATE', message: expect.stringContaining(`Order ${order.id} is HELD: hold is only possible while the order is ACKNOWLEDGED, IN_PROGRESS`) });
    expect((await post(`/orders/${order.id}/release`, {})).body.orderStatus).toBe('ACKNOWLEDGED');
    expect((await post(`/orders/${order.id}/release`, {})).status).toBe(409);
    const cancelled = await post(`/orders/${order.id}/cancel`, { reason: 'no longer needed' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.orderStatus).toBe('CANCELLED');
    const late = await post(`/orders/${order.id}/cancel`, {});
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('is CANCELLED');
    const final = (await get(`/orders/${order.id}`)).body;
    expect(final.orderStatus).toBe('CANCELLED');
    expect(final.orderItems.map((i: { state: string }) => i.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(final.stateChange.map((c: { fromState: string | null; state: string; changedBy: string; changeReason: string }) => [c.fromState, c.state, c.changedBy, c.changeReason])).toEqual([
      [null, 'ACKNOWLEDGED', 'seller', expect.any(String)],
      ['ACKNOWLEDGED', 'HELD', 'buyer', 'budget review'],
      ['HELD', 'ACKNOWLEDGED', 'buyer', expect.any(String)],
      ['ACKNOWLEDGED', 'CANCELLED', 'buyer', 'no longer needed'],
    ]);
    const notes = await get(`/orders/${order.id}/notifications`);
    expect(notes.body.items.map((n: { orderStatus: string }) => n.orderStatus)).toEqual(['ACKNOWLEDGED', 'HELD', 'ACKNOWLEDGED', 'CANCELLED']);
  });

  it('obeys the ops signals hold, release and cancel like the HTTP actions, and ignores a refused one', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    const handle = env.client.workflow.getHandle(mefOrderWorkflowId(order.id));
    await handle.signal(releaseSignal, {});
    await handle.signal(holdSignal, { reason: 'ops check' });
    await statusOf(order.id, 'HELD');
    await handle.signal(releaseSignal, {});
    await statusOf(order.id, 'ACKNOWLEDGED');
    await handle.signal(cancelSignal, { reason: 'ops' });
    const cancelled = await statusOf(order.id, 'CANCELLED');
    expect(cancelled.stateChange.map((c: { state: string; changedBy: string }) => `${c.state} by ${c.changedBy}`)).toEqual([
      'ACKNOWLEDGED by seller',
      'HELD by operator',
      'ACKNOWLEDGED by operator',
      'CANCELLED by operator',
    ]);
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(OrderStatus)).toBe('CANCELLED');
  });

  it('replaces with PUT and patches with PATCH, incrementing buyerOrderVersion; a stale If-Match is 412, a stale body version 409', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    const put = await api(h, demo).put(`/orders/${order.id}`).set('If-Match', '"1"').send({ ...mefOrder(), buyerPurchaseOrderNumber: order.buyerPurchaseOrderNumber, requestedStartDate: FAR_FUTURE, notes: 'replaced' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ buyerOrderVersion: '2', notes: 'replaced', orderStatus: 'ACKNOWLEDGED' });
    expect(put.headers.etag).toBe('"2"');

    const patch = await api(h, demo)
      .patch(`/orders/${order.id}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ buyerOrderVersion: '2', notes: null, projectId: 'PRJ-9' }));
    expect(patch.status).toBe(200);
    expect(patch.body.buyerOrderVersion).toBe('3');
    expect(patch.body.projectId).toBe('PRJ-9');
    expect(patch.body).not.toHaveProperty('notes');

    // What GET answers (item states and the state history included) can be sent back as it is; the seller's fields are ignored.
    const current = (await get(`/orders/${order.id}`)).body;
    expect(current.stateChange.length).toBeGreaterThan(0);
    const roundTrip = await api(h, demo).put(`/orders/${order.id}`).set('If-Match', '"3"').send({ ...current, notes: 'round trip' });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body).toMatchObject({ buyerOrderVersion: '4', notes: 'round trip' });
    expect(roundTrip.body.orderItems.map((i: { state: string }) => i.state)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED']);
    const historyPatch = await api(h, demo).patch(`/orders/${order.id}`).send({ stateChange: [] });
    expect([historyPatch.status, historyPatch.body.errors?.[0]?.field]).toEqual([400, 'stateChange']);

    // RFC 9110: a precondition the request set itself (If-Match) that is false is 412.
    const stale = await api(h, demo).patch(`/orders/${order.id}`).set('If-Match', '"2"').send({ projectId: 'PRJ-10' });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('is at buyerOrderVersion 4') });
    const staleBody = await api(h, demo).put(`/orders/${order.id}`).send({ ...mefOrder(), buyerOrderVersion: '1' });
    expect(staleBody.status).toBe(409);
    expect(staleBody.body.code).toBe('VERSION_CONFLICT');
    const stalePatchBody = await api(h, demo).patch(`/orders/${order.id}`).send({ buyerOrderVersion: '2', projectId: 'PRJ-10' });
    expect([stalePatchBody.status, stalePatchBody.body.code]).toEqual([409, 'VERSION_CONFLICT']);

    // RFC 5789: a well-formed patch whose merged order is not valid is unprocessable, 422, each field named.
    const bad = await api(h, demo).patch(`/orders/${order.id}`).send({ orderItems: [{ objectType: 'orderItem' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('INVALID_PATCHED_ORDER');
    expect(bad.body.errors[0].field).toMatch(/^orderItems\.0\./);
    const status = await api(h, demo).patch(`/orders/${order.id}`).send({ orderStatus: 'COMPLETED' });
    expect(status.status).toBe(400);
    expect(status.body.errors[0].field).toBe('orderStatus');
    const unknownEnni = await api(h, demo).patch(`/orders/${order.id}`).send({
      orderItems: [{ ...mefOrder().orderItems[0], orderItemDetail: { ...mefOrder().orderItems[0]!.orderItemDetail, enniReference: { objectType: 'existingEnniReference', sellerEnniId: 'ENNI-404' } } }, mefOrder().orderItems[1]],
    });
    expect(unknownEnni.status).toBe(422);
    expect(unknownEnni.body.code).toBe('INVALID_ORDER');

    // Moving requestedStartDate from 2099 to the past starts fulfilment now.
    const now = await api(h, demo).patch(`/orders/${order.id}`).send({ requestedStartDate: '2020-01-01T00:00:00Z' });
    expect(now.status).toBe(200);
    await statusOf(order.id, 'IN_PROGRESS');
    await post(`/orders/${order.id}/cancel`, {});
    await statusOf(order.id, 'CANCELLED');
    const closed = await api(h, demo).patch(`/orders/${order.id}`).send({ projectId: 'PRJ-11' });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toContain('is CANCELLED');
    const notes = await get(`/orders/${order.id}/notifications`);
    expect(notes.body.items.filter((n: { notificationType: string }) => n.notificationType === 'ORDER_UPDATE')).toHaveLength(4);
  });

  it('fails an order whose only items cannot be installed, and reports PARTIAL when some could', async () => {
    const failing = await create(mefOrder((o) => {
      o.orderItems[0]!.orderItemDetail.buyerOvcId = 'UNI-FAIL';
      o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-FAIL';
    }));
    await statusOf(failing.id, 'FAILED');
    const partial = await create(mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-FAIL'; }));
    await statusOf(partial.id, 'PARTIAL');
    const status = await get(`/orders/${partial.id}/status`);
    expect(status.body.orderItems).toEqual([
      { orderItemReference: '01', state: 'COMPLETED' },
      { orderItemReference: '02', state: 'FAILED', message: expect.stringContaining('no capacity at the site') },
    ]);
  });

  it('goes PENDING when the seller needs site access and resumes when the buyer answers with a note', async () => {
    const order = await create(mefOrder((o) => { o.orderItems[1]!.orderItemDetail.buyerUniId = 'UNI-ACCESS'; }));
    await statusOf(order.id, 'PENDING');
    const note = await post(`/orders/${order.id}/notifications`, { note: 'Site access on Monday from 08:00' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ notificationType: 'BUYER_NOTE', message: 'Site access on Monday from 08:00', delivery: 'NOT_APPLICABLE' });
    // The document must allow what the API answers (the fuzz test found NOT_APPLICABLE missing from the enum).
    expect(NotificationSchema.safeParse(note.body).error).toBeUndefined();
    await statusOf(order.id, 'COMPLETED');
  });

  it('keeps buyers apart: another buyer\'s order is 404 everywhere and absent from its list', async () => {
    const mine = await create();
    for (const res of [
      await get(`/orders/${mine.id}`, other),
      await get(`/orders/${mine.id}/status`, other),
      await get(`/orders/${mine.id}/notifications`, other),
      await post(`/orders/${mine.id}/hold`, {}, other),
      await post(`/orders/${mine.id}/notifications`, { note: 'x' }, other),
      await api(h, other).patch(`/orders/${mine.id}`).send({ notes: 'x' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const list = await get(`/orders?limit=1000`, other);
    expect(list.body.items.map((o: { id: string }) => o.id)).not.toContain(mine.id);
    const guest = await request(h.app).get('/api/1.0/auth').auth('guest', 'guest-secret');
    expect((await get('/orders', guest.body.accessToken)).status).toBe(403);
    expect((await request(h.app).get('/orders')).status).toBe(401);
  });

  it('lists with the seed\'s envelope, filters and pages', async () => {
    const buyerId = `Buyer-${Date.now()}`;
    const created = [];
    for (let i = 0; i < 5; i += 1) {
      created.push(await create(mefOrder((o) => {
        o.buyerId = buyerId;
        o.orderDate = `2030-01-0${i + 1}T10:00:00Z`;
        o.orderType = i === 4 ? 'UNI' : 'ACCESS_EPL';
        o.requestedStartDate = FAR_FUTURE;
      })));
    }
    await post(`/orders/${created[0]!.id}/hold`, {});
    const all = await get(`/orders?buyerId=${buyerId}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ link: { href: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/orders\\?buyerId=${buyerId}$`)) }, available: 5, returned: 5 });
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual(created.map((o) => o.id).reverse());
    const page = await get(`/orders?buyerId=${buyerId}&offset=1&limit=2`);
    expect(page.body).toMatchObject({ available: 5, returned: 2 });
    expect(page.body.items.map((o: { id: string }) => o.id)).toEqual([created[3]!.id, created[2]!.id]);
    expect((await get(`/orders?buyerId=${buyerId}&orderStatus=HELD`)).body.items.map((o: { id: string }) => o.id)).toEqual([created[0]!.id]);
    expect((await get(`/orders?buyerId=${buyerId}&orderType=UNI`)).body.available).toBe(1);
    expect((await get(`/orders?buyerId=${buyerId}&buyerPurchaseOrderNumber=${created[2]!.buyerPurchaseOrderNumber}`)).body.available).toBe(1);
    expect((await get(`/orders?buyerId=${buyerId}&sellerId=Cox%20Spectrum%20Business`)).body.available).toBe(5);
    expect((await get(`/orders?buyerId=${buyerId}&sellerId=Nobody`)).body.available).toBe(0);
    const range = await get(`/orders?buyerId=${buyerId}&orderDateFrom=2030-01-02T00:00:00Z&orderDateTo=2030-01-03T23:59:59Z`);
    expect(range.body.items.map((o: { id: string }) => o.id)).toEqual([created[2]!.id, created[1]!.id]);
    const bad = await get('/orders?orderStatus=DONE&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'orderStatus']);
  });

  it('answers a status request with 202 and delivers the status response onto the order', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    const res = await post('/orders/status-request', { buyerPurchaseOrderNumber: order.buyerPurchaseOrderNumber });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ requestId: expect.stringMatching(/^SR-/), orderId: order.id, state: 'ACCEPTED' });
    const notes = await get(`/orders/${order.id}/notifications`);
    const response = notes.body.items.find((n: { notificationType: string }) => n.notificationType === 'STATUS_RESPONSE');
    expect(response).toMatchObject({ orderStatus: 'ACKNOWLEDGED', detail: { requestId: res.body.requestId } });
    expect((await post('/orders/status-request', { buyerPurchaseOrderNumber: 'PO-none' })).status).toBe(404);
    expect((await post('/orders/status-request', {})).status).toBe(400);
  });

  it('stores an upstream status response once, visible on the order; the same responseId with another body is 409', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    const body = { responseId: `resp-${order.id}`, orderId: order.id, orderStatus: 'IN_PROGRESS', statusMessage: 'Upstream UNI is being installed' };
    const first = await post('/orders/status-response', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ notificationType: 'UPSTREAM_STATUS_RESPONSE', message: 'Upstream UNI is being installed' });
    const again = await post('/orders/status-response', body);
    expect(again.body.id).toBe(first.body.id);
    const changed = await post('/orders/status-response', { ...body, statusMessage: 'other' });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('STATUS_RESPONSE_CONFLICT');
    expect(await db.orm.em.fork().count(MefNotificationSchema, { orderId: order.id, notificationType: 'UPSTREAM_STATUS_RESPONSE' })).toBe(1);
    expect((await post('/orders/status-response', { ...body, orderStatus: 'DONE' })).status).toBe(400);
  });

  it('makes concurrent duplicate POSTs one order and lets only one of two concurrent PATCHes on one If-Match through (the other 412)', async () => {
    const body = mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/orders', body).set('Idempotency-Key', `dup-${body.buyerPurchaseOrderNumber}`)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await db.orm.em.fork().count(MefOrderRecordSchema, { buyerPurchaseOrderNumber: body.buyerPurchaseOrderNumber })).toBe(1);

    const id = answers[0]!.body.id as string;
    const patches = await Promise.all(
      ['PRJ-A', 'PRJ-B'].map((projectId) => api(h, demo).patch(`/orders/${id}`).set('If-Match', '"1"').send({ projectId })),
    );
    expect(patches.map((p) => p.status).sort()).toEqual([200, 412]);
    const winner = patches.find((p) => p.status === 200)!;
    const current = await get(`/orders/${id}`);
    expect(current.body).toMatchObject({ buyerOrderVersion: '2', projectId: winner.body.projectId });
  });

  it('finds the order for /status by any one of the seed\'s query parameters and answers 404 when they contradict it', async () => {
    const order = await create(mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; }));
    const byPo = await get(`/orders/-/status?buyerPurchaseOrderNumber=${order.buyerPurchaseOrderNumber}`);
    expect(byPo.status).toBe(200);
    expect(byPo.body).toMatchObject({ objectType: 'orderStatus', orderId: order.id, orderStatus: 'ACKNOWLEDGED', buyerOrderVersion: '1' });
    expect((await get(`/orders/-/status?orderId=${order.id}`)).body.orderId).toBe(order.id);
    expect((await get(`/orders/${order.id}/status?orderId=${order.id}&buyerId=Verizon&sellerId=Cox%20Spectrum%20Business`)).status).toBe(200);
    expect((await get(`/orders/${order.id}/status?buyerId=Someone%20else`)).status).toBe(404);
    expect((await get(`/orders/-/status?sellerId=Cox%20Spectrum%20Business`)).body.code).toBe('AMBIGUOUS_ORDER');
    expect((await get(`/orders/-/status?orderId=${order.id}`, other)).status).toBe(404);
    expect((await get(`/orders/${order.id}/status?colour=red`)).status).toBe(400);
  });

  it('delivers notifications and a status response to the buyer\'s endpoint that fails at first and then recovers', async () => {
    const received: { id: string; notificationType: string; orderStatus: string }[] = [];
    let failuresLeft = 2;
    const stub = await startStubServer((_req, res, body) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push(body as (typeof received)[number]);
      res.writeHead(200).end('{}');
    });
    try {
      const url = `${stub.url}/mef`;
      await db.orm.em.fork().nativeUpdate(MefBuyerEndpointSchema, { tenantId: 'other' }, { notificationUrl: url });
      const order = await create(mefOrder((o) => { o.orderItems[0]!.orderItemDetail.enniReference!.sellerEnniId = 'ENNI-900-oth'; }), other);
      await statusOf(order.id, 'COMPLETED', other);
      const request1 = await post('/orders/status-request', { orderId: order.id }, other);
      expect(request1.status).toBe(202);
      const rows = await eventually(async () => {
        const list = await get(`/orders/${order.id}/notifications`, other);
        expect(list.body.items.map((n: { delivery: string }) => n.delivery)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
        return list.body.items as { id: string; deliveryAttempts: number }[];
      }, 30_000, 200);
      expect(received.map((n) => [n.notificationType, n.orderStatus])).toEqual([
        ['ORDER_STATE_CHANGE', 'ACKNOWLEDGED'],
        ['ORDER_STATE_CHANGE', 'IN_PROGRESS'],
        ['ORDER_STATE_CHANGE', 'COMPLETED'],
        ['STATUS_RESPONSE', 'COMPLETED'],
      ]);
      expect(received.map((n) => n.id)).toEqual(rows.map((r) => r.id));
      expect(rows[0]!.deliveryAttempts).toBe(3);
    } finally {
      await db.orm.em.fork().nativeUpdate(MefBuyerEndpointSchema, { tenantId: 'other' }, { notificationUrl: null });
      await stub.close();
    }
  });

  it('answers a retry of a closed order from the read model, refuses another body, and refuses changes with 409 naming the state', async () => {
    const body = mefOrder((o) => { o.requestedStartDate = FAR_FUTURE; });
    const order = await create(body);
    // A closed workflow (here: terminated) is what a finished order becomes after MEF_CLOSED_ORDER_WINDOW.
    await env.client.workflow.getHandle(mefOrderWorkflowId(order.id)).terminate('closed for the test');
    const retry = await post('/orders', body);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: order.id, orderStatus: 'ACKNOWLEDGED' });
    const other = await post('/orders', { ...body, notes: 'changed' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const hold = await post(`/orders/${order.id}/hold`, {});
    expect(hold.status).toBe(409);
    expect(hold.body).toEqual({ code: 'INVALID_STATE', message: `Order ${order.id} is ACKNOWLEDGED and closed: it can no longer be changed.` });
  });

  it('documents its thirteen operations in /openapi.json as the routes declare them: If-Match, merge patch, 412 and both 422s', async () => {
    type Parameter = { name: string; in: string; required: boolean; schema: { pattern?: string } };
    type Operation = { operationId: string; parameters: Parameter[]; requestBody?: { required: boolean; content: Record<string, unknown> }; responses: Record<string, { headers: Record<string, unknown> }> };
    const doc = (await request(h.app).get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const mef = Object.entries(doc.paths).filter(([path]) => path.startsWith('/orders')).flatMap(([, methods]) => Object.values(methods));
    expect(mef.map((o) => o.operationId).sort()).toEqual(
      ['listOrders', 'createOrder', 'getOrder', 'replaceOrder', 'patchOrder', 'getOrderStatus', 'requestOrderStatus', 'recordStatusResponse', 'listOrderNotifications', 'addBuyerNote', 'cancelOrder', 'holdOrder', 'releaseOrder'].sort(),
    );
    const create = doc.paths['/orders']!.post!;
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    expect(Object.keys(create.responses['201']!.headers)).toEqual(expect.arrayContaining(['Location', 'ETag']));
    for (const method of ['put', 'patch'] as const) {
      const change = doc.paths['/orders/{id}']![method]!;
      expect(change.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: false, schema: expect.objectContaining({ pattern: expect.any(String) }) }));
      expect(Object.keys(change.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '412', '422']));
      expect(Object.keys(change.responses['200']!.headers)).toContain('ETag');
    }
    expect(Object.keys(doc.paths['/orders/{id}']!.get!.responses['200']!.headers)).toContain('ETag');
    expect(Object.keys(doc.paths['/orders/{id}']!.patch!.requestBody!.content)).toContain('application/merge-patch+json');
    expect(doc.paths['/orders']!.get!.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      ['buyerId', 'sellerId', 'orderStatus', 'buyerPurchaseOrderNumber', 'orderType', 'orderDateFrom', 'orderDateTo', 'offset', 'limit'],
    );
    for (const action of ['cancel', 'hold', 'release']) expect(doc.paths[`/orders/{id}/${action}`]!.post!.requestBody!.required).toBe(false);
  });

  it('answers 503 with Retry-After when no worker validates the order in time; the order is durably started under the id a retry derives', async () => {
    const config = testConfig({ MEF_ANSWER_TIMEOUT_MS: '1500' });
    const noWorker = apiApp({ config, client: env.client, orm: db.orm, taskQueue: `nobody-polls-${Date.now()}` });
    const body = mefOrder();
    const res = await api({ app: noWorker }, demo).post('/orders').send(body);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    // Nothing is lost: the order's workflow exists under the id a retry derives, waiting for a worker.
    const orderId = `ORD-${deriveId('demo', 'mef-order', `po:${body.buyerId}:${body.buyerPurchaseOrderNumber}`)}`;
    await eventually(async () => {
      const desc = await env.client.workflow.getHandle(mefOrderWorkflowId(orderId)).describe();
      expect(desc.status.name).toBe('RUNNING');
    });
    await env.client.workflow.getHandle(mefOrderWorkflowId(orderId)).terminate('no worker for this queue');
  });
});
