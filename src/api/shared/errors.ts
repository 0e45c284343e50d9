import type { ErrorRequestHandler, Request } from 'express';
import { z } from 'zod';
import { isGrpcServiceError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable } from '../../db/unavailable';
import type { Logger } from '../../log';

/**
 * An error the API answers on purpose. `cause` is the machine-readable part: the
 * seed's `cause` text for sales leads and the price API, the seed's error `code`
 * for eSIM and MEF.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    override readonly cause: string,
    message?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? cause);
  }
}

/**
 * Which error shape a path answers with: each seed has its own. `lead` is seed 000's:
 * the `cause` shape, and a 400 also carries `"status": "FAILED"` (the seed's one status
 * for 400, which "requires message").
 */
export type ErrorStyle = 'cause' | 'code' | 'lead';

const SALES_LEADS_PREFIX = '/2.5/sp_spec/sales_leads';

export function errorStyleFor(path: string): ErrorStyle {
  if (path === SALES_LEADS_PREFIX || path.startsWith(`${SALES_LEADS_PREFIX}/`)) return 'lead';
  const mef = ['/orders', '/hub', '/cancelOrder'].some((root) => path === root || path.startsWith(`${root}/`));
  return path.startsWith('/esim/') || mef ? 'code' : 'cause';
}

const FieldProblems = z.array(z.object({ field: z.string(), message: z.string() }));
const errorId = z.string().optional().describe('A 500\'s error id: the request\'s correlation id (X-Correlation-ID), also in the log line and in the cause or message');

/**
 * The error bodies, as errorBody writes them: `{cause, message}` (seed 000 and the
 * price API) and `{code, message}` (eSIM and MEF). `errors` names each wrong field of a
 * 400; `errorId` is a 500's id, also in the log line.
 */
export const ERROR_BODY_SCHEMAS = {
  cause: z.object({ cause: z.string(), message: z.string(), errors: FieldProblems.optional(), errorId }),
  code: z.object({ code: z.string(), message: z.string(), errors: FieldProblems.optional(), errorId }),
  /** Seed 000's 400: `FAILED`, with cause and message. */
  failed: z.object({ status: z.literal('FAILED'), cause: z.string(), message: z.string(), errors: FieldProblems.optional() }),
} as const;

/** The documented body of an error answer of `status` on a path of this style. */
export function errorBodySchema(style: ErrorStyle, status: number): z.ZodType {
  if (style === 'code') return ERROR_BODY_SCHEMAS.code;
  return style === 'lead' && status === 400 ? ERROR_BODY_SCHEMAS.failed : ERROR_BODY_SCHEMAS.cause;
}

/** Generic codes for the `{code, message}` families when the error is not family-specific. */
const CODE_FOR_STATUS: Record<number, string> = {
  400: 'INVALID_REQUEST_PARAMS',
  408: 'REQUEST_TIMEOUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'SERVICE_UNAVAILABLE',
};

export function errorBody(style: ErrorStyle, err: HttpError): Record<string, unknown> {
  if (style === 'code') {
    const code = /^[A-Z_]+$/.test(err.cause) ? err.cause : (CODE_FOR_STATUS[err.status] ?? 'ERROR');
    const message = err.message === err.cause && code !== err.cause ? err.cause : err.message;
    return { code, message, ...err.extra };
  }
  if (style === 'lead' && err.status === 400) return { status: 'FAILED', cause: err.cause, message: err.message, ...err.extra };
  return { cause: err.cause, message: err.message, ...err.extra };
}

