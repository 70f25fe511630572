// The offline check with real Ed25519 keys from node:crypto (allowed in tests only: core itself
// never touches cryptography, the terminal passes `verify` in).
import fc from 'fast-check';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateSigningMessage, encodeQrCertificate } from './qr-certificate.ts';
import { createQrToken, encodeQrToken, parseQrToken, windowSigningMessage } from './qr-token.ts';
import { verifyQrToken, type Ed25519Verify, type QrVerifyOptions } from './qr-verify.ts';
import { qrWindowAt } from './qr-window.ts';

type KeyPair = { publicKey: Uint8Array; privateKey: KeyObject };

function keyPair(): KeyPair {
  const pair = generateKeyPairSync('ed25519');
  const jwk = pair.publicKey.export({ format: 'jwk' });
  return { publicKey: new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url')), privateKey: pair.privateKey };
}

const signWith = (key: KeyObject) => (message: Uint8Array) => new Uint8Array(nodeSign(null, message, key));

const verify: Ed25519Verify = (publicKey, message, signature) => {
  try {
    const key = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') };
    return nodeVerify(null, message, { key, format: 'jwk' }, signature);
  } catch {
    return false;
  }
};

const MERCHANT = '0190a1b2-0000-7000-8000-00000000aaaa';
const OTHER_MERCHANT = '0190a1b2-0000-7000-8000-00000000bbbb';
const BUYER = '0190a1b2-0000-7000-8000-000000000001';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 10);
const DAY = 86_400_000;

// Two keys are enough for every test; generating them per run would only slow fast-check down.
const server = keyPair();
const phone = keyPair();
const intruder = keyPair();

function issue(
  overrides: {
    buyerId?: string;
    merchantId?: string;
    expiresAt?: number;
    phoneKey?: Uint8Array;
    by?: KeyPair;
  } = {},
) {
  const certificate = encodeQrCertificate({
    buyerId: overrides.buyerId ?? BUYER,
    merchantId: overrides.merchantId ?? MERCHANT,
    phonePublicKey: overrides.phoneKey ?? phone.publicKey,
    expiresAt: overrides.expiresAt ?? NOW - (NOW % 1000) + 30 * DAY,
  });
  const serverSignature = signWith((overrides.by ?? server).privateKey)(
    certificateSigningMessage(certificate),
  );
  return { certificate, serverSignature };
}

const showAt = (now: number, wallet = issue(), signer: KeyPair = phone) =>
  createQrToken({ ...wallet, now, sign: signWith(signer.privateKey) });

const options = (overrides: Partial<QrVerifyOptions> = {}): QrVerifyOptions => ({
  now: NOW,
  merchantId: MERCHANT,
  serverPublicKey: server.publicKey,
  verify,
  seen: () => false,
  ...overrides,
});

const codeOf = (result: ReturnType<typeof verifyQrToken>) => (result.ok ? 'ok' : result.error.code);

