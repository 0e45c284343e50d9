import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { openOrm } from '../db/orm';
import { createLogger } from '../log';
import { connectClient } from '../temporal/connection';
import { payloadCodecFor } from '../temporal/dataConverter';
import { createApp } from './app';
import { CODEC_PATH, createOpsApp } from './ops/app';
import { Authenticator, DEFAULT_TOKEN_SCOPE, loadClients } from './shared/auth';
import { answerClientErrorsInFamilyShape } from './shared/clientErrors';
import { backendChecks, readinessRouter } from './shared/health';
import { httpMetrics } from './shared/metrics';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.env.LOG_LEVEL);
  // Before any connection: an insecure clients file is refused however the rest is set up.
  const production = config.env.NODE_ENV === 'production';
  const auth = new Authenticator(loadClients(config.clientsFile, { production }), config.jwtSecret, config.env.JWT_TTL_SECONDS, {
    issuer: config.env.JWT_ISSUER ?? DEFAULT_TOKEN_SCOPE.issuer,
    audience: config.env.JWT_AUDIENCE ?? DEFAULT_TOKEN_SCOPE.audience,
  });
  const orm = await openOrm(config.databaseUrl);
  const client = await connectClient(config);
  const metrics = httpMetrics();
  const app = createApp({
    config,
    client,
    orm,
    auth,
    logger,
    metrics,
    taskQueue: config.env.TEMPORAL_TASK_QUEUE,
    reviewDeadline: config.env.LEAD_REVIEW_DEADLINE,
    leadAnswerTimeoutMs: config.env.LEAD_ANSWER_TIMEOUT_MS,
    rateLimitPerMinute: config.env.RATE_LIMIT_PER_MINUTE,
  });
  const server: Server = app.listen(config.env.PORT, config.env.HOST, () => {
    logger.info({ url: `http://${config.env.HOST}:${config.env.PORT}` }, 'api listening');
  });
  answerClientErrorsInFamilyShape(server);
  const opsApp = createOpsApp({
    codec: payloadCodecFor(config),
    auth,
    codecConfig: config.codec,
    logger,
    readiness: readinessRouter(backendChecks(client, orm), metrics),
  });
  // Express 5 passes a listen error (a port in use) to this callback.
  const opsServer: Server = opsApp.listen(config.env.OPS_PORT, config.env.OPS_HOST, (err?: Error) => {
    if (err) {
      logger.fatal({ err }, `the ops listener cannot listen on ${config.env.OPS_HOST}:${config.env.OPS_PORT} (OPS_HOST, OPS_PORT)`);
      process.exit(1);
    }
    const { port } = opsServer.address() as AddressInfo;
    logger.info({ codecEndpoint: `http://${config.env.OPS_HOST}:${port}${CODEC_PATH}`, auth: config.codec.auth, origins: config.codec.corsOrigins }, 'ops listening');
  });

  // Drain on SIGTERM/SIGINT, with a bounded forced exit so Ctrl-C never hangs.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    setTimeout(() => process.exit(1), 5000).unref();
    server.close(async () => {
      await client.connection.close();
      await orm.close();
      process.exit(0);
    });
    server.closeAllConnections();
    opsServer.close();
    opsServer.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  createLogger('api').fatal({ err }, 'api failed to start');
  process.exit(1);
});
