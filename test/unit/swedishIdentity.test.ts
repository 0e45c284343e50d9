import { isValidPhoneNumber, isValidSwedishIdentityNumber } from '../../src/domain/shared/swedishIdentity';

describe('isValidSwedishIdentityNumber', () => {
  it.each([
    ['12 digits without separator', '198507099805'],
    ['12 digits with separator', '19850709-9805'],
    ['10 digits without separator', '8507099805'],
    ['10 digits with separator', '850709-9805'],
    ['surrounding whitespace', '  198507099805  '],
  ])('accepts a personnummer in the form %s (%s)', (_form, value) => {
    expect(isValidSwedishIdentityNumber(value)).toBe(true);
  });

  it.each([['198507699802'], ['850769-9802']])('accepts a samordningsnummer (day + 60): %s', (value) => {
    expect(isValidSwedishIdentityNumber(value)).toBe(true);
  });

  it.each([['198507099806'], ['850709-9806'], ['198507699803']])('rejects a wrong check digit: %s', (value) => {
    expect(isValidSwedishIdentityNumber(value)).toBe(false);
  });

  it.each([['string'], [''], ['12345'], ['198513099805'], ['abcdefghijkl']])('rejects garbage: %j', (value) => {
    expect(isValidSwedishIdentityNumber(value)).toBe(false);
  });
});

describe('isValidPhoneNumber', () => {
  it.each([['+46701234567'], ['08-123 456 78'], ['070-123 45 67'], ['08 (123) 45 67'], ['1234567']])('accepts %j', (value) => {
    expect(isValidPhoneNumber(value)).toBe(true);
  });

  it.each([
    ['letters', 'string'],
    ['too few digits', '123'],
    ['six digits', '123456'],
    ['20 digits', '12345678901234567890'],
    ['16 digits', '1234567890123456'],
    ['a plus in the middle', '46+701234567'],
    ['empty', ''],
  ])('rejects %s (%j)', (_why, value) => {
    expect(isValidPhoneNumber(value)).toBe(false);
  });
});
