// QR signing keys are stored encrypted (AES-256-GCM under a key derived from SERVER_SECRET), so a
// database copy or backup alone cannot mint buyer certificates. The merchant id is the associated
// data: a key blob moved to another merchant's row fails to decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { serverSecret } from '#auth/server-secret.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encryptionKey = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'loyalty', 'qr-signing-key/v1', 32));

/** `version (1) | iv (12) | tag (16) | ciphertext`. */
export function encryptQrPrivateKey(
  privateKeyDer: Buffer,
  merchantId: string,
  secret = serverSecret,
): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret), iv);
  cipher.setAAD(Buffer.from(merchantId));
  const body = Buffer.concat([cipher.update(privateKeyDer), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
}

/** The PKCS#8 DER key; throws when the secret changed or the blob was tampered with. */
export function decryptQrPrivateKey(blob: Buffer, merchantId: string, secret = serverSecret): Buffer {
  if (blob[0] !== VERSION) throw new Error('Unknown QR key encryption version');
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret), iv);
  decipher.setAAD(Buffer.from(merchantId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}
