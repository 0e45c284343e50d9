import fc from 'fast-check';

/** The JSON Schema subset that `z.toJSONSchema` writes into our OpenAPI document. */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

// Small bounds keep each request cheap: the fuzz wants many requests, not big ones
// (big ones are a mutation of their own).
const MAX_STRING = 40;
const MAX_ITEMS = 3;
const MAX_DEPTH = 8;

/**
 * Values that satisfy `schema` (where the subset allows it: a pattern fast-check
 * cannot generate from falls back to its format or to any short string). Generating
 * from the published document, not from the zod schemas, is what makes the fuzz
 * also prove that the document describes what the code accepts.
 */
export function arbitraryFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, depth + 1)));
  if (schema.allOf?.length === 1) return arbitraryFor(schema.allOf[0]!, depth + 1);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => arbitraryFor({ ...schema, type }, depth)));
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: lowerBound(schema, 1) ?? -1_000_000, max: upperBound(schema, 1) ?? 1_000_000 });
    case 'number':
      return fc
        .double({ min: schema.minimum ?? schema.exclusiveMinimum ?? -1e6, max: schema.maximum ?? schema.exclusiveMaximum ?? 1e6, noNaN: true })
        .filter((n) => (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) && (schema.exclusiveMaximum === undefined || n < schema.exclusiveMaximum));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(schema.items ? arbitraryFor(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    }
    case 'object':
      return objectFor(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const fields = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, arbitraryFor(s, depth + 1)]));
    return fc.record(fields, { requiredKeys: (schema.required ?? []).filter((k) => k in fields) });
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const keys = schema.propertyNames ? stringFor(schema.propertyNames) : fc.string({ minLength: 1, maxLength: 12 });
    return fc.dictionary(keys as fc.Arbitrary<string>, arbitraryFor(schema.additionalProperties, depth + 1), { maxKeys: MAX_ITEMS });
  }
  return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: MAX_ITEMS });
}

function stringFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, MAX_STRING);
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  const byFormat = formatted(schema.format);
  if (byFormat) return byFormat.filter(fits);
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    } catch {
      // fast-check does not generate from look-arounds: any short string then.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, MAX_STRING)) });
}

function formatted(format: string | undefined): fc.Arbitrary<string> | undefined {
  switch (format) {
    case 'email':
      return fc.emailAddress();
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    default:
      return undefined;
  }
}

function lowerBound(schema: JsonSchema, step: number): number | undefined {
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + step;
  return schema.minimum === undefined ? undefined : Math.ceil(schema.minimum);
}

function upperBound(schema: JsonSchema, step: number): number | undefined {
  if (schema.exclusiveMaximum !== undefined) return Math.ceil(schema.exclusiveMaximum) - step;
  return schema.maximum === undefined ? undefined : Math.floor(schema.maximum);
}
