// The terminal side of A1 with real Ed25519 keys: a server key signs certificates, phones sign
// windows, and the verifier refuses replays on this terminal.
import fc from 'fast-check';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { encodeBase64Url } from '@loyalty/core/qr/base64url';
import { certificateSigningMessage, encodeQrCertificate } from '@loyalty/core/qr/qr-certificate';
import { createQrToken } from '@loyalty/core/qr/qr-token';
import { qrWindowAt } from '@loyalty/core/qr/qr-window';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from './ed25519-verify.ts';
import { createQrVerifier, memorySeenQrWindows, type QrVerifierOptions } from './qr-verifier.ts';

const MERCHANT = '0190a1b2-0000-7000-8000-00000000aaaa';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 10);

function keyPair(): { raw: Uint8Array; privateKey: KeyObject } {
  const pair = generateKeyPairSync('ed25519');
  return {
    raw: new Uint8Array(Buffer.from(pair.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')),
    privateKey: pair.privateKey,
  };
}

const server = keyPair();
const serverKeyText = encodeBase64Url(server.raw);

/** A phone enrolled for `buyerId`, as the server would certify it. */
function phoneOf(buyerId: string) {
  const phone = keyPair();
  const certificate = encodeQrCertificate({
    buyerId,
    merchantId: MERCHANT,
    phonePublicKey: phone.raw,
    expiresAt: NOW - (NOW % 1000) + 86_400_000,
  });
  const serverSignature = sign(null, certificateSigningMessage(certificate), server.privateKey);
  return (at: number) =>
    createQrToken({ certificate, serverSignature, now: at, sign: (m) => sign(null, m, phone.privateKey) });
}

const BUYER_1 = '0190a1b2-0000-7000-8000-000000000001';
const BUYER_2 = '0190a1b2-0000-7000-8000-000000000002';
const phone1 = phoneOf(BUYER_1);
const phone2 = phoneOf(BUYER_2);

function verifier(overrides: Partial<QrVerifierOptions> = {}) {
  let now = NOW;
  const seen = memorySeenQrWindows();
  const verify = createQrVerifier({
    merchantId: MERCHANT,
    serverPublicKey: () => serverKeyText,
    seen,
    now: () => now,
    ...overrides,
  });
  return { verify, seen, setNow: (t: number) => (now = t) };
}

const codeOf = (result: { ok: true } | { ok: false; error: { code: string } }) =>
  result.ok ? 'ok' : result.error.code;

describe('createQrVerifier', () => {
  it('accepts a buyer’s code once, then refuses the same code as a replay', () => {
    const { verify, seen } = verifier();
    const text = phone1(NOW);
    const first = verify(text);
    expect(first.ok && first.value.buyerId).toBe(BUYER_1);
    expect(seen.has(BUYER_1, qrWindowAt(NOW))).toBe(true);
    const again = verify(`${text}\n`);
    expect(codeOf(again)).toBe('replayed');
    if (!again.ok) expect(again.error.message).toMatch(/уже считан/);
    // Another buyer in the same window, and the same buyer's next code, are fine.
    expect(codeOf(verify(phone2(NOW)))).toBe('ok');
    expect(codeOf(verify(phone1(NOW + 30_000)))).toBe('ok');
  });

  it('uses the terminal clock: an old screenshot is stale', () => {
    const { verify, setNow } = verifier();
    const text = phone1(NOW);
    setNow(NOW + 5 * 60_000);
    const result = verify(text);
    expect(codeOf(result)).toBe('stale_window');
  });

  it('says the key is missing until the settings stream brings it, then works', () => {
    let key: string | null = null;
    const { verify } = verifier({ serverPublicKey: () => key });
    const missing = verify(phone1(NOW));
    expect(codeOf(missing)).toBe('qr_unavailable');
    if (!missing.ok) expect(missing.error.message).toMatch(/ключ/);
    key = 'not-a-key';
    expect(codeOf(verify(phone1(NOW)))).toBe('qr_unavailable');
    key = serverKeyText;
    expect(codeOf(verify(phone1(NOW)))).toBe('ok');
  });

  it('refuses codes certified by another key', () => {
    const { verify } = verifier({ serverPublicKey: () => encodeBase64Url(keyPair().raw) });
    expect(codeOf(verify(phone1(NOW)))).toBe('bad_server_signature');
  });

  it('forgets windows long past, keeping a margin for clock corrections', () => {
    const { verify, seen, setNow } = verifier();
    expect(codeOf(verify(phone1(NOW)))).toBe('ok');
    setNow(NOW + 5 * 60_000);
    expect(codeOf(verify(phone2(NOW + 5 * 60_000)))).toBe('ok');
    expect(seen.has(BUYER_1, qrWindowAt(NOW))).toBe(true);
    setNow(NOW + 15 * 60_000);
    expect(codeOf(verify(phone2(NOW + 15 * 60_000)))).toBe('ok');
    expect(seen.has(BUYER_1, qrWindowAt(NOW))).toBe(false);
  });

  it('never accepts one (buyer, window) twice, whatever the order of scans', () => {
    const scanArb = fc.record({
      buyer: fc.constantFrom(phone1, phone2),
      shownAt: fc.integer({ min: 0, max: 10 * 30_000 }),
      scannedAfter: fc.integer({ min: 0, max: 90_000 }),
    });
    fc.assert(
      fc.property(fc.array(scanArb, { maxLength: 25 }), (scans) => {
        const { verify, setNow } = verifier();
        const accepted = new Set<string>();
        let clock = NOW;
        for (const scan of [...scans].sort(
          (a, b) => a.shownAt + a.scannedAfter - (b.shownAt + b.scannedAfter),
        )) {
          clock = Math.max(clock, NOW + scan.shownAt + scan.scannedAfter);
          setNow(clock);
          const result = verify(scan.buyer(NOW + scan.shownAt));
          if (result.ok) {
            const key = `${result.value.buyerId}:${result.value.window}`;
            expect(accepted.has(key)).toBe(false);
            accepted.add(key);
          } else {
            expect(['replayed', 'stale_window']).toContain(result.error.code);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('checks signatures with node:crypto and never throws on junk', () => {
    expect(verifyEd25519(new Uint8Array(32), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(verifyEd25519(new Uint8Array(3), new Uint8Array(1), new Uint8Array(64))).toBe(false);
  });
});
