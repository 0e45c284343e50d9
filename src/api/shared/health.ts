import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { Orm, ping } from '../../db/orm';
import type { HttpMetrics } from './metrics';
import { RETRY_AFTER_SECONDS } from './errors';

export type Check = () => Promise<void>;

async function within(ms: number, check: Check): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `failing: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness: the process answers. Public on both listeners, touches nothing behind it, so
 * a partner (or anyone) calling it costs a few microseconds.
 */
export function livenessRouter(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}

/** What readiness asks: Temporal and our database. */
export function backendChecks(client: Client, orm: Orm): Record<string, Check> {
  return {
    temporal: async () => {
      await client.workflowService.getSystemInfo({});
    },
    database: () => ping(orm),
  };
}

/**
 * Readiness (Temporal and the database answer, each named) and the Prometheus metrics: for
 * operators, probes and scrapers, so served on the ops listener only (src/api/ops/app.ts).
 * On the partners' port they told anyone what runs behind the API, and each readiness
 * call reached Temporal and the database unlimited.
 */
export function readinessRouter(checks: Record<string, Check>, metrics: HttpMetrics): Router {
  const router = Router();
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => within(2000, checks[n]!)));
    const report = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ready = results.every((r) => r === 'ok');
    if (!ready) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: report });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
