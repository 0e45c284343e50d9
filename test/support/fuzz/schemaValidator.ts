import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CUSTOM_FORMATS } from './formats';
import type { JsonSchema } from './jsonSchemaArbitrary';

/**
 * One JSON Schema 2020-12 validator for both directions of the fuzz: what a request
 * generated from the document must satisfy, and what an answer must. A real validator,
 * not a reading of our own, so `if`/`then`, `dependentRequired`, `anyOf` and `not`
 * mean what the standard says. Formats are asserted, ours included: a generated value
 * is only "valid" when it passes the same checks the server makes.
 * `strict: false`: OpenAPI adds keywords of its own (`example`, `x-…`).
 */
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  validateFormats: true,
  // Not strict, ajv would only warn about a format it does not know, and pass every value: refuse the schema instead.
  logger: {
    log: () => undefined,
    warn: (...args: unknown[]) => {
      if (/unknown format/.test(String(args[0]))) throw new Error(String(args[0]));
    },
    error: (...args: unknown[]) => {
      throw new Error(args.map(String).join(' '));
    },
  },
});
addFormats(ajv);
for (const [name, format] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, { type: 'string', validate: format.check });

const compiled = new WeakMap<object, ValidateFunction>();

export function validatorFor(schema: JsonSchema | boolean): ValidateFunction {
  if (typeof schema === 'boolean') return ajv.compile(schema);
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

export const isValid = (schema: JsonSchema | boolean, value: unknown): boolean => validatorFor(schema)(value) as boolean;

/** Why `value` fails `schema`, one line per problem, short enough for a test failure. */
export function problemsWith(schema: JsonSchema, value: unknown): string | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  return (validate.errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('\n');
}
