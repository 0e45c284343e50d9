import fc from 'fast-check';
import { CUSTOM_FORMATS, STANDARD_FORMAT_ARBITRARIES } from './formats';
import { isValid } from './schemaValidator';

/** The JSON Schema 2020-12 that `z.toJSONSchema` (plus our `.meta`) writes into the OpenAPI document, `$ref`s resolved. */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  properties?: Record<string, JsonSchema | boolean>;
  required?: string[];
  dependentRequired?: Record<string, string[]>;
  dependentSchemas?: Record<string, JsonSchema>;
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
  description?: string;
  /** The generator's own marks, never in a document: no value satisfies this (merged) schema; */
  never?: true;
  /** and patterns and formats a merge met beside `pattern` and `format`, each checked too. */
  alsoPatterns?: string[];
  alsoFormats?: string[];
}

// Small bounds keep each request cheap: the fuzz wants many requests, not big ones
// (big ones are a mutation of their own).
const MAX_STRING = 40;
const MAX_ITEMS = 3;
const MAX_DEPTH = 10;

/**
 * Values that satisfy `schema`, exactly: generated from its parts (one branch of an
 * `anyOf`, the `then` or the `else` of an `if`, the fields a `dependentRequired` asks
 * for), then checked against the whole schema by a real validator. Generation hits the
 * common case, so the check rarely throws a value away (fast-check generates again for
 * each refusal: a filter that refuses most values makes a slow fuzz). Generating from the published document,
 * not from the zod schemas, is what makes the fuzz also prove that the document
 * describes what the code accepts.
 */
export function validValueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  return arbitraryFor(schema).filter((v) => isValid(schema, v));
}

