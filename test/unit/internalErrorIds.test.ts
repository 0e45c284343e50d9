import express from 'express';
import request from 'supertest';
import { correlationId } from '../../src/api/shared/correlation';
import { errorHandler } from '../../src/api/shared/errors';
import { createLogger } from '../../src/log';

/** An app whose every route fails with a bug of ours, behind the same middleware as the real one. */
function appWithABug() {
  const app = express();
  app.use(correlationId);
  app.use(() => {
    throw new TypeError('boom');
  });
  app.use(errorHandler(createLogger('api', 'silent')));
  return app;
}

describe('a 500 carries its error id, the request\'s correlation id, in every family (seed 000: "included in the cause field")', () => {
  it.each([
    ['sales leads', 'post', '/2.5/sp_spec/sales_leads/'],
    ['price API', 'post', '/api/1.0/offerInquiry'],
  ] as const)('%s: in cause and errorId', async (_family, method, path) => {
    const res = await request(appWithABug())[method](path).set('X-Correlation-ID', 'corr-500-cause');
    expect(res.status).toBe(500);
    expect(res.headers['x-correlation-id']).toBe('corr-500-cause');
    expect(res.body).toEqual({
      cause: 'An unknown error has occurred. Error id corr-500-cause',
      message: 'Internal error corr-500-cause',
      errorId: 'corr-500-cause',
    });
  });

  it.each([
    ['eSIM', 'post', '/esim/v1/order'],
    ['MEF', 'get', '/orders/ORD-1'],
  ] as const)('%s: the {code, message} shape kept, the id in message and errorId', async (_family, method, path) => {
    const res = await request(appWithABug())[method](path).set('X-Correlation-ID', 'corr-500-code');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal error corr-500-code', errorId: 'corr-500-code' });
  });

  it('uses the generated correlation id when the caller sent none', async () => {
    const res = await request(appWithABug()).get('/api/1.0/orders/x');
    expect(res.status).toBe(500);
    expect(res.body.errorId).toBe(res.headers['x-correlation-id']);
    expect(res.body.cause).toContain(res.headers['x-correlation-id']);
  });
});
