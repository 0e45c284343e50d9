import request from 'supertest';
import { useApiOnly } from '../support/apiOnly';

/**
 * What no route answers: a path the API serves with a method it does not is 405 with
 * Allow (HTTP); a path it does not serve at all is 501 (seed 000). Both in the family's
 * error shape, before authentication (neither says anything about a resource).
 */
describe('unknown endpoints and undeclared methods', () => {
  const stack = useApiOnly('libsql');

  it.each([
    ['trace', '/orders/ORD-1/hold', 'POST', 'code'],
    ['delete', '/esim/v1/order', 'POST', 'code'],
    ['put', '/2.5/sp_spec/sales_leads/abc', 'GET, HEAD', 'cause'],
    ['post', '/api/1.0/inquiries/abc', 'GET, HEAD', 'cause'],
    ['delete', '/orders/ORD-1', 'GET, PUT, PATCH, HEAD', 'code'],
  ] as const)('%s %s answers 405 with Allow: %s', async (method, path, allow, shape) => {
    const res = await request(stack.app)[method](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    if (shape === 'code') expect(res.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining(`allowed: ${allow}`) });
    else expect(res.body.cause).toBe(`Method ${method.toUpperCase()} is not allowed on ${path}; allowed: ${allow}`);
  });

  it.each([
    ['get', '/2.5/sp_spec/unknown', 'cause'],
    ['post', '/esim/v1/nothing', 'code'],
    ['trace', '/orders/ORD-1/hold/extra', 'code'],
  ] as const)('%s %s (no such path) answers 501', async (method, path, shape) => {
    const res = await request(stack.app)[method](path);
    expect(res.status).toBe(501);
    expect(res.headers.allow).toBeUndefined();
    if (shape === 'code') expect(res.body).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringContaining(path) });
    else expect(res.body.cause).toContain(path);
  });

  it('lists in Allow exactly what /openapi.json documents for the path', async () => {
    const doc = (await request(stack.app).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const [template, operations] of Object.entries(doc.paths)) {
      const concrete = template.replace(/\{\w+\}/g, 'x-1');
      const documented = Object.keys(operations).map((m) => m.toUpperCase());
      const res = await request(stack.app).trace(concrete);
      expect({ template, status: res.status }).toEqual({ template, status: 405 });
      for (const m of documented) expect(res.headers.allow).toContain(m);
    }
  });
});
