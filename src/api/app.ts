import express, { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Config } from '../config';
import { isPostgres, type Orm } from '../db/orm';
import type { Logger } from '../log';
import { Authenticator } from './shared/auth';
import { correlationId } from './shared/correlation';
import { errorHandler, unroutable } from './shared/errors';
import { livenessRouter } from './shared/health';
import type { HttpMetrics } from './shared/metrics';
import { OpenApiRegistry } from './shared/openapi';
import { rateLimiter } from './shared/rateLimit';
import { databaseRateLimitStore } from './shared/rateLimitStore';
import { rejectNulCharacters } from './shared/nulCharacters';
import { declareSalesLeadRoutes } from './salesLeads/routes';
import { declareAuthRoutes } from './auth/routes';
import { RouteTable } from './shared/routes';
import { declareFibreRoutes } from './fibre/routes';
import { declareEsimOrderRoutes } from './esimOrders/routes';
import { declareMefOrderRoutes } from './mefOrders/routes';
import { declareMefHubRoutes } from './mefOrders/hubRoutes';
import { declareMefCancellationRoutes } from './mefOrders/cancellationRoutes';

export interface AppDeps {
  /** Every setting, parsed once; a family's router reads its own from here. */
  config: Config;
  client: Client;
  orm: Orm;
  auth: Authenticator;
  logger: Logger;
  /** Counted here, served by the ops listener's /metrics (src/api/ops/app.ts). */
  metrics: HttpMetrics;
  taskQueue: string;
  reviewDeadline: Duration;
  leadAnswerTimeoutMs: number;
  rateLimitPerMinute: number;
}

/** The Express app, apart from the process that listens, so tests drive it without a port. */
export function createApp(deps: AppDeps): Express {
  const { auth, logger, metrics } = deps;
  const app = express();
  const openapi = new OpenApiRegistry();

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(correlationId);
  app.use(metrics.middleware);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          method: req.method,
          path: req.originalUrl,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          correlationId: res.locals.correlationId,
          tenantId: res.locals.principal?.tenantId,
          clientId: res.locals.principal?.clientId,
          // Who really called when a client acted for another (price API impersonation).
          impersonatedBy: res.locals.principal?.impersonatedBy,
        },
        'request',
      );
    });
    next();
  });
  app.use(livenessRouter());
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi.document());
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json', customSiteTitle: 'Ordering APIs' }));

  // Shared by every API process on PostgreSQL; counted in this process on the embedded libsql default.
  const sharedStore = isPostgres(deps.orm) ? databaseRateLimitStore(deps.orm) : undefined;
  app.use(rateLimiter(deps.rateLimitPerMinute, { auth, store: sharedStore }));
  app.use(express.json({ limit: '1mb' }));
  app.use(rejectNulCharacters);

  const routes = new RouteTable(app, auth, openapi);
  declareAuthRoutes(routes, auth);
  declareSalesLeadRoutes(routes, deps);
  declareEsimOrderRoutes(routes, deps);
  declareFibreRoutes(routes, deps);
  declareMefOrderRoutes(routes, deps);
  declareMefHubRoutes(routes, deps);
  declareMefCancellationRoutes(routes, deps);

  app.use(unroutable((path) => openapi.methodsFor(path)));
  app.use(errorHandler(logger));
  return app;
}