describe('verifyQrToken', () => {
  it('accepts a fresh code and names the buyer and the window', () => {
    const result = verifyQrToken(showAt(NOW), options());
    expect(result).toEqual({
      ok: true,
      value: {
        buyerId: BUYER,
        merchantId: MERCHANT,
        window: qrWindowAt(NOW),
        certificateExpiresAt: NOW - (NOW % 1000) + 30 * DAY,
      },
    });
  });

  it('forgives one window of clock drift either way, not two', () => {
    const w = 30_000;
    expect(codeOf(verifyQrToken(showAt(NOW - w), options()))).toBe('ok');
    expect(codeOf(verifyQrToken(showAt(NOW + w), options()))).toBe('ok');
    expect(codeOf(verifyQrToken(showAt(NOW - 2 * w), options()))).toBe('stale_window');
    expect(codeOf(verifyQrToken(showAt(NOW + 2 * w), options()))).toBe('future_window');
  });

  it('refuses a screenshot shown again on this terminal', () => {
    const seen = new Set<string>();
    const check = (text: string) =>
      verifyQrToken(text, options({ seen: (buyerId, window) => seen.has(`${buyerId}:${window}`) }));
    const text = showAt(NOW);
    const first = check(text);
    if (!first.ok) throw new Error(first.error.message);
    seen.add(`${first.value.buyerId}:${first.value.window}`);
    const second = check(text);
    expect(codeOf(second)).toBe('replayed');
    if (!second.ok) expect(second.error.message).toMatch(/уже считан/);
    // The next window's code from the same phone is fine.
    expect(codeOf(check(showAt(NOW + 30_000)))).toBe('ok');
  });

  it('refuses a certificate signed by another key, or for another merchant', () => {
    expect(codeOf(verifyQrToken(showAt(NOW, issue({ by: intruder })), options()))).toBe(
      'bad_server_signature',
    );
    expect(codeOf(verifyQrToken(showAt(NOW, issue({ merchantId: OTHER_MERCHANT })), options()))).toBe(
      'wrong_merchant',
    );
    expect(codeOf(verifyQrToken(showAt(NOW), options({ merchantId: MERCHANT.toUpperCase() })))).toBe('ok');
  });

  it('refuses an expired certificate, to the second', () => {
    const expiresAt = NOW - (NOW % 1000);
    const wallet = issue({ expiresAt });
    expect(codeOf(verifyQrToken(showAt(NOW, wallet), options({ now: expiresAt - 1 })))).toBe('ok');
    const expired = verifyQrToken(showAt(NOW, wallet), options({ now: expiresAt }));
    expect(codeOf(expired)).toBe('certificate_expired');
    if (!expired.ok) expect(expired.error.message).toMatch(/истёк/);
  });

  it('refuses a window signed by another phone, and a signature moved to another certificate', () => {
    expect(codeOf(verifyQrToken(showAt(NOW, issue(), intruder), options()))).toBe('bad_phone_signature');
    // A real window signature of buyer 1, pasted into a certificate of buyer 2 with the same key.
    const one = parseQrToken(showAt(NOW));
    if (!one.ok) throw new Error('unreachable');
    const other = issue({ buyerId: '0190a1b2-0000-7000-8000-000000000002' });
    const moved = encodeQrToken({
      ...other,
      window: one.value.window,
      phoneSignature: one.value.phoneSignature,
    });
    expect(codeOf(verifyQrToken(moved, options()))).toBe('bad_phone_signature');
  });

  it('does not accept a certificate signature as a window signature (domain labels)', () => {
    const wallet = issue();
    const window = qrWindowAt(NOW);
    // The server's signature over the certificate, offered as the phone's.
    const text = encodeQrToken({ ...wallet, window, phoneSignature: wallet.serverSignature });
    expect(codeOf(verifyQrToken(text, options()))).toBe('bad_phone_signature');
    // A correctly signed window message is not a certificate signature either.
    const swapped = encodeQrToken({
      ...wallet,
      serverSignature: signWith(server.privateKey)(windowSigningMessage(wallet.certificate, window)),
      window,
      phoneSignature: signWith(phone.privateKey)(windowSigningMessage(wallet.certificate, window)),
    });
    expect(codeOf(verifyQrToken(swapped, options()))).toBe('bad_server_signature');
  });

  it('checks signatures before time, so a forged stale code is called a forgery', () => {
    const forged = showAt(NOW - 10 * 60_000, issue({ by: intruder }));
    expect(codeOf(verifyQrToken(forged, options()))).toBe('bad_server_signature');
  });

  it('throws on a server key of the wrong size: that is a bug of the caller, not a refusal', () => {
    expect(() => verifyQrToken(showAt(NOW), options({ serverPublicKey: new Uint8Array(31) }))).toThrow(
      RangeError,
    );
  });
});

describe('verifyQrToken properties', () => {
  const wallet = issue();

  it('accepts every genuine code within one window of the terminal clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * DAY }),
        fc.integer({ min: -30_000, max: 30_000 }),
        (t, skew) => {
          const at = NOW + t;
          const result = verifyQrToken(showAt(at + skew, wallet), options({ now: at }));
          // A skew under one window never moves the code more than one window away.
          expect(codeOf(result)).toBe('ok');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses every code whose window is two or more away, as stale or future', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100_000 }), fc.boolean(), (distance, ahead) => {
        const shownAt = NOW + (ahead ? 1 : -1) * distance * 30_000;
        expect(codeOf(verifyQrToken(showAt(shownAt, wallet), options()))).toBe(
          ahead ? 'future_window' : 'stale_window',
        );
      }),
      { numRuns: 100 },
    );
  });

  it('refuses any code with one character changed, and never throws', () => {
    const text = showAt(NOW, wallet);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: text.length - 1 }),
        fc.integer({ min: 1, max: 63 }),
        (at, shift) => {
          const original = text[at]!;
          const index = alphabet.indexOf(original);
          const replacement = index < 0 ? '#' : alphabet[(index + shift) % 64]!;
          const changed = text.slice(0, at) + replacement + text.slice(at + 1);
          const result = verifyQrToken(changed, options());
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary scanned text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.uint8Array({ maxLength: 220 }).map((b) => `LQ1.${Buffer.from(b).toString('base64url')}`),
        ),
        (text) => {
          expect(verifyQrToken(text, options()).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
