import { describe, expect, it } from 'vitest';
import {
  formattersFor,
  maskPhoneInput,
  parseQuantity,
  parseRoubles,
  phoneComplete,
  returnReference,
} from './formatters.ts';

describe('renderer formatters', () => {
  it('formats kopecks and hundredths', () => {
    const f = formattersFor('ru');
    expect(f.money(123456).replace(/\s/g, ' ')).toBe('1 234,56 ₽');
    expect(f.points(5050)).toBe('50,5');
    expect(f.quantity(1500)).toBe('1,5');
    expect(formattersFor('en').money(123456).replace(/\s/g, ' ')).toBe('RUB 1,234.56');
  });

  it('masks a phone as it is typed, from any start', () => {
    expect(maskPhoneInput('8912')).toBe('+7 (912)');
    expect(maskPhoneInput('89123456789')).toBe('+7 (912) 345-67-89');
    expect(maskPhoneInput('+7 (912) 345-67-899')).toBe('+7 (912) 345-67-89');
    expect(phoneComplete(maskPhoneInput('9123456789'))).toBe(true);
    expect(phoneComplete('+7 (912) 34')).toBe(false);
  });

  it('parses roubles typed with a comma or a point', () => {
    expect(parseRoubles('12,5')).toBe(1250);
    expect(parseRoubles('12.05')).toBe(1205);
    expect(parseRoubles('abc')).toBeNull();
  });

  it('parses typed quantities into thousandths', () => {
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity('0,5')).toBe(500);
    expect(parseQuantity('1.250')).toBe(1250);
    expect(parseQuantity('1,2345')).toBeNull();
    expect(parseQuantity('')).toBeNull();
    expect(parseQuantity('abc')).toBeNull();
  });

  it('reads the slip QR or a receipt number for a return', () => {
    expect(returnReference('receipt:0197abcd')).toEqual({ receiptId: '0197abcd' });
    expect(returnReference(' 12 ')).toEqual({ number: '12' });
    expect(returnReference('  ')).toBeNull();
  });
});
