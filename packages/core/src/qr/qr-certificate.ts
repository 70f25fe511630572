// The certificate the server gives a buyer's phone: who the buyer is, in which merchant, which
// phone key may sign windows for them, and until when. 68 bytes, so the whole QR stays small:
//   buyerId (16) | merchantId (16) | phone Ed25519 public key (32) | expiresAt, Unix seconds (4)
import { asciiBytes, concatBytes, readUint32, readUuid, uint32Bytes, uuidBytes } from './qr-bytes.ts';

/** Bytes of an encoded certificate. */
export const QR_CERTIFICATE_LENGTH = 68;
/** Bytes of a raw Ed25519 public key. */
export const ED25519_PUBLIC_KEY_LENGTH = 32;
/** Bytes of an Ed25519 signature. */
export const ED25519_SIGNATURE_LENGTH = 64;

/** A decoded certificate. */
export type QrCertificate = {
  readonly buyerId: string;
  readonly merchantId: string;
  /** Raw 32-byte Ed25519 public key of the buyer's phone. */
  readonly phonePublicKey: Uint8Array;
  /** Epoch ms, a whole second. */
  readonly expiresAt: number;
};

// A label in front of every signed message keeps a signature made for one purpose from being
// accepted for another (a window signature can never pass as a certificate signature).
const CERTIFICATE_LABEL = asciiBytes('loyalty-qr/1/certificate\n');

/** The certificate's bytes; `expiresAt` must be a whole second (the format keeps seconds). */
export function encodeQrCertificate(certificate: QrCertificate): Uint8Array {
  if (certificate.phonePublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new RangeError(`A phone public key has ${ED25519_PUBLIC_KEY_LENGTH} bytes`);
  }
  if (certificate.expiresAt % 1000 !== 0) throw new RangeError('expiresAt must be a whole second');
  return concatBytes(
    uuidBytes(certificate.buyerId),
    uuidBytes(certificate.merchantId),
    certificate.phonePublicKey,
    uint32Bytes(certificate.expiresAt / 1000),
  );
}

/** Decodes certificate bytes; null when the length is wrong (every 68 bytes decode). */
export function decodeQrCertificate(bytes: Uint8Array): QrCertificate | null {
  if (bytes.length !== QR_CERTIFICATE_LENGTH) return null;
  return {
    buyerId: readUuid(bytes, 0),
    merchantId: readUuid(bytes, 16),
    phonePublicKey: bytes.slice(32, 64),
    expiresAt: readUint32(bytes, 64) * 1000,
  };
}

/** What the server signs to issue a certificate. */
export const certificateSigningMessage = (certificate: Uint8Array): Uint8Array =>
  concatBytes(CERTIFICATE_LABEL, certificate);
