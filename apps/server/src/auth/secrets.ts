// Passwords with argon2id; opaque tokens as random bytes, stored only as SHA-256 (they are
// high-entropy, so a fast hash is enough and lookups stay indexable).
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Algorithm.Argon2id is an ambient const enum (value 2); spelled out for verbatimModuleSyntax.
const ARGON2ID = 2;
const argonOptions = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** An argon2id hash of a password or access code. */
export const hashSecret = (secret: string): Promise<string> => hash(secret, argonOptions);

/** Checks a password against its argon2id hash; false on any malformed hash. */
export async function verifySecret(secret: string, secretHash: string): Promise<boolean> {
  try {
    return await verify(secretHash, secret);
  } catch {
    return false;
  }
}

/** A random URL-safe token. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** SHA-256 of a token, as stored. */
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
