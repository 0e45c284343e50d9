import fc from 'fast-check';
import { z } from 'zod';
import { isValidPhoneNumber, isValidSwedishIdentityNumber, PERSONNUMMER_PATTERN, PHONE_NUMBER_PATTERN } from '../../src/domain/shared/swedishIdentity';
import { NOT_BLANK_PATTERN } from '../../src/domain/shared/textPatterns';
import { PersonSchema } from '../../src/api/fibre/ordersSchema';
import { isValid } from '../support/fuzz/schemaValidator';
import type { JsonSchema } from '../support/fuzz/jsonSchemaArbitrary';

/**
 * The OpenAPI document says in regexes what code checks (issue 14); each regex must
 * accept exactly what its check accepts, or a client's validator and the server
 * disagree. Strings from the pattern itself, near misses from the alphabet the rule
 * is about, and anything at all.
 */
const text = (pattern: string, alphabet: string) =>
  fc.oneof(
    fc.stringMatching(new RegExp(pattern)),
    fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 24 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  );

/** Phone-shaped text around the limits: 5 to 17 digits among separators, a + and white space. */
const phoneLike = (separators: string) =>
  fc
    .tuple(
      fc.constantFrom('', ' ', '\t'),
      fc.constantFrom('', '+', '(', '+(', '-'),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('', '', '', ...separators)), { minLength: 5, maxLength: 17 }),
      fc.constantFrom('', ' ', '\n', '+'),
    )
    .map(([before, start, digits, after]) => `${before}${start}${digits.map(([d, sep]) => `${d}${sep}`).join('')}${after}`);

describe('patterns in the document accept what the checks beside them accept', () => {
  it('PHONE_NUMBER_PATTERN is isValidPhoneNumber', () => {
    const pattern = new RegExp(PHONE_NUMBER_PATTERN);
    fc.assert(
      fc.property(fc.oneof(phoneLike(' ()-'), text(PHONE_NUMBER_PATTERN, '0123456789 ()-+\t\u00a0x')), (s) => expect(pattern.test(s)).toBe(isValidPhoneNumber(s))),
      { numRuns: 3000 },
    );
  });

  it('NOT_BLANK_PATTERN is what .trim().min(1) accepts, less NUL', () => {
    const pattern = new RegExp(NOT_BLANK_PATTERN);
    const notBlank = z.string().trim().min(1);
    fc.assert(
      fc.property(text(NOT_BLANK_PATTERN, ' \t\n\u00a0\ufeff\u2028a\u0000'), (s) =>
        expect(pattern.test(s)).toBe(notBlank.safeParse(s).success && !s.includes('\u0000')),
      ),
      { numRuns: 3000 },
    );
  });

  it('PERSONNUMMER_PATTERN with format personnummer is isValidSwedishIdentityNumber', () => {
    const schema: JsonSchema = { type: 'string', pattern: PERSONNUMMER_PATTERN, format: 'personnummer' };
    const samples = fc.oneof(
      text(PERSONNUMMER_PATTERN, '0123456789-+ '),
      fc.constantFrom('198507099805', '19850709-9805', '8507099805', '850709-9805', '  198507099805  ', '198507699802', '850709+9805', '198507099806', '19850709T805'),
    );
    fc.assert(fc.property(samples, (s) => expect(isValid(schema, s)).toBe(isValidSwedishIdentityNumber(s))), { numRuns: 3000 });
  });

  it('the fibre order phone number pattern is the schema\'s rule on the text as sent', () => {
    const documented = (z.toJSONSchema(PersonSchema, { io: 'input' }) as unknown as { properties: { phoneNumber: JsonSchema } }).properties.phoneNumber;
    const pattern = new RegExp(documented.pattern!);
    fc.assert(
      fc.property(fc.oneof(phoneLike(' -\t'), text(documented.pattern!, '0123456789 -+\t\n(')), (s) =>
        expect(pattern.test(s)).toBe(PersonSchema.shape.phoneNumber.safeParse(s).success),
      ),
      { numRuns: 3000 },
    );
  });
});
