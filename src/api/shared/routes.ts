import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { Authenticator, Principal, Role } from './auth';
import type { HttpError } from './errors';
import type { OpenApiRegistry } from './openapi';
import { badRequest, type FieldProblem, problemsOf } from './validate';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call: a bearer token with one of the roles, or HTTP Basic client credentials (the token exchange). */
export type Access = { roles: readonly Role[] } | 'basic';

/** Response headers a route documents beyond those every answer carries (src/api/shared/openapi.ts). */
export type ResponseHeader = 'Location' | 'ETag' | 'Last-Modified' | 'Deprecation' | 'Cache-Control';

export interface ResponseSpec {
  description: string;
  /** The body's schema; an error status without one has its family's error shape. */
  schema?: z.ZodType;
  headers?: readonly ResponseHeader[];
}

type Shape = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<A extends Access, P, Q, H, B> {
  params: Out<P>;
  query: Out<Q>;
  headers: Out<H>;
  body: Out<B>;
  principal: A extends { roles: readonly Role[] } ? Principal : undefined;
  correlationId: string;
}

/**
 * One route, declared once: what it accepts (path, query, header and body schemas),
 * who may call it, every answer it gives, and what it does. The validation, the
 * OpenAPI operation and the handler's types all come from this, so the published
 * contract cannot drift from what the server does.
 */
export interface RouteSpec<A extends Access, P extends Shape | undefined, Q extends Shape | undefined, H extends Shape | undefined, B extends z.ZodType | undefined> {
  operationId: string;
  method: Method;
  /** OpenAPI path template, e.g. `/orders/{id}/hold`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: A;
  /** Path parameters; without it each `{name}` in the path is any string. */
  params?: P;
  /** Query parameters. Unknown ones are refused (a misspelt filter must not silently match everything); an empty value is the same as leaving the parameter out. */
  query?: Q;
  /** Request headers, by their canonical name (`Idempotency-Key`). */
  headers?: H;
  body?: B;
  /** An optional body that is absent is parsed as `{}`. */
  bodyOptional?: boolean;
  /** The body's media types; `application/json` unless said. */
  bodyTypes?: readonly string[];
  responses: Record<number, ResponseSpec>;
  /** False for a route that needs neither Temporal nor the database (the token exchange): it cannot answer 503. */
  reachesBackends?: boolean;
  /** The family's 400 when it words field problems its own way (the eSIM seed's). */
  badRequest?: (problems: FieldProblem[]) => HttpError;
  handle: (input: RouteInput<A, P, Q, H, B>, res: Response, req: Request) => Promise<void> | void;
}

/** A route with its types forgotten: what the table and the OpenAPI document keep. */
export type AnyRouteSpec = RouteSpec<Access, Shape | undefined, Shape | undefined, Shape | undefined, z.ZodType | undefined>;

/** Where routes are declared: each goes to Express and to the OpenAPI document from the same spec. */
export class RouteTable {
  constructor(
    private readonly router: Router,
    private readonly auth: Authenticator,
    private readonly openapi: OpenApiRegistry,
  ) {}

  /** Schemas the OpenAPI document publishes under these names in `components.schemas`. */
  name(schemas: Record<string, z.ZodType>): void {
    this.openapi.name(schemas);
  }

  declare<A extends Access, P extends Shape | undefined = undefined, Q extends Shape | undefined = undefined, H extends Shape | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    spec: RouteSpec<A, P, Q, H, B>,
  ): void {
    const any = spec as unknown as AnyRouteSpec;
    this.openapi.add(any);
    const chain: RequestHandler[] = [];
    if (typeof spec.access === 'object') chain.push(this.auth.require(...spec.access.roles));
    // The app parses application/json; another declared type gets its own parser.
    const otherTypes = (spec.bodyTypes ?? []).filter((t) => t !== 'application/json');
    if (otherTypes.length) chain.push(express.json({ type: otherTypes, limit: '1mb' }));
    chain.push(async (req, res) => {
      await spec.handle(parsedRequest(any, req, res) as RouteInput<A, P, Q, H, B>, res, req);
    });
    // Express matches a path with or without its trailing slash.
    this.router[spec.method](expressPath(spec.path), ...chain);
  }
}

/** `/orders/{id}/hold/` → `/orders/:id/hold`. */
function expressPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1');
}

const NOT_A_PARAMETER = 'is not a query parameter of this operation';

/** Every part of the request parsed by its schema; all problems at once, each naming its parameter, header or field. */
function parsedRequest(spec: AnyRouteSpec, req: Request, res: Response): RouteInput<Access, Shape, Shape, Shape, z.ZodType> {
  const problems: FieldProblem[] = [];
  const take = <T>(schema: z.ZodType | undefined, value: unknown): T => {
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as T;
    problems.push(...problemsOf(parsed.error));
    return undefined as T;
  };

  const params = spec.params ? take<Record<string, string>>(spec.params, req.params) : { ...req.params };

  const given = Object.entries(req.query as Record<string, unknown>).filter(([, v]) => v !== '');
  const known = new Set(Object.keys(spec.query?.shape ?? {}));
  for (const [name] of given) if (!known.has(name)) problems.push({ field: name, message: NOT_A_PARAMETER });
  const query = take(spec.query, Object.fromEntries(given.filter(([name]) => known.has(name))));

  const headerNames = Object.keys(spec.headers?.shape ?? {});
  const headers = take(spec.headers, Object.fromEntries(headerNames.map((name) => [name, req.get(name)])));

  let body: unknown;
  if (spec.body) {
    if (req.body === undefined && !spec.bodyOptional) {
      problems.push({ field: '(body)', message: 'A JSON request body (Content-Type: application/json) is required.' });
    } else {
      body = take(spec.body, req.body ?? {});
    }
  }
  if (problems.length) throw (spec.badRequest ?? badRequest)(problems);
  return {
    params: params as never,
    query: query as never,
    headers: headers as never,
    body: body as never,
    principal: res.locals.principal as Principal,
    correlationId: res.locals.correlationId as string,
  };
}
