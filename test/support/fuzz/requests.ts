import fc from 'fast-check';
import { z } from 'zod';
import { arbitraryFor, JsonSchema } from './jsonSchemaArbitrary';
import { mutated, oddValue } from './mutations';

/** One operation of the published OpenAPI document. */
export interface DocumentedOperation {
  method: string;
  /** The path template, e.g. `/orders/{id}`. */
  path: string;
  security: 'basic' | 'bearer' | undefined;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  body: JsonSchema | undefined;
  responses: Record<string, JsonSchema | undefined>;
}

interface RawOperation {
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { content?: { 'application/json'?: { schema: JsonSchema } } }>;
}

export function operationsOf(doc: { paths: Record<string, Record<string, RawOperation>> }): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = (where: string) => (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);
      return {
        method: method.toUpperCase(),
        path,
        security: Object.keys(op.security?.[0] ?? {})[0] as DocumentedOperation['security'],
        pathParams: params('path'),
        queryParams: params('query'),
        headerParams: params('header'),
        body: op.requestBody?.content['application/json'].schema,
        responses: Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, r.content?.['application/json']?.schema])),
      };
    }),
  );
}

/** What is sent: everything a shrunk counter-example needs to be replayed by hand. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type RequestBody = { json: unknown } | { raw: string; contentType: string | undefined };

/** What the fuzz may draw from beyond the document: credentials, known ids, known-good bodies. */
export interface FuzzContext {
  /** `Authorization` header values for bearer endpoints, the valid ones first. */
  bearer: { valid: string[]; invalid: string[] };
  /** `Authorization` header values for the Basic endpoint. */
  basic: { valid: string[]; invalid: string[] };
  /** Ids the server handed out so far (grows while the fuzz runs) and demo ids. */
  knownIds: string[];
  /** Known-good bodies for an operation (`POST /orders`), to mutate from deeper inside. */
  examples: Record<string, () => unknown>;
  /** Values worth trying for a query parameter or header, by name. */
  likelyValues: Record<string, string[]>;
}

// Header values must be visible ASCII (or the client refuses to send them).
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '0', '-1', '1.5', '99999999999999999999', 'null', 'true', '[]', '{}', '%', '\u0000', '../..', '2021-13-45', 'Ω≈ç√', '😀'),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.nat({ max: 5000 }).map((n) => 'a'.repeat(n)),
);

// An empty, `.` or `..` segment addresses another resource (the URL resolves it away),
// which answers 501 "unknown endpoint" by design (seed 000): not this operation.
const sameRoute = (segment: string) => !['', '.', '..'].includes(segment);

function pathParam(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((i) => encodeURIComponent(ctx.knownIds[i % ctx.knownIds.length] ?? 'none')) },
    { weight: 3, arbitrary: oddText.map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.uuid() },
    // Percent-encodings that do not decode, and encoded separators.
    { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%00', '%2F', '..%2F..', '%C0%AE') },
  ).filter(sameRoute);
}

function queryString(op: DocumentedOperation, ctx: FuzzContext): fc.Arbitrary<string> {
  const valueFor = (name: string) =>
    ctx.likelyValues[name] ? fc.oneof(fc.constantFrom(...ctx.likelyValues[name]), oddText) : oddText;
  const documented = op.queryParams.map((name) =>
    fc.option(
      // An array on the wire too: `?limit=1&limit=2` reaches the handler as ['1', '2'].
      fc.array(valueFor(name), { minLength: 1, maxLength: 2 }).map((values) => values.map((v) => [name, v] as [string, string])),
      { nil: [] as [string, string][], freq: 3 },
    ),
  );
  const extra = fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('impersonate', 'tenant', 'a[b]', '__proto__', 'limit[]')), oddText), {
    maxLength: 2,
  });
  return fc.tuple(fc.tuple(...documented), extra).map(([doc, more]) => {
    const pairs = [...doc.flat(), ...more];
    return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '';
  });
}

function headers(op: DocumentedOperation, ctx: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const auth = op.security === 'basic' ? ctx.basic : ctx.bearer;
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...auth.valid) },
    { weight: 2, arbitrary: fc.constantFrom(...auth.invalid) },
    { weight: 1, arbitrary: headerText.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: headerText.map((t) => `Basic ${Buffer.from(t).toString('base64')}`) },
  );
  const declared = op.headerParams.map((name) =>
    fc.option(
      fc.oneof(ctx.likelyValues[name] ? fc.constantFrom(...ctx.likelyValues[name]) : headerText, headerText, fc.nat({ max: 2000 }).map((n) => 'k'.repeat(n))),
      { nil: undefined, freq: 2 },
    ).map((v) => [name, v] as const),
  );
  return fc.tuple(fc.option(authorization, { nil: undefined, freq: 10 }), fc.tuple(...declared)).map(([a, hs]) => {
    const out: Record<string, string> = {};
    if (a !== undefined) out.Authorization = a;
    for (const [name, v] of hs) if (v !== undefined) out[name] = v;
    return out;
  });
}

