import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpMefSeller, MefSellerRefusedError } from '../../src/external/mefSeller';
import { mefOrder } from '../support/mefOrders';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: { method: string; url: string; body: unknown }[] = [];

const answer = (status: number, body?: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: text ? JSON.parse(text) : undefined });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/seller/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

const item = mefOrder().orderItems[1]!;
const failureOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: Error) => e);

describe('HTTP seller adapter for MEF orders against a local stub', () => {
  it('starts a step with PUT and passes on a request for the buyer', async () => {
    handler = answer(200, { outcome: 'NEEDS_BUYER', message: 'site access needed' });
    const seller = httpMefSeller(baseUrl, 2000);
    await expect(seller.startStep({ orderId: 'ORD-1', item, step: 'INSTALL' })).resolves.toEqual({ outcome: 'NEEDS_BUYER', message: 'site access needed' });
    expect(seen).toEqual([{ method: 'PUT', url: '/seller/orders/ORD-1/items/02/steps/INSTALL', body: { item, buyerAnswered: false } }]);
  });

  it('treats a 4xx as a permanent refusal carrying the seller\'s message, and 5xx, 429 and timeouts as transient', async () => {
    const seller = httpMefSeller(baseUrl, 300);
    handler = answer(422, { message: 'no capacity at the site' });
    const refused = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'INSTALL' }));
    expect(refused).toBeInstanceOf(MefSellerRefusedError);
    expect(refused.message).toBe('no capacity at the site');
    for (const status of [500, 503, 429, 408]) {
      handler = answer(status);
      const err = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'DESIGN' }));
      expect([status, err instanceof MefSellerRefusedError]).toEqual([status, false]);
    }
    handler = () => undefined; // never answers
    const slow = await failureOf(seller.startStep({ orderId: 'ORD-1', item, step: 'DESIGN' }));
    expect(slow).not.toBeInstanceOf(MefSellerRefusedError);
  });

  it('asks for a cancellation assessment and releases reservations', async () => {
    const seller = httpMefSeller(baseUrl, 2000);
    handler = answer(200, { accepted: false, reason: 'already active' });
    await expect(seller.assessCancellation({ orderId: 'ORD-2', items: [{ orderItemReference: '01', state: 'ACTIVATE' }] })).resolves.toEqual({ accepted: false, reason: 'already active' });
    handler = answer(200, { released: 2 });
    await expect(seller.releaseResources({ orderId: 'ORD-2' })).resolves.toEqual({ released: 2 });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /seller/orders/ORD-2/cancellation-assessment', 'DELETE /seller/orders/ORD-2/reservations']);
    handler = answer(200, { reason: 'no decision' });
    expect((await failureOf(seller.assessCancellation({ orderId: 'ORD-2', items: [] }))).message).toContain('without accepted');
  });
});
