import Personnummer from 'personnummer';

/** The seed's own wording, which a CO may show the end customer as is. */
export const PERSONNUMMER_MESSAGE = 'Social security number is missing or incorrect.';

/**
 * A Swedish personnummer or samordningsnummer (day + 60), 10 or 12 digits, with
 * or without the separator, and a correct Luhn check digit.
 */
export function isValidSwedishIdentityNumber(value: string): boolean {
  return Personnummer.valid(value.trim(), { allowCoordinationNumber: true, allowInterimNumber: false });
}

// E.164-ish: an optional +, digits with spaces, dashes or parentheses, 7 to 15 digits in all.
const PHONE_CHARS = /^\+?[0-9(][0-9 ()-]*$/;

/**
 * isValidPhoneNumber as one regex, for the OpenAPI document: white space around it,
 * an optional +, a digit or an opening parenthesis first, then 7 to 15 digits among
 * spaces, dashes and parentheses.
 */
export const PHONE_NUMBER_PATTERN = '^\\s*\\+?(?:[0-9][ ()-]*(?:[0-9][ ()-]*){6,14}|\\([ ()-]*(?:[0-9][ ()-]*){7,15})\\s*$';

/** The forms of a personnummer for the document's pattern (the date and the check digit are the format's). */
export const PERSONNUMMER_PATTERN = '^\\s*(?:\\d{2})?\\d{6}[+-]?\\d{4}\\s*$';

export function isValidPhoneNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return PHONE_CHARS.test(value.trim()) && digits >= 7 && digits <= 15;
}
