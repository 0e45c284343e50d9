import { isValidIccid, luhnCheckDigit } from '../../src/domain/esimOrders/iccid';

describe('ICCID form', () => {
  it('accepts the seed\'s bulk ICCID, 19 digits with a correct Luhn check digit, and 20-digit ones', () => {
    expect(isValidIccid('8944474600000101811')).toBe(true);
    const body = '8944474600000101811';
    expect(isValidIccid(`${body}${luhnCheckDigit(body)}`)).toBe(true);
  });

  it('refuses a wrong check digit, the seed\'s placeholder 123456789, letters and 21 digits', () => {
    expect(isValidIccid('8944474600000101812')).toBe(false);
    expect(isValidIccid('123456789')).toBe(false);
    expect(isValidIccid('894447460000010181A')).toBe(false);
    const body = '89444746000001018110';
    expect(isValidIccid(`${body}${luhnCheckDigit(body)}`)).toBe(false);
  });
});
