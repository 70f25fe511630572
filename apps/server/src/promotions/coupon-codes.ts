// Unique coupon codes for print runs (C6): random, from an alphabet without look-alikes, so a
// cashier typing from paper does not confuse 0/O or 1/I.
import { randomInt } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** One random code of `length` characters after `prefix`. */
export function randomCouponCode(prefix: string, length: number): string {
  let code = prefix.toUpperCase();
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Codes compare without spaces and case, as the engine does. */
export const normaliseCode = (code: string): string => code.replace(/\s+/g, '').toUpperCase();
