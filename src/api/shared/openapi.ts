import { z } from 'zod';
import { errorStyleFor, type ErrorStyle } from './errors';

/**
 * The OpenAPI document is assembled from the same zod schemas the routes validate
 * with, so the published contract cannot drift from what the code accepts.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/2.5/sp_spec/sales_leads/{orderId}`. */
  path: string;
  tag: string;
  summary: string;
  security?: 'basic' | 'bearer';
  body?: z.ZodType;
  headers?: Record<string, string>;
  /** Query parameters: name → description (all optional strings on the wire). */
  query?: Record<string, string>;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /**
   * False for an operation that needs neither Temporal nor the database (the token
   * exchange), so it cannot answer 503.
   */
  reachesBackends?: boolean;
}

/** The least every error body of a family has (src/api/shared/errors.ts errorBody). */
const FAMILY_ERROR_SCHEMAS: Record<ErrorStyle, z.ZodType> = {
  cause: z.looseObject({ cause: z.string(), message: z.string() }),
  code: z.looseObject({ code: z.string(), message: z.string() }),
};

/** Statuses whose answers carry Retry-After (rate limit, Temporal or database unreachable). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/**
 * What an operation may answer besides its own responses, by what it is, documented here
 * once for all four families so a partner's generated client knows every status it can
 * get: a malformed header, query parameter or NUL character is 400 anywhere; a bearer
 * operation answers 401 and 403; a body can be too large (413) or in an unsupported
 * encoding (415); a request line or headers over Node's 16 KB limit is 431; the rate
 * limit sits in front of every route (429); and every route that reads or starts
 * something fails over to 503 while Temporal or the database is unreachable.
 * An operation's own entry for a status replaces the shared one (a better description).
 */
function sharedResponses(op: Operation): Operation['responses'] {
  const schema = FAMILY_ERROR_SCHEMAS[errorStyleFor(op.path)];
  const shared: Operation['responses'] = {
    400: { description: 'A malformed request: the answer names the query parameter, header or body field', schema },
    431: { description: 'The request line or headers are over 16 KB', schema },
    429: { description: 'Too many requests from this client; retry after the Retry-After header\'s seconds', schema },
  };
  if (op.security === 'bearer') {
    shared[401] = { description: 'No bearer token, or one that is malformed, expired or not ours', schema };
    shared[403] = { description: 'The token\'s client lacks the role this operation needs', schema };
  }
  if (op.security === 'basic') shared[401] = { description: 'No or wrong client credentials', schema };
  if (op.body) {
    shared[413] = { description: 'The body is over 1 MB', schema };
    shared[415] = { description: 'The body\'s charset or content encoding is not supported', schema };
  }
  if (op.reachesBackends !== false) {
    shared[503] = {
      description:
        'Temporal or the database is unreachable for now; send the same request again after Retry-After seconds (a POST with the same Idempotency-Key never creates a second order)',
      schema,
    };
  }
  return shared;
}

export class OpenApiRegistry {
  private readonly operations: (Operation & { matches: RegExp })[] = [];

  add(op: Operation): void {
    this.operations.push({ ...op, matches: pathPattern(op.path) });
  }

  /** The methods documented for a concrete request path (`/esim/v1/order/abc` → GET): what a 405's Allow lists. */
  methodsFor(path: string): string[] {
    return [...new Set(this.operations.filter((op) => op.matches.test(path)).map((op) => op.method.toUpperCase()))];
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { matches: _pattern, ...op } of this.operations) {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const headerParams = Object.entries(op.headers ?? {}).map(([name, description]) => ({
        name,
        in: 'header',
        required: false,
        description,
        schema: { type: 'string' },
      }));
      const queryParams = Object.entries(op.query ?? {}).map(([name, description]) => ({
        name,
        in: 'query',
        required: false,
        description,
        schema: { type: 'string' },
      }));
      paths[op.path] ??= {};
      paths[op.path]![op.method] = {
        tags: [op.tag],
        summary: op.summary,
        ...(op.security ? { security: [{ [op.security]: [] }] } : {}),
        parameters: [...params, ...queryParams, ...headerParams],
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }
          : {}),
        responses: Object.fromEntries(
          Object.entries({ ...sharedResponses(op), ...op.responses }).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(RETRY_AFTER_STATUSES.has(Number(status))
                ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
                : {}),
              ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } } : {}),
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Ordering integration APIs',
        version: '0.1.0',
        description: 'Sales leads (seed 000), eSIM orders, fibre price/offer/order and MEF wholesale orders.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      paths,
    };
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** `/orders/{id}/hold` → a pattern for concrete paths; a trailing slash is optional, as Express routes it. */
function pathPattern(template: string): RegExp {
  const literal = template.replace(/\/$/, '').split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[^/]+')}/?$`);
}
