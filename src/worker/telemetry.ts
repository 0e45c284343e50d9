import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger } from '../log';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's log lines (workflow `log.*`, activity `log.*`, the worker's own, and
 * the native core's, forwarded) written by our pino logger: one JSON line each, like the
 * API's, instead of the SDK's multi-line text. Workflow lines carry `workflowId` and
 * `runId`; activity lines name the run `workflowRunId`, so it is copied to `runId` too, one
 * key to search both by. A failure (`error`) goes to pino's `err`, which keeps its stack.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const { error, ...fields } = meta as Record<string, unknown>;
    if (fields.workflowRunId !== undefined && fields.runId === undefined) fields.runId = fields.workflowRunId;
    if (error !== undefined) fields.err = error;
    logger[LEVELS[level] ?? 'info'](fields, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

/**
 * Installs the SDK's runtime for a worker process, before its first connection: logs through
 * `logger`, and the runtime's Prometheus metrics (workflow and activity task latencies,
 * slots, polls, sticky cache, …) served at `http://<metricsAddress>/metrics`, or none when
 * `metricsAddress` is undefined.
 */
export function installWorkerRuntime(logger: Logger, metricsAddress: string | undefined): void {
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
}
