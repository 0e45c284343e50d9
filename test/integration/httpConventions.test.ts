import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { answerClientErrorsInFamilyShape } from '../../src/api/shared/clientErrors';
import { Harness, useStack } from '../support/harness';
import { validLead } from '../support/leads';

/** A `$ref` into the document's components (named schemas, shared headers) followed to what it names. */
function resolved(doc: Record<string, any>, node: Record<string, any>): Record<string, any> {
  if (typeof node?.$ref !== 'string') return node;
  return (node.$ref as string).replace(/^#\//, '').split('/').reduce((at: Record<string, any>, key) => at[key], doc);
}

describe('HTTP conventions shared by every family', () => {
  // The rate limit's own test: sharedRateLimit.test.ts.
  const stack = useStack('libsql');
  let h: Harness;
  beforeAll(() => {
    h = stack.h;
  });

  it('issues a JWT for Basic credentials, never to be cached, and refuses a wrong secret with 401 and a cause', async () => {
    const ok = await request(h.app).get('/api/1.0/auth').auth('demo', 'demo-secret');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ expiresIn: 3600, impersonating: null, accessToken: expect.stringMatching(/^ey/) });
    expect([ok.headers['cache-control'], ok.headers.pragma]).toEqual(['no-store', 'no-cache']);
    const bad = await request(h.app).get('/api/1.0/auth').auth('demo', 'wrong');
    expect(bad.status).toBe(401);
    expect(bad.body.cause).toBe('Invalid client credentials');
    expect(bad.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('answers an unknown path with 501 and the sales-lead/price error shape', async () => {
    const res = await request(h.app).get('/2.5/sp_spec/unknown');
    expect(res.status).toBe(501);
    expect(res.body.cause).toContain('GET /2.5/sp_spec/unknown');
  });

  it('answers an unknown eSIM or MEF path with 501 in the {code, message} shape', async () => {
    const res = await request(h.app).get('/esim/v1/nothing');
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringContaining('/esim/v1/nothing') });
  });

  it('answers malformed JSON and a body of the wrong type with 400 naming the problem', async () => {
    const token = await h.token('demo');
    const broken = await request(h.app)
      .post('/2.5/sp_spec/sales_leads/')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"accessId": ');
    expect(broken.status).toBe(400);
    expect(broken.body.cause).toMatch(/^Malformed JSON/);
    const wrongTypes = await request(h.app)
      .post('/2.5/sp_spec/sales_leads/')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...validLead(), products: 'bb-250', customerDetails: { ...validLead().customerDetails, identifiedCustomer: 'yes' } });
    expect(wrongTypes.status).toBe(400);
    const fields = (wrongTypes.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['products', 'customerDetails.identifiedCustomer']));
  });

  it('refuses a NUL character in a body field, a path id or a query parameter with 400 naming where, not a database error', async () => {
    // Its own caller: this file's rate limit is 5 per minute per Authorization header.
    const as = (r: request.Test, token: string) => r.set('Authorization', `Bearer ${token}`);
    const token = await h.token('broker');
    const lead = await as(request(h.app).post('/2.5/sp_spec/sales_leads/'), token).send(validLead({}, { customerFirstname: 'An\u0000na' }));
    expect([lead.status, lead.body]).toEqual([
      400,
      {
        status: 'FAILED',
        cause: 'customerDetails.customerFirstname: must not contain the NUL character (U+0000)',
        message: 'must not contain the NUL character (U+0000)',
        errors: [{ field: 'customerDetails.customerFirstname', message: 'must not contain the NUL character (U+0000)' }],
      },
    ]);
    const mefId = await as(request(h.app).get('/orders/%00'), token);
    expect([mefId.status, mefId.body.code, mefId.body.errors]).toEqual([400, 'INVALID_REQUEST_PARAMS', [{ field: '(path)', message: expect.any(String) }]]);
    const mefQuery = await as(request(h.app).get('/orders?buyerId=%00'), token);
    expect([mefQuery.status, mefQuery.body.errors[0].field]).toEqual([400, 'buyerId']);
    const inquiry = await as(request(h.app).get('/api/1.0/inquiries/a%00b'), token);
    expect([inquiry.status, inquiry.body.cause]).toEqual([400, '(path): must not contain the NUL character (U+0000)']);
  });

  it('answers a body nested 20000 levels deep with 400, not a stack overflow', async () => {
    // A caller of its own (broker acting for demo, a CLIENT): this file's rate limit is 5 per minute.
    const auth = await request(h.app).get('/api/1.0/auth').query({ impersonate: 'demo' }).auth('broker', 'broker-secret');
    const deep = await request(h.app)
      .post('/api/1.0/priceEstimate')
      .set('Authorization', `Bearer ${auth.body.accessToken}`)
      .set('Content-Type', 'application/json')
      .send(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect([deep.status, deep.body.errors[0].field]).toEqual([400, '(body)']);
  });

  it('reports readiness and Prometheus metrics on the ops listener only; liveness on both', async () => {
    const ready = await request(h.ops).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok' } });
    expect((await request(h.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(h.ops).get('/healthz')).body).toEqual({ status: 'ok' });
    // The partners' port says nothing of what runs behind it: 501, as for any path it does not serve.
    for (const path of ['/readyz', '/metrics']) expect((await request(h.app).get(path)).status).toBe(501);
    const metrics = await request(h.ops).get('/metrics');
    expect(metrics.status).toBe(200);
    // What the partners' port answered is counted, by route template.
    expect(metrics.text).toContain('http_requests_total{method="GET",route="/healthz",status="200"}');
  });

  it('publishes an OpenAPI document generated from the zod schemas, and renders it at /docs', async () => {
    const doc = await request(h.app).get('/openapi.json');
    expect(doc.status).toBe(200);
    const post = doc.body.paths['/2.5/sp_spec/sales_leads/'].post;
    const schema = resolved(doc.body, post.requestBody.content['application/json'].schema);
    expect(schema.required).toEqual(expect.arrayContaining(['accessId', 'coId', 'orderDateTime', 'products', 'customerDetails']));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '400']));
    const queryOf = (path: string) =>
      (doc.body.paths[path].get.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
    expect(queryOf('/api/1.0/availability/')).toEqual(expect.arrayContaining(['street', 'number', 'littera', 'city']));
    expect(queryOf('/api/1.0/orders')).toEqual(['since', 'limit']);
    expect(queryOf('/api/1.0/auth')).toEqual(['impersonate']);
    const docs = await request(h.app).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('documents 429 and 503 with Retry-After on every operation, in its family\'s error shape; the token exchange cannot answer 503', async () => {
    const doc = await request(h.app).get('/openapi.json');
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, { responses: Record<string, any> }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, responses: op.responses })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(30);
    for (const { path, method, responses } of operations) {
      const statuses = path === '/api/1.0/auth' ? ['429'] : ['429', '503'];
      for (const status of statuses) {
        const answer = responses[status];
        const retryAfter = answer?.headers?.['Retry-After'] && resolved(doc.body, answer.headers['Retry-After']).schema;
        expect({ path, method, status, retryAfter }).toEqual({ path, method, status, retryAfter: expect.objectContaining({ type: 'integer' }) });
        const required = resolved(doc.body, answer.content['application/json'].schema).required as string[];
        expect({ path, required }).toEqual({ path, required: expect.arrayContaining(path.startsWith('/esim/') || ['/orders', '/hub', '/cancelOrder'].some((root) => path.startsWith(root)) ? ['code'] : ['cause']) });
      }
    }
    expect(doc.body.paths['/api/1.0/auth'].get.responses['503']).toBeUndefined();
  });

  it('echoes X-Correlation-ID and makes one when none is sent', async () => {
    expect((await request(h.app).get('/healthz').set('X-Correlation-ID', 'abc-123')).headers['x-correlation-id']).toBe('abc-123');
    expect((await request(h.app).get('/healthz')).headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a URL over the parser\'s 16 KB limit with 431 in the family\'s error shape', async () => {
    const server = h.app.listen(0, '127.0.0.1');
    answerClientErrorsInFamilyShape(server);
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const long = 'a'.repeat(20_000);
      const mef = await fetch(`${base}/orders/${long}`);
      expect(mef.status).toBe(431);
      expect(await mef.json()).toEqual({ code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: expect.stringMatching(/too large/) });
      const fibre = await fetch(`${base}/api/1.0/inquiries/${long}`);
      expect(fibre.status).toBe(431);
      expect(await fibre.json()).toEqual({ cause: expect.stringMatching(/too large/), message: expect.stringMatching(/too large/) });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
