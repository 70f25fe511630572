// Certificates for buyer QR codes (A1): the buyer's phone sends its Ed25519 public key and gets a
// certificate the terminals check offline. The format is in packages/core/README.md ("Buyer QR").
import { z } from 'zod';
import { decodeBase64Url } from '@loyalty/core/qr/base64url';

/** A raw 32-byte Ed25519 public key as unpadded base64url (43 characters). */
export const ed25519PublicKeySchema = z.string().refine((text) => decodeBase64Url(text)?.length === 32, {
  message: 'Ожидается открытый ключ Ed25519: 32 байта в base64url без дополнения (43 символа)',
});

/** POST /api/v1/buyers/:id/qr-certificate */
export const qrCertificateRequestSchema = z
  .object({ publicKey: ed25519PublicKeySchema })
  .meta({ id: 'QrCertificateRequest' });

/** The phone keeps these and builds a fresh QR every window with its own key. */
export const qrCertificateSchema = z
  .object({
    /** 68 bytes, base64url: buyer id, merchant id, the phone's public key, expiry. */
    certificate: z.string(),
    /** The merchant key's Ed25519 signature of the certificate, base64url. */
    serverSignature: z.string(),
    expiresAt: z.iso.datetime(),
    /** Length of the window the phone signs (30 s in format version 1). */
    windowSeconds: z.number().int(),
  })
  .meta({ id: 'QrCertificate' });
export type QrCertificateResponse = z.infer<typeof qrCertificateSchema>;
