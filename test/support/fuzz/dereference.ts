/**
 * The operation objects of an OpenAPI document with every `$ref` replaced by what it
 * names, so the generator and the validator each see one self-contained schema.
 * Two kinds of reference occur: `#/components/...` (named schemas, parameters,
 * responses) against the document, and `#/$defs/...` that zod writes inside a schema
 * for the schema it sits in, resolved against the nearest enclosing `$defs`.
 * A reference that comes back to itself (a recursive schema) becomes `{}`: the fuzz
 * generates no recursive values, and an answer's recursive part is then not checked.
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Pointer (RFC 6901) inside `root`, from the part after `#`. */
function pointerInto(root: Json, pointer: string): Json {
  const tokens = pointer.split('/').slice(1).map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
  let at = root;
  for (const token of tokens) {
    if (Array.isArray(at)) at = at[Number(token)];
    else if (isObject(at)) at = at[token];
    else return undefined;
  }
  return at;
}

// Identifiers would clash once one named schema is inlined in several places.
const DROPPED = new Set(['$ref', '$defs', 'definitions', '$id', '$schema', '$anchor', '$dynamicAnchor']);

export function dereference<T>(node: T, document: Json): T {
  const walk = (value: Json, scopes: JsonObject[], chain: string[]): Json => {
    if (Array.isArray(value)) return value.map((v) => walk(v, scopes, chain));
    if (!isObject(value)) return value;
    const here = isObject(value.$defs) || isObject(value.definitions) ? [...scopes, value] : scopes;
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED.has(k)) rest[k] = walk(v, here, chain);
    const ref = value.$ref;
    if (typeof ref !== 'string') return rest;
    if (!ref.startsWith('#')) throw new Error(`only references inside the document are supported: ${ref}`);
    const local = /^#\/(\$defs|definitions)\//.test(ref);
    // The innermost schema with `$defs` that holds the name; the document for everything else.
    const scope = local ? [...here].reverse().find((s) => pointerInto(s, ref.slice(1)) !== undefined) : undefined;
    const key = `${local ? here.indexOf(scope as JsonObject) : 'doc'}:${ref}`;
    if (chain.includes(key)) return Object.keys(rest).length ? rest : {};
    const target = pointerInto(scope ?? document, ref.slice(1));
    if (target === undefined) throw new Error(`unresolved reference ${ref}`);
    const resolved = walk(target, local ? here : [], [...chain, key]);
    // Siblings of $ref (2020-12 allows them) apply too: they and the target both hold.
    return Object.keys(rest).length ? { ...rest, allOf: [...((rest.allOf as Json[] | undefined) ?? []), resolved] } : resolved;
  };
  return walk(node, [], []) as T;
}
