// One-time pairing codes (B1): 8 characters of an alphabet a cashier cannot misread, valid for a
// day. Only a SHA-256 of the code is kept; the cabinet shows the code once.
import { createHash, randomInt } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '@loyalty/protocol/sync/pairing.schema';

/** How long a new code stays valid. */
export const PAIRING_CODE_TTL_MS = 24 * 60 * 60 * 1000;

/** A fresh random code, ungrouped. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++)
    code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}

/** The code as shown: `XXXX-XXXX`. */
export const groupPairingCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/** What the database keeps of a code (normalised: upper case, no dashes). */
export const pairingCodeHash = (code: string): Buffer => createHash('sha256').update(code).digest();
