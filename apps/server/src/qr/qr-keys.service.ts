// Each merchant's QR signing key pair, created on first use: the first certificate issued or the
// first terminal sync of the merchant, whichever comes first.
import type { KeyObject } from 'node:crypto';
import type { Db } from '#db/database.ts';
import { generateEd25519, privateKeyFromDer } from './ed25519.ts';
import { decryptQrPrivateKey, encryptQrPrivateKey } from './qr-key-encryption.ts';
import { findQrKey, insertQrKeyIfMissing } from './qr-keys.repository.ts';

async function ensureQrKey(db: Db, merchantId: string) {
  const existing = await findQrKey(db, merchantId);
  if (existing) return existing;
  const { publicKey, privateKeyDer } = generateEd25519();
  await insertQrKeyIfMissing(db, merchantId, publicKey, encryptQrPrivateKey(privateKeyDer, merchantId));
  // Read back: when another request won the race, its key is the one to use.
  const stored = await findQrKey(db, merchantId);
  if (!stored) throw new Error(`QR key of merchant ${merchantId} vanished after insert`);
  return stored;
}

/**
 * The merchant's QR public key (raw 32 bytes, base64url), as the sync `settings` stream ships it
 * as `qrPublicKey`. Creates the key pair on first call, so it needs a writable connection.
 */
export async function qrPublicKeyFor(db: Db, merchantId: string): Promise<string> {
  return (await ensureQrKey(db, merchantId)).public_key.toString('base64url');
}

/** The merchant's signing key and its raw public key. Never log or return the private key. */
export async function qrSigningKeyFor(
  db: Db,
  merchantId: string,
): Promise<{ privateKey: KeyObject; publicKey: Buffer }> {
  const key = await ensureQrKey(db, merchantId);
  return {
    privateKey: privateKeyFromDer(decryptQrPrivateKey(key.private_key_encrypted, merchantId)),
    publicKey: key.public_key,
  };
}
