/**
 * ICCID form (ITU-T E.118): 19 or 20 digits, the last a Luhn check digit over the
 * others. The issue asks for this check before anything else, so a typo in an
 * ICCID is a 400 naming the field, never a lookup that answers "does not match".
 */
export const ICCID_MESSAGE = 'must be an ICCID: 19 or 20 digits ending in a valid Luhn check digit';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidIccid(value: string): boolean {
  return /^\d{19,20}$/.test(value) && luhnValid(value);
}

/** The check digit that makes `body` + digit pass Luhn (used by the simulated platform to mint ICCIDs). */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d += 1) if (luhnValid(`${body}${d}`)) return String(d);
  throw new Error(`no Luhn check digit for ${body}`);
}
