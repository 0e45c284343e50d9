import fc from 'fast-check';
import { dereference } from './dereference';
import { repairedByDescribedRules } from './describedRules';
import { arbitraryFor, JsonSchema, validValueFor } from './jsonSchemaArbitrary';
import { mutated, oddValue } from './mutations';
import { isValid, problemsWith } from './schemaValidator';

/** One parameter of an operation, as documented. */
export interface DocumentedParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** `{type: 'string'}` where the document gives none. */
  schema: JsonSchema;
}

/** One operation of the published OpenAPI document, every `$ref` resolved. */
export interface DocumentedOperation {
  method: string;
  /** The path template, e.g. `/orders/{id}`. */
  path: string;
  operationId: string | undefined;
  security: 'basic' | 'bearer' | undefined;
  parameters: DocumentedParameter[];
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  /** The body's schema under `application/json` (else under the first media type documented). */
  body: JsonSchema | undefined;
  bodyMediaType: string | undefined;
  bodyRequired: boolean;
  /** By status (or `4XX`, `default`): the schema of its JSON answer, undefined for none. */
  responses: Record<string, JsonSchema | undefined>;
}

type MediaTypes = Record<string, { schema?: JsonSchema }>;
interface RawOperation {
  operationId?: string;
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: DocumentedParameter['in']; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: MediaTypes };
  responses: Record<string, { content?: MediaTypes }>;
}
type RawPathItem = Record<string, RawOperation | RawOperation['parameters']> & { parameters?: RawOperation['parameters'] };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const isJson = (mediaType: string) => /^application\/(.+\+)?json$/.test(mediaType);

/** JSON first: `application/json`, then any `+json`, then whatever comes first. */
function preferredMediaType(content: MediaTypes | undefined): string | undefined {
  const types = Object.keys(content ?? {});
  return types.find((t) => t === 'application/json') ?? types.find(isJson) ?? types[0];
}

