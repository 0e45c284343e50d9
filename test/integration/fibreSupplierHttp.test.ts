import request from 'supertest';
import { fibreSupplierFromConfig, httpFibreSupplier, SupplierNotReadyError } from '../../src/external/fibre/supplier';
import type { InquiryAssessment, OfferForOrder, OfferInquiryRequest } from '../../src/workflows/fibre/inquiryContract';
import { eventually } from '../support/eventually';
import { testConfig, useStack } from '../support/harness';
import { asyncInquiry, FIBRE_BASE, orderBody } from '../support/fibreInquiryBodies';
import { failureOf, startStubServer, useStubServer } from '../support/stubServer';

type Answer = { status: number; body?: unknown };

/** The supplier: answers from a script per path (the last answer repeats) and records what it was sent. */
const stub = useStubServer();
const script = new Map<string, Answer[]>();
beforeAll(() => {
  stub.answer = (req, res) => {
    const queue = script.get(req.url ?? '') ?? [];
    const next = queue.length > 1 ? queue.shift()! : (queue[0] ?? { status: 500, body: { message: 'no script' } });
    res.writeHead(next.status, { 'content-type': 'application/json' });
    res.end(next.body === undefined ? '' : JSON.stringify(next.body));
  };
});
beforeEach(() => script.clear());

const inquiry = { supplier: 'STOKAB', comment: 'Two entries, please' } as unknown as OfferInquiryRequest;
const assessment = { outcome: 'priced' } as unknown as InquiryAssessment;
const offer = { supplier: 'STOKAB' } as unknown as OfferForOrder;

describe('the HTTP fibre supplier adapter against a local stub', () => {
  const supplier = () => httpFibreSupplier(`${stub.url}/`, 2000);

  it('puts the inquiry to /inquiries/{id}/answer and returns the supplier\'s answer', async () => {
    const answer = { success: true, message: 'Two entries are fine', oneTimeFee: 21000, monthlyFee: 800, offerValidUntilDate: '2027-01-31', deliveryDurationDays: 40 };
    script.set('/inquiries/inq-1/answer', [{ status: 200, body: answer }]);
    await expect(supplier().answerInquiry({ inquiryId: 'inq-1', inquiry, assessment })).resolves.toEqual(answer);
    expect(stub.seen).toEqual([{ method: 'PUT', url: '/inquiries/inq-1/answer', body: { inquiry, assessment } }]);
  });

  it('treats 202 as "no answer yet": a retryable failure, so the activity\'s back-off asks again', async () => {
    script.set('/inquiries/inq-2/answer', [{ status: 202 }]);
    const err = await failureOf(supplier().answerInquiry({ inquiryId: 'inq-2', inquiry, assessment }));
    expect(err).toBeInstanceOf(SupplierNotReadyError);
  });

  it('turns a refusal for good (4xx) into a failed answer carrying the supplier\'s message', async () => {
    script.set('/inquiries/inq-3/answer', [{ status: 422, body: { message: 'No ducts in Testvägen' } }]);
    await expect(supplier().answerInquiry({ inquiryId: 'inq-3', inquiry, assessment })).resolves.toEqual({ success: false, message: 'No ducts in Testvägen' });
  });

  it('retries what may pass: 5xx, 429, a malformed answer, a timeout', async () => {
    script.set('/inquiries/a/answer', [{ status: 503, body: { message: 'maintenance' } }]);
    script.set('/inquiries/b/answer', [{ status: 429 }]);
    script.set('/inquiries/c/answer', [{ status: 200, body: { success: 'yes' } }]);
    expect((await failureOf(supplier().answerInquiry({ inquiryId: 'a', inquiry, assessment }))).message).toBe('maintenance');
    expect((await failureOf(supplier().answerInquiry({ inquiryId: 'b', inquiry, assessment }))).message).toBe('the supplier answered HTTP 429');
    expect((await failureOf(supplier().answerInquiry({ inquiryId: 'c', inquiry, assessment }))).message).toMatch(/answer is malformed: success/);
    const silent = await startStubServer(() => undefined); // never answers
    try {
      const slow = httpFibreSupplier(silent.url, 200);
      expect((await failureOf(slow.answerInquiry({ inquiryId: 'd', inquiry, assessment }))).name).toBe('TimeoutError');
    } finally {
      await silent.close();
    }
  });

  it('puts an order to /orders/{id}/delivery: delivered with a connection id, or rejected with a message', async () => {
    script.set('/orders/ord-1/delivery', [{ status: 200, body: { delivered: true, connectionId: 'STOKAB-777' } }]);
    script.set('/orders/ord-2/delivery', [{ status: 200, body: { delivered: false, message: 'Landlord refused access' } }]);
    script.set('/orders/ord-3/delivery', [{ status: 409, body: { message: 'Order unknown to the supplier' } }]);
    script.set('/orders/ord-4/delivery', [{ status: 200, body: { delivered: true } }]);
    await expect(supplier().deliverOrder({ orderId: 'ord-1', offer })).resolves.toEqual({ delivered: true, connectionId: 'STOKAB-777' });
    await expect(supplier().deliverOrder({ orderId: 'ord-2', offer })).resolves.toEqual({ delivered: false, message: 'Landlord refused access' });
    await expect(supplier().deliverOrder({ orderId: 'ord-3', offer })).resolves.toEqual({ delivered: false, message: 'Order unknown to the supplier' });
    expect((await failureOf(supplier().deliverOrder({ orderId: 'ord-4', offer }))).message).toMatch(/connectionId/);
    expect(stub.seen[0]).toEqual({ method: 'PUT', url: '/orders/ord-1/delivery', body: { offer } });
  });
});

