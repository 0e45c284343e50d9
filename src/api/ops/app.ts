import express, { ErrorRequestHandler, Express, Router } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import type { CodecEndpointConfig } from '../../config';
import type { Logger } from '../../log';
import type { Authenticator } from '../shared/auth';
import { HttpError } from '../shared/errors';
import { livenessRouter } from '../shared/health';
import { codecEndpoint, codecErrorBody } from './codecEndpoint';

export const CODEC_PATH = '/codec';

export interface OpsAppDeps {
  codec: PayloadCodec;
  auth: Authenticator;
  codecConfig: CodecEndpointConfig;
  logger: Logger;
  /** /readyz and /metrics (src/api/shared/health.ts): the API process passes them; a codec-only listener has none. */
  readiness?: Router;
}

/**
 * The operators' listener, apart from the partners' API: its own port (OPS_PORT), bound
 * to loopback unless OPS_HOST says otherwise, so the codec endpoint is never exposed by
 * exposing the API: the codec endpoint, readiness and the Prometheus metrics.
 */
export function createOpsApp({ codec, auth, codecConfig, logger, readiness }: OpsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy on this host, req.secure follows X-Forwarded-Proto (session cookie flags).
  app.set('trust proxy', 'loopback');
  app.use(livenessRouter());
  if (readiness) app.use(readiness);
  app.use(CODEC_PATH, codecEndpoint({ codec, auth, config: codecConfig, logger }));
  app.use((req) => {
    throw new HttpError(404, `No ${req.method} ${req.path} here; this listener serves /healthz, /readyz, /metrics, ${CODEC_PATH}/decode and ${CODEC_PATH}/encode`);
  });
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = (err as { status?: number }).status;
    if (err instanceof HttpError) return codecErrorBody(err, res);
    // body-parser's own errors (bad JSON, too large) carry a 4xx status.
    if (typeof status === 'number' && status >= 400 && status < 500) return codecErrorBody(new HttpError(status, (err as Error).message), res);
    logger.error({ err }, 'ops listener failed');
    codecErrorBody(new HttpError(500, 'Internal error; see the API log'), res);
  };
  app.use(errors);
  return app;
}
