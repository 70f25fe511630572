// Cashier access codes. A code is kept twice, never in clear: argon2id to verify it, and an
// HMAC-SHA256 of `${merchantId}:${code}` to find its cashier and refuse a code already taken
// (argon2 is salted, so it cannot be searched).
//
// Production must set SERVER_SECRET (a long random string): the fallback (auth/server-secret.ts) is public, and
// with it anyone holding a database copy could match lookups against all million six-digit codes.
// Changing the secret later orphans every stored lookup, so cashiers' codes must then be reset.
import { createHmac, randomInt } from 'node:crypto';
import { serverSecret } from '#auth/server-secret.ts';

/** Six random digits. */
export const generateAccessCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The searchable, keyed fingerprint of a merchant's access code. */
export const accessCodeLookup = (merchantId: string, code: string): Buffer =>
  createHmac('sha256', serverSecret).update(`${merchantId}:${code}`).digest();