describe('an async inquiry answered by an HTTP supplier that first says "not yet" (dev server, libsql)', () => {
  const stack = useStack('libsql', {
    configEnv: { FIBRE_ASYNC_ANSWER_DELAY: '1s', FIBRE_DELIVERY_SPEEDUP: String(10 * 86400) },
    // The stub's port is known only once it listens, so the adapter is chosen from configuration when the worker starts.
    fibreSupplier: () => fibreSupplierFromConfig(testConfig({ FIBRE_SUPPLIER_ADAPTER: 'http', FIBRE_SUPPLIER_URL: stub.url })),
  });

  it('polls until the supplier answers, then the inquiry is DONE_ASYNC_ANSWER_SUCCESS with its fees, and the order is delivered with its connection id', async () => {
    const { h } = stack;
    const token = await h.token('demo');
    const posted = await request(h.app).post(`${FIBRE_BASE}/offerInquiry`).set('Authorization', `Bearer ${token}`).send(asyncInquiry());
    expect(posted.status).toBe(201);
    const { inquiryId } = posted.body as { inquiryId: string };
    script.set(`/inquiries/${inquiryId}/answer`, [{ status: 202 }, { status: 200, body: { success: true, oneTimeFee: 30000, monthlyFee: 900, offerValidUntilDate: '2099-01-31' } }]);
    const answered = await eventually(async () => {
      const r = await request(h.app).get(`${FIBRE_BASE}/inquiries/${inquiryId}`).set('Authorization', `Bearer ${token}`);
      expect(r.body.status.state).toBe('DONE_ASYNC_ANSWER_SUCCESS');
      return r.body;
    }, 40_000, 250);
    expect(answered).toMatchObject({ offerValidUntilDate: '2099-01-31', product: { price: { oneTimeFee: 30000, monthlyFee: 900 } } });
    expect(stub.seen.filter((s) => s.url === `/inquiries/${inquiryId}/answer`)).toHaveLength(2);

    const placed = await request(h.app).post(`${FIBRE_BASE}/orders`).set('Authorization', `Bearer ${token}`).send(orderBody(inquiryId));
    expect(placed.status).toBe(201);
    script.set(`/orders/${placed.body.orderId}/delivery`, [{ status: 200, body: { delivered: true, connectionId: 'STOKAB-HTTP-1' } }]);
    const delivered = await eventually(async () => {
      const r = await request(h.app).get(`${FIBRE_BASE}/orders/${placed.body.orderId}`).set('Authorization', `Bearer ${token}`);
      expect(r.body.status.state).toBe('DELIVERED');
      return r.body;
    }, 40_000, 250);
    expect(delivered.connectionId).toBe('STOKAB-HTTP-1');
  });
});
