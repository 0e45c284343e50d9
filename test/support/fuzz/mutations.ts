import fc from 'fast-check';

type Json = unknown;
type Path = (string | number)[];

/** Values a careless or hostile client puts where another type belongs. */
export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 1.5),
  fc.constantFrom('', ' ', 'null', 'undefined', 'NaN', '0', '-1', '1e999', 'true', '__proto__', 'constructor', '$where'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\u0000', '\uFEFF', '\u202E', '😀'.repeat(50), 'é\u0301', '𝕏', "'; DROP TABLE orders; --", '<script>x</script>'),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('2021-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', 'not-a-date', '2021-05-03'),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  // An own `__proto__` key, as JSON.parse makes it from a request body.
  fc.constant(null).map(() => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as Json),
);

/** Every path to a value inside `value`, the root included. */
function pathsOf(value: Json, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => pathsOf(v, [...at, i])));
  if (value && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k])));
  return here;
}

function updateAt(value: Json, path: Path, change: (old: Json) => Json | typeof REMOVE): Json {
  if (path.length === 0) {
    const changed = change(value);
    return changed === REMOVE ? undefined : changed;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const changed = rest.length ? updateAt(copy[head as number], rest, change) : change(copy[head as number]);
    if (changed === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = changed;
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  const changed = rest.length ? updateAt(copy[head as string], rest, change) : change(copy[head as string]);
  if (changed === REMOVE) delete copy[head as string];
  else copy[head as string] = changed;
  return copy;
}

const REMOVE = Symbol('remove');

export type Mutation =
  | { kind: 'replace'; value: Json }
  | { kind: 'remove' }
  | { kind: 'wrapInArray' }
  | { kind: 'stringify' }
  | { kind: 'addField'; name: string; value: Json }
  | { kind: 'duplicateItems' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: oddValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'remove' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrapInArray' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stringify' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ name: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'id', 'tenantId', 'state')), value: oddValue })
      .map((f) => ({ kind: 'addField' as const, ...f })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicateItems' as const }) },
);

function apply(value: Json, m: Mutation): Json | typeof REMOVE {
  switch (m.kind) {
    case 'replace':
      return m.value;
    case 'remove':
      return REMOVE;
    case 'wrapInArray':
      return [value];
    case 'stringify':
      return JSON.stringify(value) ?? 'undefined';
    case 'addField':
      return value && typeof value === 'object' && !Array.isArray(value) ? { ...value, [m.name]: m.value } : m.value;
    case 'duplicateItems':
      return Array.isArray(value) ? [...value, ...value, ...value] : value;
  }
}

/**
 * `base` with one to three mutations, each at a path chosen among the values it
 * holds: wrong types, missing and extra fields, huge and odd strings, nulls, an
 * array where an object belongs. Shrinks towards fewer, simpler mutations.
 */
export function mutated(base: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
    .map(([value, steps]) =>
      steps.reduce<Json>((acc, [pick, m]) => {
        const paths = pathsOf(acc);
        return updateAt(acc, paths[pick % paths.length]!, (old) => apply(old, m));
      }, value),
    );
}
