import { httpMefSeller, MefSellerRefusedError } from '../../src/external/mefOrders/seller';
import { mefOrder } from '../support/mefOrders';
import { answerJson as answer, failureOf, useStubServer } from '../support/stubServer';

const stub = useStubServer();
const sellerUrl = () => `${stub.url}/seller/`;

const item = mefOrder().orderItems[1]!;
describe('HTTP seller adapter for MEF orders against a local stub', () => {
  it('starts a step with PUT and passes on a request for the buyer', async () => {
    stub.answer = answer(200, { outcome: 'NEEDS_BUYER', message: 'site access needed' });
    const seller = httpMefSeller(sellerUrl(), 2000);
    await expect(seller.startStep({ orderId: 'ORD-1', item, step: 'INSTALL' })).resolves.toEqual({ outcome: 'NEEDS_BUYER', message: 'site access needed' });
    expect(stub.seen).toEqual([{ method: 'PUT', url: '/seller/orders/ORD-1/items/02/steps/INSTALL', body: { item, buyerAnswered: false } }]);
  });

  it('treats a 4xx as a permanent refusal carrying the seller\'s message, and 5xx, 429 and timeouts as transient', async () => {
    const seller = httpMefSeller(sellerUrl(), 300);
    stub.answer = answer(422, { message: 'no capacity at the site' });
    const refused = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'INSTALL' }));
    expect(refused).toBeInstanceOf(MefSellerRefusedError);
    expect(refused.message).toBe('no capacity at the site');
    for (const status of [500, 503, 429, 408]) {
      stub.answer = answer(status);
      const err = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'DESIGN' }));
      expect([status, err instanceof MefSellerRefusedError]).toEqual([status, false]);
    }
    stub.answer = () => undefined; // never answers
    const slow = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'DESIGN' }));
    expect(slow).not.toBeInstanceOf(MefSellerRefusedError);
  });

  it('asks for a cancellation assessment and releases reservations', async () => {
    const seller = httpMefSeller(sellerUrl(), 2000);
    stub.answer = answer(200, { accepted: false, reason: 'already active' });
    await expect(seller.assessCancellation({ orderId: 'ORD-2', items: [{ orderItemReference: '01', state: 'ACTIVATE' }] })).resolves.toEqual({ accepted: false, reason: 'already active' });
    stub.answer = answer(200, { released: 2 });
    await expect(seller.releaseResources({ orderId: 'ORD-2' })).resolves.toEqual({ released: 2 });
    expect(stub.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /seller/orders/ORD-2/cancellation-assessment', 'DELETE /seller/orders/ORD-2/reservations']);
    stub.answer = answer(200, { reason: 'no decision' });
    expect((await failureOf(seller.assessCancellation({ orderId: 'ORD-2', items: [] }))).message).toContain('without accepted');
  });
});
