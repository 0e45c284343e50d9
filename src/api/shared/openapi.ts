import { z } from 'zod';
import { ERROR_BODY_SCHEMAS, errorBodySchema, errorStyleFor } from './errors';
import type { AnyRouteSpec, ResponseSpec } from './routes';

/**
 * The OpenAPI document, assembled from the same route declarations (src/api/shared/routes.ts)
 * that validate requests, so the published contract cannot drift from what the code accepts.
 */

/** Statuses whose answers carry Retry-After (rate limit, Temporal or database unreachable). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Headers documented once, here, and written into each answer that carries them. */
const HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  'X-Correlation-ID': {
    description: 'The request\'s correlation id: the caller\'s X-Correlation-ID when usable, else a new one; also on the workflow and in the logs',
    schema: { type: 'string' },
  },
  RateLimit: { description: 'The client\'s remaining budget (IETF draft-7): `limit=60, remaining=59, reset=60`', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'The rate limit policy (IETF draft-7): `60;w=60` is 60 requests a minute', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before sending the request again', schema: { type: 'integer', minimum: 1 } },
  'WWW-Authenticate': { description: 'The authentication scheme to use (Bearer or Basic)', schema: { type: 'string' } },
  Location: { description: 'The URL of the resource the answer is about', schema: { type: 'string' } },
  ETag: { description: 'The resource\'s version, quoted (`"2"`): send it in If-Match to change the resource', schema: { type: 'string' } },
  'Last-Modified': { description: 'When the resource last changed (HTTP date)', schema: { type: 'string' } },
  Deprecation: { description: 'Present (RFC 9745) when the request used a deprecated value', schema: { type: 'string' } },
  'Cache-Control': { description: 'Caching of the answer', schema: { type: 'string' } },
};
const EVERY_ANSWER = ['X-Correlation-ID', 'RateLimit', 'RateLimit-Policy'];

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
function sharedResponses(spec: AnyRouteSpec): Record<number, ResponseSpec> {
  const shared: Record<number, ResponseSpec> = {
    400: { description: 'A malformed request: the answer names each query parameter, header or body field that is wrong' },
    431: { description: 'The request line or headers are over 16 KB' },
    429: { description: 'Too many requests from this client; retry after the Retry-After header\'s seconds' },
  };
  if (typeof spec.access === 'object') {
    shared[401] = { description: 'No bearer token, or one that is malformed, expired or not ours' };
    shared[403] = { description: `The token's client lacks the role this operation needs (${spec.access.roles.join(' or ')})` };
  } else {
    shared[401] = { description: 'No or wrong client credentials' };
  }
  if (spec.body) {
    shared[413] = { description: 'The body is over 1 MB' };
    shared[415] = { description: 'The body\'s charset or content encoding is not supported' };
  }
  if (spec.reachesBackends !== false) {
    shared[503] = {
      description:
        'Temporal or the database is unreachable for now; send the same request again after Retry-After seconds (a POST with the same Idempotency-Key never creates a second order)',
    };
  }
  return shared;
}

/** Headers every answer of a status carries, besides those the route lists. */
function headersOf(status: number, own: readonly string[] = []): string[] {
  return [...EVERY_ANSWER, ...(RETRY_AFTER_STATUSES.has(status) ? ['Retry-After'] : []), ...(status === 401 ? ['WWW-Authenticate'] : []), ...own];
}

type Io = 'input' | 'output';

export class OpenApiRegistry {
  private readonly routes: (AnyRouteSpec & { matches: RegExp })[] = [];
  private readonly names = new Map<z.ZodType, string>();
  private readonly components: Record<string, unknown> = {};
  private readonly componentIo = new Map<string, Io>();

  constructor() {
    this.name({ CauseError: ERROR_BODY_SCHEMAS.cause, CodeError: ERROR_BODY_SCHEMAS.code, FailedError: ERROR_BODY_SCHEMAS.failed });
  }

  add(spec: AnyRouteSpec): void {
    this.routes.push({ ...spec, matches: pathPattern(spec.path) });
  }

  /** Schemas published under `components.schemas` by these names and referenced where used. */
  name(schemas: Record<string, z.ZodType>): void {
    for (const [name, schema] of Object.entries(schemas)) this.names.set(schema, name);
  }

