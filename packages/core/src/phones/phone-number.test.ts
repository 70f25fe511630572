// Phone normalisation: every usual way of typing a mobile number gives one E.164 form; numbers
// that cannot receive an SMS code (landlines, a digit missing or extra) are refused.
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './phone-number.ts';

describe('normalizePhone', () => {
  it.each([
    ['8 912 345-67-89', '+79123456789'],
    ['+7 (912) 345 67 89', '+79123456789'],
    ['79123456789', '+79123456789'],
    ['9123456789', '+79123456789'],
    [' +7 999 000-11-22 ', '+79990001122'],
    // Other countries with their code: a Kazakh and a Belarusian mobile.
    ['+7 701 234 5678', '+77012345678'],
    ['+375 29 123-45-67', '+375291234567'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['912345678', '8 (812) 123-45-67', '+8 912 345 67 89', '8912345678901', '8 912 abc 67 89', ''])(
    'refuses %j with phone_invalid',
    (input) => {
      const result = normalizePhone(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('phone_invalid');
    },
  );
});

describe('maskPhone', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhone('+79123456789')).toBe('+7 *** ***-67-89');
    expect(maskPhone('+375291234567')).toBe('+375 *** ***-45-67');
    expect(maskPhone(null)).toBeNull();
  });
});