/** Like validValueFor, without the final check: the base the mutations start from. */
export function arbitraryFor(schema: JsonSchema | boolean, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true) return fc.jsonValue({ maxDepth: 1 });
  // Nothing is valid: a value the final check refuses (a filter here could never pass).
  if (schema === false || schema.never) return fc.constant(undefined);
  if (depth > MAX_DEPTH) return fc.constant(null);
  // Combinators first, each by merging its parts into the rest of the schema; what a
  // part cannot make sure of (`not`, an `else` beside its `if`) is left to the final check.
  // `allOf` comes last: the rest of the schema then holds no combinator it could clash with.
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return oneOfPossible(alternatives.map((alt) => merge(rest, alt)), rest, depth);
  }
  if (schema.if) {
    const { if: condition, then, else: otherwise, ...rest } = schema;
    return oneOfPossible([merge(merge(rest, condition), then ?? {}), merge(merge(rest, negated(rest, condition)), otherwise ?? {})], rest, depth);
  }
  if (schema.not) {
    const { not: _not, ...rest } = schema;
    return arbitraryFor(rest, depth);
  }
  // Last, as each part merged in may bring a combinator of its own (handled above, in turn).
  if (schema.allOf?.length) {
    const [first, ...others] = schema.allOf;
    const { allOf: _all, ...rest } = schema;
    return arbitraryFor(merge(others.length ? { ...rest, allOf: others } : rest, first!), depth);
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
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

function oneOfPossible(branches: JsonSchema[], fallback: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const possible = branches.filter((b) => !impossible(b));
  return possible.length ? fc.oneof(...possible.map((b) => arbitraryFor(b, depth))) : arbitraryFor(fallback, depth);
}

/** A branch that no value can take (two consts that differ, a required field that cannot exist): never chosen. */
function impossible(s: JsonSchema): boolean {
  if (s.never) return true;
  const required = new Set(s.required ?? []);
  if (Object.entries(s.properties ?? {}).some(([k, p]) => required.has(k) && (p === false || (p !== true && impossible(p))))) return true;
  return s.items !== undefined && (s.minItems ?? 0) > 0 && impossible(s.items);
}

/** The values a schema allows, where it lists them. */
function listed(s: JsonSchema | boolean | undefined): unknown[] | undefined {
  if (!s || s === true) return undefined;
  if (s.const !== undefined) return [s.const];
  if (s.enum) return s.enum;
  return s.type === 'boolean' ? [true, false] : undefined;
}

/**
 * The common conditions turned around, for the `else` branch: an `if` on one field's
 * value (`{properties: {operationType: {const: ...}}}`) gives that field one of its other
 * values; an `if` that needs an optional field present gives that field absent. Any
 * other condition gives nothing, and the final check sorts the values out.
 */
function negated(rest: JsonSchema, condition: JsonSchema): JsonSchema {
  const tested = Object.entries(condition.properties ?? {});
  if (tested.length === 1) {
    const [name, test] = tested[0]!;
    const all = listed(rest.properties?.[name]);
    const excluded = listed(test);
    if (all && excluded) {
      const others = all.filter((v) => !excluded.some((x) => same(x, v)));
      return { properties: { [name]: others.length ? { enum: others } : false } };
    }
  }
  const needed = condition.required ?? [];
  if (needed.length === 1 && !rest.required?.includes(needed[0]!)) return { properties: { [needed[0]!]: false } };
  return {};
}

const TIGHTER_BY_MAX = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const TIGHTER_BY_MIN = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;
const DEFERRED = ['anyOf', 'oneOf', 'if', 'not'] as const;
const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/**
 * Both schemas as one, for generation: properties merged field by field, `required`
 * and `dependentRequired` joined, the tighter bound kept, listed values intersected
 * (none left: `never`). A combinator both hold is deferred to `allOf` (generated in
 * turn); of two patterns (or formats) the more specific is generated from and both
 * are checked.
 */
function merge(a: JsonSchema, b: JsonSchema | boolean): JsonSchema {
  if (b === true) return a;
  if (b === false) return { ...a, never: true };
  const out: JsonSchema = { ...a, ...b };
  const deferred: JsonSchema[] = [...(a.allOf ?? []), ...(b.allOf ?? [])];
  for (const key of DEFERRED) {
    if (a[key] !== undefined && b[key] !== undefined) {
      out[key] = a[key] as never;
      deferred.push(key === 'if' ? { if: b.if, then: b.then, else: b.else } : { [key]: b[key] });
      if (key === 'if') Object.assign(out, { then: a.then, else: a.else });
    }
  }
  if (deferred.length) out.allOf = deferred;
  else delete out.allOf;
  for (const key of TIGHTER_BY_MAX) if (a[key] !== undefined && b[key] !== undefined) out[key] = Math.max(a[key], b[key]);
  for (const key of TIGHTER_BY_MIN) if (a[key] !== undefined && b[key] !== undefined) out[key] = Math.min(a[key], b[key]);
  const [la, lb] = [a.const !== undefined || a.enum ? listed(a) : undefined, b.const !== undefined || b.enum ? listed(b) : undefined];
  if (la && lb) {
    const both = la.filter((v) => lb.some((w) => same(v, w)));
    delete out.const;
    delete out.enum;
    if (both.length === 1) out.const = both[0];
    else if (both.length) out.enum = both;
    else out.never = true;
  }
  if (a.properties && b.properties) {
    out.properties = { ...a.properties };
    for (const [k, s] of Object.entries(b.properties)) {
      const mine = a.properties[k];
      out.properties[k] = mine === undefined ? s : mine === false || s === false ? false : mine === true ? s : merge(mine, s);
    }
  }
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.dependentRequired && b.dependentRequired) out.dependentRequired = { ...a.dependentRequired, ...b.dependentRequired };
  if (a.dependentSchemas && b.dependentSchemas) out.dependentSchemas = { ...a.dependentSchemas, ...b.dependentSchemas };
  if (a.items && b.items) out.items = merge(a.items, b.items);
  // One pattern and one format to generate from (the most specific), the others checked.
  if (a.pattern && b.pattern && a.pattern !== b.pattern) {
    const [main, other] = b.pattern.length >= a.pattern.length ? [b.pattern, a.pattern] : [a.pattern, b.pattern];
    out.pattern = main;
    out.alsoPatterns = [...(a.alsoPatterns ?? []), ...(b.alsoPatterns ?? []), other];
  }
  if (a.format && b.format && a.format !== b.format) {
    const [main, other] = CUSTOM_FORMATS[a.format] && !CUSTOM_FORMATS[b.format] ? [a.format, b.format] : [b.format, a.format];
    out.format = main;
    out.alsoFormats = [...(a.alsoFormats ?? []), ...(b.alsoFormats ?? []), other];
  }
  if (a.type && b.type) {
    const types = typesOf(a.type).filter((t) => typesOf(b.type!).includes(t));
    if (types.length === 1) out.type = types[0];
    else if (types.length) out.type = types;
    else out.never = true;
  } else if (a.type) out.type = a.type;
  return out;
}

/** A schema's types as a list; `number` includes `integer`. */
function typesOf(type: string | string[]): string[] {
  const list = Array.isArray(type) ? type : [type];
  return list.includes('number') ? [...list, 'integer'] : list;
}

/**
 * Which keys an object has, as its dependencies want: a required key brings what it
 * depends on (`dependentRequired`); after generation an optional key whose
 * dependencies are missing is dropped, and so is a field a present key excludes
 * (`dependentSchemas: {a: {properties: {b: false}}}`: "with a, no b"). Other
 * dependent schemas are left to the final check.
 */