  /** The methods documented for a concrete request path (`/esim/v1/order/abc` → GET): what a 405's Allow lists. */
  methodsFor(path: string): string[] {
    return [...new Set(this.routes.filter((r) => r.matches.test(path)).map((r) => r.method.toUpperCase()))];
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const spec of this.routes) {
      paths[spec.path] ??= {};
      paths[spec.path]![spec.method] = this.operation(spec);
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Ordering integration APIs',
        version: '0.1.0',
        description: [
          'Sales leads (seed 000), eSIM orders, fibre price/offer/order and MEF wholesale orders.',
          'Conventions for every operation: an unknown query parameter is refused with 400 naming it, and an empty one is the same as leaving it out;',
          'no string anywhere (path, query, header, body) may contain the NUL character (U+0000);',
          'a known path with a method it does not document answers 405 with Allow, an unknown path 501;',
          'a POST that creates something is idempotent: the same Idempotency-Key (or, without one, the same body) names the same resource, and the key reused with another body is 409.',
        ].join(' '),
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
        schemas: this.components,
      },
      paths,
    };
  }

  private operation(spec: AnyRouteSpec): Record<string, unknown> {
    const style = errorStyleFor(spec.path);
    const pathNames = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const params = spec.params ?? z.object(Object.fromEntries(pathNames.map((n) => [n, z.string()])));
    const parameters = [
      ...this.parameters('path', params),
      ...(spec.query ? this.parameters('query', spec.query) : []),
      ...(spec.headers ? this.parameters('header', spec.headers) : []),
      { name: 'X-Correlation-ID', in: 'header', required: false, description: 'Echoed in the answer and set on the workflow; an unusable value is replaced, never refused', schema: { type: 'string' } },
    ];
    const responses = { ...sharedResponses(spec), ...spec.responses };
    return {
      operationId: spec.operationId,
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: [{ [typeof spec.access === 'object' ? 'bearer' : 'basic']: [] }],
      parameters,
      ...(spec.body
        ? {
            requestBody: {
              required: !spec.bodyOptional,
              content: Object.fromEntries((spec.bodyTypes ?? ['application/json']).map((t) => [t, { schema: this.schemaOf(spec.body!, 'input') }])),
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(responses).map(([status, r]) => {
          const schema = r.schema ?? (Number(status) >= 400 ? errorBodySchema(style, Number(status)) : undefined);
          return [
            status,
            {
              description: r.description,
              headers: Object.fromEntries(headersOf(Number(status), r.headers).map((h) => [h, HEADERS[h]])),
              ...(schema ? { content: { 'application/json': { schema: this.schemaOf(schema, 'output') } } } : {}),
            },
          ];
        }),
      ),
    };
  }

  private parameters(where: 'path' | 'query' | 'header', shape: z.ZodObject): Record<string, unknown>[] {
    return Object.entries(shape.shape as Record<string, z.ZodType>).map(([name, field]) => ({
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(field.description ? { description: field.description } : {}),
      schema: jsonSchema(field, 'input'),
    }));
  }

  /** A named schema's `$ref` (published once in components), else the schema inline. */
  private schemaOf(schema: z.ZodType, io: Io): unknown {
    const name = this.names.get(schema);
    if (!name) return jsonSchema(schema, io);
    const used = this.componentIo.get(name);
    if (used === undefined) {
      this.componentIo.set(name, io);
      this.components[name] = jsonSchema(schema, io);
    } else if (used !== io) {
      return jsonSchema(schema, io);
    }
    return { $ref: `#/components/schemas/${name}` };
  }
}

// The server refuses U+0000 in any string (src/api/shared/nulCharacters.ts): said on every
// free-text string a client sends, so a generated client knows it too.
const NO_NUL = '^[^\\u0000]*$';

function jsonSchema(schema: z.ZodType, io: Io): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ jsonSchema: j }) => {
      if (io === 'input' && j.type === 'string' && !j.pattern && !j.format && !j.enum && j.const === undefined) j.pattern = NO_NUL;
    },
  }) as Record<string, unknown>;
  return rest;
}

/** `/orders/{id}/hold` → a pattern for concrete paths; a trailing slash is optional, as Express routes it. */
function pathPattern(template: string): RegExp {
  const literal = template.replace(/\/$/, '').split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[^/]+')}/?$`);
}
