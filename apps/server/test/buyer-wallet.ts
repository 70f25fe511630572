// A simulated buyer phone for tests and demos: it makes its own Ed25519 key, asks the server for
// a certificate, and shows the QR text for any moment, exactly as the chatbot or buyer page will.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { decodeBase64Url } from '@loyalty/core/qr/base64url';
import { createQrToken } from '@loyalty/core/qr/qr-token';
import type { QrCertificateResponse } from '@loyalty/protocol/api/buyer-qr.schema';
import { generateEd25519, signEd25519 } from '../src/qr/ed25519.ts';

/** How the wallet reaches the server: send the phone's public key, get its certificate. */
export type CertificateRequester = (publicKey: string) => Promise<QrCertificateResponse>;

/** A phone holding one buyer's QR certificate. */
export type BuyerWallet = {
  /** The phone's raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  /** Asks for a certificate and keeps it. */
  enroll(request: CertificateRequester): Promise<QrCertificateResponse>;
  /** The QR text the phone shows at `now` (epoch ms). */
  qrAt(now: number): string;
};

/** A new phone with a fresh key pair and no certificate yet. */
export function createBuyerWallet(): BuyerWallet {
  const { publicKey, privateKeyDer } = generateEd25519();
  const privateKey: KeyObject = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  let held: { certificate: Uint8Array; serverSignature: Uint8Array } | undefined;
  return {
    publicKey: publicKey.toString('base64url'),
    async enroll(request) {
      const answer = await request(publicKey.toString('base64url'));
      const certificate = decodeBase64Url(answer.certificate);
      const serverSignature = decodeBase64Url(answer.serverSignature);
      if (!certificate || !serverSignature)
        throw new Error('The server answered a certificate that is not base64url');
      held = { certificate, serverSignature };
      return answer;
    },
    qrAt(now) {
      if (!held) throw new Error('Enroll the wallet first');
      return createQrToken({ ...held, now, sign: (message) => signEd25519(privateKey, message) });
    },
  };
}

/** Requests certificates over HTTP with an API key (`buyers:write`), e.g. from a running `npm start`. */
export const certificateOverHttp =
  (baseUrl: string, apiKey: string, buyerId: string): CertificateRequester =>
  async (publicKey) => {
    const response = await fetch(new URL(`/api/v1/buyers/${buyerId}/qr-certificate`, baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey }),
    });
    if (!response.ok) throw new Error(`Certificate refused: ${response.status} ${await response.text()}`);
    return (await response.json()) as QrCertificateResponse;
  };