function withDependencies(schema: JsonSchema): { required: Set<string>; drop(value: Record<string, unknown>): Record<string, unknown> } {
  const deps = schema.dependentRequired ?? {};
  const required = new Set(schema.required ?? []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of [...required]) for (const d of deps[k] ?? []) if (!required.has(d)) required.add((grew = true) && d);
  }
  const excludes = Object.entries(schema.dependentSchemas ?? {}).map(
    ([k, s]) => [k, Object.entries(s.properties ?? {}).filter(([, p]) => p === false).map(([x]) => x)] as const,
  );
  return {
    required,
    drop(value) {
      const out = { ...value };
      for (const [k, xs] of excludes) if (k in out) for (const x of xs) if (!required.has(x)) delete out[x];
      for (let dropped = true; dropped; ) {
        dropped = false;
        for (const [k, ds] of Object.entries(deps)) {
          if (k in out && !required.has(k) && ds.some((d) => !(d in out))) {
            delete out[k];
            dropped = true;
          }
        }
      }
      return out;
    },
  };
}

/**
 * A property no value satisfies is left out, not generated and filtered away: zod writes a
 * field that must be absent (`z.never()`, a seller's field in a merge patch) as `{not: {}}`,
 * and with several such optional fields almost every generated object would be refused (seen:
 * 10 to 100 s per PATCH request with seven of them).
 */
function admitsNothing(s: JsonSchema | boolean): boolean {
  if (s === false) return true;
  if (s === true) return false;
  return s.never === true || (s.not !== undefined && Object.keys(s.not).length === 0);
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const { required, drop } = withDependencies(schema);
    const allowed = Object.entries(schema.properties).filter(([, s]) => !admitsNothing(s));
    const fields = Object.fromEntries(allowed.map(([k, s]) => [k, arbitraryFor(s, depth + 1)]));
    const record = fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) }).map(drop);
    // Where the document allows fields it does not name (a zod object strips them), send some.
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) return record;
    const extra = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in schema.properties!)),
      fc.jsonValue({ maxDepth: 1 }),
      { maxKeys: 2 },
    );
    return fc.tuple(record, fc.option(extra, { nil: {}, freq: 4 })).map(([r, more]) => ({ ...more, ...r }));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const keys = schema.propertyNames ? stringFor(schema.propertyNames) : fc.string({ minLength: 1, maxLength: 12 });
    return fc.dictionary(keys as fc.Arbitrary<string>, arbitraryFor(schema.additionalProperties, depth + 1), { maxKeys: MAX_ITEMS });
  }
  return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: MAX_ITEMS });
}

/**
 * Surrogates (astral characters) are left out on purpose: JSON Schema counts a string's
 * length in code points, zod in UTF-16 units, so near a maxLength the two disagree on
 * astral text (a known gap, see the fuzz test's header), and the fuzz would report it
 * on every such field instead of finding anything else.
 */
const noSurrogates = (s: string) => !/[\uD800-\uDFFF]/.test(s);

// By content: merged branches repeat the same leaves, and fast-check's regex parsing is slow (a second for some).
const strings = new Map<string, fc.Arbitrary<unknown>>();

function stringFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const also = [...(schema.alsoPatterns ?? []).map((pattern) => ({ pattern })), ...(schema.alsoFormats ?? []).map((format) => ({ format }))];
  const leaf: JsonSchema = { type: 'string', ...pick(schema, ['minLength', 'maxLength', 'pattern', 'format']), ...(also.length ? { allOf: also } : {}) };
  const key = JSON.stringify(leaf);
  let arbitrary = strings.get(key);
  if (!arbitrary) strings.set(key, (arbitrary = newStringFor(leaf)));
  return arbitrary;
}

function newStringFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, MAX_STRING);
  // The leaf's own constraints (pattern, length, format) checked here, so the whole
  // value's check rarely has to refuse anything.
  const fits = (s: string) => noSurrogates(s) && isValid(schema, s);
  const byFormat = schema.format ? (CUSTOM_FORMATS[schema.format]?.arbitrary ?? STANDARD_FORMAT_ARBITRARIES[schema.format]) : undefined;
  if (byFormat) return byFormat.filter(fits);
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(fits);
    } catch {
      // fast-check does not generate from look-arounds: any short string, checked.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, MAX_STRING)) }).filter(fits);
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

function lowerBound(schema: JsonSchema, step: number): number | undefined {
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + step;
  return schema.minimum === undefined ? undefined : Math.ceil(schema.minimum);
}

function upperBound(schema: JsonSchema, step: number): number | undefined {
  if (schema.exclusiveMaximum !== undefined) return Math.ceil(schema.exclusiveMaximum) - step;
  return schema.maximum === undefined ? undefined : Math.floor(schema.maximum);
}