export function operationsOf(doc: { paths: Record<string, RawPathItem> }): DocumentedOperation[] {
  const paths = dereference(doc.paths, doc);
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter((entry): entry is [string, RawOperation] => METHODS.has(entry[0]))
      .map(([method, op]) => {
        // Operation parameters override the path item's of the same name and place.
        const byKey = new Map([...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => [`${p.in}:${p.name}`, p]));
        const parameters: DocumentedParameter[] = [...byKey.values()].map((p) => ({
          name: p.name,
          in: p.in,
          required: p.in === 'path' || p.required === true,
          schema: p.schema ?? { type: 'string' },
        }));
        const names = (where: string) => parameters.filter((p) => p.in === where).map((p) => p.name);
        const bodyMediaType = preferredMediaType(op.requestBody?.content);
        return {
          method: method.toUpperCase(),
          path,
          operationId: op.operationId,
          security: Object.keys(op.security?.[0] ?? {})[0] as DocumentedOperation['security'],
          parameters,
          pathParams: names('path'),
          queryParams: names('query'),
          headerParams: names('header'),
          body: bodyMediaType ? (op.requestBody!.content[bodyMediaType]!.schema ?? {}) : undefined,
          bodyMediaType,
          bodyRequired: op.requestBody?.required === true,
          responses: Object.fromEntries(
            Object.entries(op.responses).map(([status, r]) => {
              const type = preferredMediaType(r.content);
              return [status, type ? (r.content![type]!.schema ?? {}) : undefined];
            }),
          ),
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
  const fromSchema = validValueFor(op.body!);
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

/** Who the requests of the document-only property come from: one client with every role. */
export interface Credentials {
  bearer: string;
  basic: string;
}

/** A parameter's value on the wire: scalars as text, an array as the parameter repeated (`form`, exploded). */
const wireValues = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(wireValues) : v === null || typeof v === 'object' ? [] : [String(v)]);

// Only what a client can send: a header value has no control characters and nothing
// around it (HTTP drops the spaces), so other documented values cannot arrive as sent.
const sendableHeader = (v: string) => /^([\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?)?$/.test(v);
// Declared elsewhere in OpenAPI (security, the body's media type): parameters of these names are ignored.
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function parameterValues(p: DocumentedParameter): fc.Arbitrary<string[]> {
  const values = validValueFor(p.schema).map(wireValues);
  return p.required ? values : fc.option(values, { nil: [], freq: 2 });
}

/**
 * Requests built from the document alone (issue 14, class b): each parameter and the
 * body from its schema (optional ones sometimes left out), the client's credentials,
 * `Content-Type: application/json`. Nothing from hand-written examples, no mutation:
 * every such request is one the document says is well-formed, so the server may turn it
 * down for what it names (404, 409, 422) but never answer 400.
 */
export function documentedRequestsFor(op: DocumentedOperation, credentials: Credentials): fc.Arbitrary<FuzzRequest> {
  const of = (where: DocumentedParameter['in']) => op.parameters.filter((p) => p.in === where);
  const path = fc
    .tuple(...of('path').map((p) => validValueFor(p.schema).map((v) => wireValues(v)[0] ?? '').filter(sameRoute)))
    .map((values) => {
      const byName = new Map(of('path').map((p, i) => [p.name, values[i]!]));
      return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(byName.get(name) ?? ''));
    });
  const query = fc.tuple(...of('query').map((p) => parameterValues(p).map((vs) => vs.map((v) => [p.name, v] as [string, string])))).map((pairs) => {
    const all = pairs.flat();
    return all.length ? `?${new URLSearchParams(all).toString()}` : '';
  });
  const declared = of('header').filter((p) => !RESERVED_HEADERS.has(p.name.toLowerCase()));
  const headers = fc.tuple(...declared.map((p) => parameterValues(p).filter((vs) => vs.every(sendableHeader)).map((vs) => [p.name, vs.join(', ')] as const)));
  const json = op.body
    ? validValueFor(op.body)
        .map((v) => repairedByDescribedRules(`${op.method} ${op.path}`, v))
        .filter((v) => v !== undefined && isValid(op.body!, v))
    : undefined;
  const payload = !json ? fc.constant(undefined) : op.bodyRequired ? json : fc.option(json, { nil: undefined, freq: 3 });
  return fc.tuple(path, query, headers, payload).map(([p, q, hs, b]) => {
    const req: FuzzRequest = {
      method: op.method,
      url: `${p}${q}`,
      headers: {
        Authorization: op.security === 'basic' ? credentials.basic : credentials.bearer,
        'Content-Type': op.bodyMediaType ?? 'application/json',
      },
    };
    for (const [name, value] of hs) if (value !== '' || op.parameters.find((x) => x.name === name)?.required) req.headers[name] = value;
    if (b !== undefined) req.body = JSON.stringify(b);
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
 * pattern is the exact rule, the format only a hint. For answers the pattern is
 * what is checked: asserting the format would hold an echoed order date to the
 * stricter RFC 3339 form the code never promised. (A request is held to both: a
 * generated value then fits whichever a server reads.)
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

const answerSchemas = new WeakMap<JsonSchema, JsonSchema>();
const answerSchemaOf = (schema: JsonSchema) => {
  let s = answerSchemas.get(schema);
  if (!s) answerSchemas.set(schema, (s = patternOverFormat(schema) as JsonSchema));
  return s;
};

/** The response the document gives for `status`: its own, its range's (`4XX`), or `default`. */
function documentedResponse(op: DocumentedOperation, status: number): [string, JsonSchema | undefined] | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, 'default']) if (key in op.responses) return [key, op.responses[key]];
  return undefined;
}

/**
 * What the answer breaks, if anything: a 5xx; a status the operation does not
 * document (issue 14: errors too); a body that does not match the schema documented
 * for its status (errors thereby carry their family's shape).
 */
export function violationOf(op: DocumentedOperation, res: FuzzResponse): string | undefined {
  if (res.status >= 500) return `server error ${res.status}`;
  const documented = documentedResponse(op, res.status);
  if (!documented) return `status ${res.status} is not documented`;
  const schema = documented[1];
  if (!schema) return undefined;
  if (res.body === undefined) return `status ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`;
  const problems = problemsWith(answerSchemaOf(schema), res.body);
  return problems ? `body of ${res.status} does not match the documented schema:\n${problems.slice(0, 1500)}` : undefined;
}

/** The request as a shell line, to replay a shrunk counter-example by hand. */
export function describeRequest(req: FuzzRequest): string {
  const hs = Object.entries(req.headers).map(([k, v]) => `-H '${k}: ${v.length > 120 ? `${v.slice(0, 120)}…(${v.length})` : v}'`);
  const body = req.body === undefined ? '' : ` -d '${req.body.length > 600 ? `${req.body.slice(0, 600)}…(${req.body.length} chars)` : req.body}'`;
  return `curl -X ${req.method} ${hs.join(' ')} 'BASE${req.url}'${body}`;
}