const INVALID_JSON = ['{', '{"a":', '[1,2', '', ' ', '{"a":1}garbage', "{'a':1}", '\u0000', 'undefined', 'NaN', '{"a":01}', '"\\ud800"'];
const NESTED_DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const TOO_LARGE = JSON.stringify({ padding: 'x'.repeat(1_100_000) });

function body(op: DocumentedOperation, ctx: FuzzContext): fc.Arbitrary<RequestBody> {
  const fromSchema = arbitraryFor(op.body!);
  const example = ctx.examples[`${op.method} ${op.path}`];
  const valid = example ? fc.oneof(fromSchema, fc.constant(null).map(() => example())) : fromSchema;
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((json) => ({ json })) },
    { weight: 6, arbitrary: mutated(valid).map((json) => ({ json })) },
    { weight: 1, arbitrary: oddValue.map((json) => ({ json })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constantFrom(...INVALID_JSON, NESTED_DEEP), fc.string({ maxLength: 30 }))
        .map((raw) => ({ raw, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid.map((v) => JSON.stringify(v)),
          fc.constantFrom(
            undefined,
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'application/merge-patch+json',
            'application/json-patch+json',
          ),
        )
        .map(([raw, contentType]) => ({ raw, contentType })),
    },
    { weight: 1, arbitrary: fc.constant({ raw: TOO_LARGE, contentType: 'application/json' }) },
  );
}

/** Requests for one operation: valid-ish from its schema, and every kind of wrong. */
export function requestsFor(op: DocumentedOperation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...op.pathParams.map(() => pathParam(ctx))).map((values) => {
    let i = 0;
    return op.path.replace(/\{\w+\}/g, () => values[i++]!);
  });
  const payload = op.body ? body(op, ctx).map((b) => b as RequestBody | undefined) : fc.constant(undefined);
  return fc.tuple(path, queryString(op, ctx), headers(op, ctx), payload).map(([p, q, hs, b]) => {
    const req: FuzzRequest = { method: op.method, url: `${p}${q}`, headers: { ...hs } };
    if (b && 'json' in b) {
      req.headers['Content-Type'] = 'application/json';
      req.body = JSON.stringify(b.json) ?? 'null';
    } else if (b) {
      if (b.contentType) req.headers['Content-Type'] = b.contentType;
      req.body = b.raw;
    }
    return req;
  });
}

export interface FuzzResponse {
  status: number;
  body: unknown;
  text: string;
}

export async function send(baseUrl: string, req: FuzzRequest): Promise<FuzzResponse> {
  const res = await fetch(`${baseUrl}${req.url}`, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual' });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/**
 * `format: date-time` beside a `pattern` is zod's way of writing a date-time with
 * offset (seconds optional, as in the MEF seed's `2016-10-01T13:20+01:00`); the
 * pattern is the exact rule, the format only a hint. Without this, fromJSONSchema
 * would check the stricter RFC 3339 form the code never promised.
 */
function patternOverFormat(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(patternOverFormat);
  if (!schema || typeof schema !== 'object') return schema;
  const hasPattern = typeof (schema as JsonSchema).pattern === 'string';
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => !(hasPattern && k === 'format' && typeof v === 'string'))
      .map(([k, v]) => [k, patternOverFormat(v)]),
  );
}

const validators = new WeakMap<JsonSchema, z.ZodType>();
const validatorFor = (schema: JsonSchema) => {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = z.fromJSONSchema(patternOverFormat(schema) as Parameters<typeof z.fromJSONSchema>[0])));
  return v;
};

/**
 * What the answer breaks, if anything: a 5xx; a body that does not match the schema
 * documented for its status; an error without the family's error shape (the one the
 * operation documents for its other errors); a success the document does not list.
 */
export function violationOf(op: DocumentedOperation, res: FuzzResponse): string | undefined {
  if (res.status >= 500) return `server error ${res.status}`;
  const key = String(res.status);
  const errorSchema = Object.entries(op.responses).find(([s, schema]) => Number(s) >= 400 && schema)?.[1];
  const schema = key in op.responses ? op.responses[key] : res.status >= 400 ? errorSchema : undefined;
  // Every status the server answers is documented on the operation (issue 14), errors too.
  if (!(key in op.responses)) return `status ${res.status} is not documented`;
  if (!schema) return undefined;
  if (res.body === undefined) return `status ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`;
  const parsed = validatorFor(schema).safeParse(res.body);
  if (!parsed.success) return `body of ${res.status} does not match the documented schema: ${z.prettifyError(parsed.error).slice(0, 1500)}`;
  return undefined;
}

/** The request as a shell line, to replay a shrunk counter-example by hand. */
export function describeRequest(req: FuzzRequest): string {
  const hs = Object.entries(req.headers).map(([k, v]) => `-H '${k}: ${v.length > 120 ? `${v.slice(0, 120)}…(${v.length})` : v}'`);
  const body = req.body === undefined ? '' : ` -d '${req.body.length > 600 ? `${req.body.slice(0, 600)}…(${req.body.length} chars)` : req.body}'`;
  return `curl -X ${req.method} ${hs.join(' ')} 'BASE${req.url}'${body}`;
}
