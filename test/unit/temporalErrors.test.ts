import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../src/api/shared/errors';
import { createLogger } from '../../src/log';

/** What a Temporal client call rejects with: a gRPC service error (details + metadata) with a status code. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

function appThrowing(err: unknown) {
  const app = express();
  app.post('/esim/v1/order', () => {
    throw err;
  });
  app.use(errorHandler(createLogger('api', 'silent')));
  return app;
}

describe('Temporal refusing for now', () => {
  it('answers RESOURCE_EXHAUSTED (too many in-flight updates) with 503 and Retry-After, not 500', async () => {
    const err = new Error('Update-with-Start could not be executed.', {
      cause: grpcError(8, 'limit on number of concurrent in-flight updates has been reached (10)'),
    });
    const res = await request(appThrowing(err)).post('/esim/v1/order');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('still answers an error of ours (a bug) with 500 and an error id', async () => {
    const res = await request(appThrowing(new TypeError('boom'))).post('/esim/v1/order');
    expect(res.status).toBe(500);
    expect(res.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