/** Turns what body-parser throws for bad JSON or a too-large body into a 4xx that names the problem. */
function fromBodyParser(err: unknown): HttpError | undefined {
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new HttpError(400, `Malformed JSON in request body: ${e.message}`);
  if (e?.type === 'entity.too.large') return new HttpError(413, 'Request body is too large');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new HttpError(415, e.message ?? 'Unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, e.message ?? 'Bad request');
  return undefined;
}

/** How long a client should wait before retrying when Temporal or the database is unreachable. */
export const RETRY_AFTER_SECONDS = '5';

/** 503 with Retry-After: nothing is wrong with the request; the same request later will do. */
export const unavailable = (message: string): HttpError => new HttpError(503, message, undefined, {}, { 'Retry-After': RETRY_AFTER_SECONDS });

// gRPC CANCELLED (1), DEADLINE_EXCEEDED (4) and UNAVAILABLE (14): Temporal is down,
// overloaded, or did not answer within the deadline the route set. RESOURCE_EXHAUSTED (8):
// Temporal refuses for now, e.g. "limit on number of concurrent in-flight updates has been
// reached (10)" when retries pile up on a workflow whose worker is down (seen as 500s in
// the kill -9 durability proof, test/chaos).
const TEMPORAL_UNREACHABLE = new Set([1, 4, 8, 14]);
// What the SDK throws when an update call ran out of time before the workflow answered.
const UPDATE_TIMED_OUT = 'WorkflowUpdateRPCTimeoutOrCancelledError';

/** An error and what caused it, a few levels deep: where the SDK wraps the gRPC status (ServiceError, update timeouts, …). */
function* causeChain(err: unknown): Generator<unknown> {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) yield e;
}

/** Temporal did not answer at all (gRPC UNAVAILABLE), as opposed to answering late. */
export function isTemporalUnreachable(err: unknown): boolean {
  return [...causeChain(err)].some((e) => isGrpcServiceError(e) && e.code === 14);
}

/**
 * Temporal unreachable is not our bug and not the caller's: 503 with Retry-After,
 * so a client retries (with the same Idempotency-Key) instead of giving up.
 */
function fromTemporal(err: unknown): HttpError | undefined {
  const unreachable = [...causeChain(err)].some((e) => (isGrpcServiceError(e) && TEMPORAL_UNREACHABLE.has(e.code)) || (e as Error).name === UPDATE_TIMED_OUT);
  return unreachable ? unavailable('The ordering service is temporarily unavailable; retry later') : undefined;
}

/**
 * The database unreachable (down, restarting, network cut, pool exhausted) is an
 * outage, not a bug: 503 with Retry-After, like Temporal above, and the same request
 * (with the same Idempotency-Key) works once it is back.
 */
function fromDatabase(err: unknown): HttpError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return unavailable('The database is temporarily unavailable; retry later');
}

/**
 * The one place an exception becomes an HTTP answer, for every family. Anything we did
 * not throw on purpose is a 500 whose error id is the request's correlation id (seed 000:
 * "if the server has an ID of the error … it should be included in the cause field"):
 * in the cause (or, in the `{code, message}` families, the message), in `errorId`, in the
 * X-Correlation-ID header and in the log line, so support finds the request by it.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let httpErr = err instanceof HttpError ? err : (fromBodyParser(err) ?? fromTemporal(err) ?? fromDatabase(err));
    if (!(err instanceof HttpError) && httpErr?.status === 503) {
      logger.warn({ err, correlationId: res.locals.correlationId, path: req.path }, 'dependency unavailable');
    }
    if (!httpErr) {
      const errorId = (res.locals.correlationId as string | undefined) ?? randomUUID();
      logger.error({ err, errorId, correlationId: res.locals.correlationId, path: req.path }, 'unhandled error');
      httpErr = new HttpError(500, `An unknown error has occurred. Error id ${errorId}`, `Internal error ${errorId}`, { errorId });
    }
    for (const [k, v] of Object.entries(httpErr.headers)) res.setHeader(k, v);
    res.status(httpErr.status).json(errorBody(errorStyleFor(req.path), httpErr));
  };
}

/**
 * What no route answered: a known path with a method it does not serve is 405 with
 * `Allow` (HTTP), anything else an unknown endpoint, 501 (seed 000), each in the family's shape.
 */
export function unroutable(methodsFor: (path: string) => string[]): (req: Request) => never {
  return (req) => {
    const allowed = methodsFor(req.path);
    if (allowed.length > 0) {
      // Express answers HEAD wherever it answers GET.
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
      throw new HttpError(405, `Method ${req.method} is not allowed on ${req.path}; allowed: ${allow}`, undefined, {}, { Allow: allow });
    }
    throw new HttpError(501, `Unknown or unimplemented API endpoint: ${req.method} ${req.path}`);
  };
}
