import type { Express } from 'express';
import request from 'supertest';
import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { Authenticator, loadClients } from '../../src/api/shared/auth';
import { httpMetrics } from '../../src/api/shared/metrics';
import type { Config } from '../../src/config';
import type { Orm } from '../../src/db/orm';
import { createLogger } from '../../src/log';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestDatabase } from './databases';
import type { Harness } from './harness';

/** Requests to the API as one client: each carries that client's bearer token. */
export interface Api {
  get(path: string): request.Test;
  delete(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
}

export function api(target: { app: Express }, token: string): Api {
  const as = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  const withBody = (r: request.Test, body: unknown) => (body === undefined ? r : r.send(body as object));
  return {
    get: (path) => as(request(target.app).get(path)),
    delete: (path) => as(request(target.app).delete(path)),
    post: (path, body) => withBody(as(request(target.app).post(path)), body),
    put: (path, body) => withBody(as(request(target.app).put(path)), body),
    patch: (path, body) => withBody(as(request(target.app).patch(path)), body),
  };
}

/**
 * For a `beforeAll` of a file on `useStack`: the stack's handles and the bearer tokens
 * of the two demo clients, `demo` and `other` (two tenants, for isolation tests).
 */
export async function signIn(stack: { env: TestWorkflowEnvironment; db: TestDatabase; h: Harness }) {
  return { env: stack.env, db: stack.db, h: stack.h, demo: await stack.h.token('demo'), other: await stack.h.token('other') };
}

/**
 * The API alone, silent and with test settings, on a task queue of the caller's
 * choosing: for tests of what the API answers when no worker polls that queue.
 */
export function apiApp(deps: { config: Config; client: Client; orm: Orm; taskQueue: string; rateLimitPerMinute?: number }): Express {
  const { config, rateLimitPerMinute = 100_000, ...rest } = deps;
  return createApp({
    ...rest,
    config,
    auth: new Authenticator(loadClients(config.clientsFile), config.jwtSecret, 3600),
    logger: createLogger('api', 'silent'),
    metrics: httpMetrics(),
    reviewDeadline: config.env.LEAD_REVIEW_DEADLINE,
    leadAnswerTimeoutMs: config.env.LEAD_ANSWER_TIMEOUT_MS,
    rateLimitPerMinute,
  });
}
