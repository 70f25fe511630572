// Ed25519 signature checks for core's verifyQrToken, through node:crypto. The server key is the
// same on every scan, so its key object is kept; phone keys differ per buyer and are cheap to build.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Ed25519Verify } from '@loyalty/core/qr/qr-verify';

let cached: { raw: string; key: KeyObject } | undefined;

function publicKeyObject(raw: Uint8Array): KeyObject {
  const x = Buffer.from(raw).toString('base64url');
  if (cached?.raw === x) return cached.key;
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  cached = { raw: x, key };
  return key;
}

/** Checks an Ed25519 signature by a raw 32-byte public key; false for any bad key or signature. */
export const verifyEd25519: Ed25519Verify = (publicKey, message, signature) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
};
