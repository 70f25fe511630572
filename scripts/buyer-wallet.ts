// A simulated buyer phone for demos: enrolls with a running server and prints the buyer's QR
// text, a fresh one every 30 s with --watch. Paste it into the till (or a QR generator) to
// identify the buyer offline.
//
//   npx tsx scripts/buyer-wallet.ts --buyer <id> --email manager@demo.local --password demo-manager-2026
//   npx tsx scripts/buyer-wallet.ts --buyer <id> --api-key lk_... [--url http://127.0.0.1:8080] [--watch]
import { parseArgs } from 'node:util';
import { qrWindowAt, qrWindowStart } from '@loyalty/core/qr/qr-window';
import type { QrCertificateResponse } from '@loyalty/protocol/api/buyer-qr.schema';
import {
  certificateOverHttp,
  createBuyerWallet,
  type CertificateRequester,
} from '../apps/server/test/buyer-wallet.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    buyer: { type: 'string' },
    'api-key': { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    watch: { type: 'boolean', default: false },
  },
});

/** Signs in like the cabinet does (session cookie plus CSRF token) and requests the certificate. */
function certificateWithLogin(
  baseUrl: string,
  email: string,
  password: string,
  buyerId: string,
): CertificateRequester {
  return async (publicKey) => {
    const login = await fetch(new URL('/api/v1/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!login.ok) throw new Error(`Sign-in failed: ${login.status} ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const response = await fetch(new URL(`/api/v1/buyers/${buyerId}/qr-certificate`, baseUrl), {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey }),
    });
    if (!response.ok) throw new Error(`Certificate refused: ${response.status} ${await response.text()}`);
    return (await response.json()) as QrCertificateResponse;
  };
}

async function main(): Promise<void> {
  const { url, buyer, email, password, watch } = values;
  const apiKey = values['api-key'];
  if (!buyer || (!apiKey && !(email && password))) {
    throw new Error('Usage: --buyer <id> and either --api-key lk_... or --email and --password');
  }
  const wallet = createBuyerWallet();
  const request = apiKey
    ? certificateOverHttp(url, apiKey, buyer)
    : certificateWithLogin(url, email ?? '', password ?? '', buyer);
  const { expiresAt } = await wallet.enroll(request);
  console.error(`Certificate valid until ${expiresAt}; the code changes every 30 s.`);
  console.log(wallet.qrAt(Date.now()));
  while (watch) {
    // Wake just after the next window starts, as a phone redrawing its QR would.
    const next = qrWindowStart(qrWindowAt(Date.now()) + 1) + 50;
    await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
    console.log(wallet.qrAt(Date.now()));
  }
}

await main();
