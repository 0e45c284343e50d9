import fc from 'fast-check';
import { isValidIccid, luhnCheckDigit } from '../../../src/domain/esimOrders/iccid';
import { isValidSwedishIdentityNumber } from '../../../src/domain/shared/swedishIdentity';
import { ACTIVATION_DATE_GRACE_MS } from '../../../src/api/esimOrders/schema';

/**
 * The custom `format`s our schemas declare (JSON Schema allows formats of one's own):
 * each with the check the server makes, so the validator asserts exactly that, and a
 * generator of values that pass it, since no generic generator can guess a Luhn digit.
 */
export interface CustomFormat {
  check(value: string): boolean;
  arbitrary: fc.Arbitrary<string>;
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));

/** A date as YYYYMMDD between 1900 and 2020 (every such day exists: the generator picks real dates). */
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));

/** YYYYMMDD (day + 60 for a samordningsnummer), a serial that is not 000, the Luhn digit over the 10-digit form; in each written form. */
const personnummer = fc
  .tuple(birthDate, fc.boolean(), fc.integer({ min: 1, max: 999 }), fc.constantFrom('long', 'long-', 'short', 'short-'))
  .map(([date, coordination, serial, form]) => {
    const day = Number(date.slice(6)) + (coordination ? 60 : 0);
    const ymd = `${date.slice(0, 6)}${String(day).padStart(2, '0')}`;
    const nnn = String(serial).padStart(3, '0');
    const check = luhnCheckDigit(`${ymd.slice(2)}${nnn}`);
    const year = form.startsWith('long') ? ymd : ymd.slice(2);
    return `${year}${form.endsWith('-') ? '-' : ''}${nnn}${check}`;
  });

export const CUSTOM_FORMATS: Record<string, CustomFormat> = {
  iccid: {
    check: isValidIccid,
    arbitrary: digits(18, 19).map((body) => `${body}${luhnCheckDigit(body)}`),
  },
  personnummer: {
    check: isValidSwedishIdentityNumber,
    arbitrary: personnummer,
  },
  'date-time-not-past': {
    check: (v) => Date.parse(v) >= Date.now() - ACTIVATION_DATE_GRACE_MS,
    // An hour ahead at least: the request may wait a little before it is sent.
    arbitrary: fc
      .date({ min: new Date(Date.now() + 3600_000), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
};

/** Generators for the standard formats our schemas use; their checks are ajv-formats'. */
export const STANDARD_FORMAT_ARBITRARIES: Record<string, fc.Arbitrary<string>> = {
  // Plain addresses: fc.emailAddress() writes RFC 5322 forms (`!#$%`) that zod's e-mail pattern refuses.
  email: fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9_+-]{1,10}(\.[A-Za-z0-9_+-]{1,10})?$/),
      fc.stringMatching(/^([a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\.){1,2}[a-z]{2,6}$/),
    )
    .map(([local, domain]) => `${local}@${domain}`),
  uuid: fc.uuid(),
  'date-time': fc
    .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+01:00', '-05:30'))
    .map(([d, zone]) => (zone === 'Z' ? d.toISOString() : `${d.toISOString().slice(0, 19)}${zone}`)),
  date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
};
