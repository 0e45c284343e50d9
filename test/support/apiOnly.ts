import type { Express } from 'express';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { apiApp } from './api';
import { freshDatabase, TestDatabase } from './databases';
import { testConfig } from './harness';

/**
 * The API alone on a real database, for endpoints that only read the database
 * (the fibre reference data): no Temporal server, no worker. The client's lazy
 * connection points nowhere and is never dialled; a test that reached Temporal
 * would fail with 503, not pass by accident.
 */
export function useApiOnly(kind: TestDatabase['name']) {
  const stack = {} as { app: Express; db: TestDatabase; token(clientId: string, impersonate?: string): Promise<string> };
  beforeAll(async () => {
    const config = testConfig();
    stack.db = await freshDatabase(kind);
    stack.app = apiApp({
      config,
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      orm: stack.db.orm,
      taskQueue: 'unused',
    });
    stack.token = async (clientId, impersonate) => {
      const res = await request(stack.app)
        .get('/api/1.0/auth')
        .query(impersonate ? { impersonate } : {})
        .auth(clientId, `${clientId}-secret`);
      if (res.status !== 200) throw new Error(`auth for ${clientId} failed: ${res.status}`);
      return res.body.accessToken as string;
    };
  });
  afterAll(async () => {
    await stack.db?.drop();
  });
  return stack;
}
