// Ed25519 through node:crypto for the server: keys travel as raw 32-byte public keys (what the
// QR certificate and the sync `settings` stream carry) and PKCS#8 DER private keys (what we store,
// encrypted).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { Ed25519Verify } from '@loyalty/core/qr/qr-verify';

/** A fresh key pair: raw public key and PKCS#8 DER private key. */
export function generateEd25519(): { publicKey: Buffer; privateKeyDer: Buffer } {
  const pair = generateKeyPairSync('ed25519');
  return {
    publicKey: rawPublicKey(pair.publicKey),
    privateKeyDer: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/** The raw 32 bytes of an Ed25519 public key object. */
export function rawPublicKey(key: KeyObject): Buffer {
  const { x } = key.export({ format: 'jwk' });
  if (x === undefined) throw new Error('Not an Ed25519 public key');
  return Buffer.from(x, 'base64url');
}

/** A public key object from raw bytes; throws when they are not a 32-byte Ed25519 key. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('An Ed25519 public key has 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** A private key object from PKCS#8 DER. */
export const privateKeyFromDer = (der: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });

/** Signs `message` (Ed25519 takes no digest name). */
export const signEd25519 = (privateKey: KeyObject, message: Uint8Array): Buffer =>
  sign(null, message, privateKey);

/** The check core's verifyQrToken expects: false for any bad key or signature, never a throw. */
export const verifyEd25519: Ed25519Verify = (publicKey, message, signature) => {
  try {
    return verify(null, message, publicKeyFromRaw(publicKey), signature);
  } catch {
    return false;
  }
};
