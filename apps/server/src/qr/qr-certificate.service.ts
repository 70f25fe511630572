// Issues the certificate a buyer's phone needs to show QR codes that terminals check offline.
import { encodeBase64Url, decodeBase64Url } from '@loyalty/core/qr/base64url';
import { certificateSigningMessage, encodeQrCertificate } from '@loyalty/core/qr/qr-certificate';
import { QR_WINDOW_SECONDS } from '@loyalty/core/qr/qr-window';
import type { QrCertificateResponse } from '@loyalty/protocol/api/buyer-qr.schema';
import type { Db } from '#db/database.ts';
import { signEd25519 } from './ed25519.ts';
import { qrSigningKeyFor } from './qr-keys.service.ts';

/**
 * How long a certificate lasts. Long enough for a buyer who shops monthly with no signal in the
 * store; the phone renews it whenever it is online. A lost phone's codes work until then, which
 * the offline redemption limits bound.
 */
export const QR_CERTIFICATE_DAYS = 30;

/** Signs a certificate for this buyer's phone key; the caller has checked the buyer exists. */
export async function issueQrCertificate(
  db: Db,
  merchantId: string,
  buyerId: string,
  phonePublicKey: string,
  now: Date,
): Promise<QrCertificateResponse> {
  const key = decodeBase64Url(phonePublicKey);
  if (key === null) throw new Error('The route schema admits only 32-byte base64url keys');
  // The format keeps whole seconds.
  const expiresAt = Math.floor(now.getTime() / 1000) * 1000 + QR_CERTIFICATE_DAYS * 86_400_000;
  const certificate = encodeQrCertificate({ buyerId, merchantId, phonePublicKey: key, expiresAt });
  const { privateKey } = await qrSigningKeyFor(db, merchantId);
  return {
    certificate: encodeBase64Url(certificate),
    serverSignature: encodeBase64Url(signEd25519(privateKey, certificateSigningMessage(certificate))),
    expiresAt: new Date(expiresAt).toISOString(),
    windowSeconds: QR_WINDOW_SECONDS,
  };
}
