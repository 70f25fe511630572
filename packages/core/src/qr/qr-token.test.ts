import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { readUuid, uuidBytes } from './qr-bytes.ts';
import { decodeQrCertificate, encodeQrCertificate, type QrCertificate } from './qr-certificate.ts';
import { encodeQrToken, parseQrToken, QR_TOKEN_PREFIX, type QrTokenParts } from './qr-token.ts';
import { qrWindowAt, qrWindowStanding, qrWindowStart } from './qr-window.ts';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const certificateArb: fc.Arbitrary<QrCertificate> = fc.record({
  buyerId: fc.uuid(),
  merchantId: fc.uuid(),
  phonePublicKey: bytes(32),
  expiresAt: fc.integer({ min: 0, max: 0xffff_ffff }).map((s) => s * 1000),
});
const partsArb: fc.Arbitrary<QrTokenParts> = fc.record({
  certificate: certificateArb.map(encodeQrCertificate),
  serverSignature: bytes(64),
  window: fc.integer({ min: 0, max: 0xffff_ffff }),
  phoneSignature: bytes(64),
});

describe('base64url', () => {
  it('round-trips any bytes and matches the RFC 4648 alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const text = encodeBase64Url(data);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeBase64Url(text)).toEqual(data);
      }),
    );
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(encodeBase64Url(new Uint8Array([0x66, 0x6f]))).toBe('Zm8');
  });

  it('has exactly one text per byte string: foreign characters, padding, odd lengths and stray bits fail', () => {
    expect(decodeBase64Url('Zm8=')).toBeNull();
    expect(decodeBase64Url('Zm+v')).toBeNull();
    expect(decodeBase64Url('Zm9')).toBeNull(); // 'Zm8' is the canonical form of the same bytes
    expect(decodeBase64Url('Z')).toBeNull();
    expect(decodeBase64Url('Zm 8')).toBeNull();
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (text) => {
        const decoded = decodeBase64Url(text);
        if (decoded !== null) expect(encodeBase64Url(decoded)).toBe(text);
      }),
    );
  });
});

describe('certificate and token format', () => {
  it('encodes UUIDs as 16 bytes and reads them back lower-case', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(readUuid(uuidBytes(id), 0)).toBe(id.toLowerCase());
      }),
    );
    expect(() => uuidBytes('not-a-uuid')).toThrow(RangeError);
  });

  it('round-trips a certificate in 68 bytes', () => {
    fc.assert(
      fc.property(certificateArb, (certificate) => {
        const encoded = encodeQrCertificate(certificate);
        expect(encoded.length).toBe(68);
        expect(decodeQrCertificate(encoded)).toEqual({
          ...certificate,
          buyerId: certificate.buyerId.toLowerCase(),
          merchantId: certificate.merchantId.toLowerCase(),
        });
      }),
    );
  });

  it('refuses certificates the format cannot hold', () => {
    const base = {
      buyerId: ZERO_ID,
      merchantId: ZERO_ID,
      phonePublicKey: new Uint8Array(32),
      expiresAt: 1000,
    };
    expect(() => encodeQrCertificate({ ...base, expiresAt: 1500 })).toThrow(RangeError);
    expect(() => encodeQrCertificate({ ...base, phonePublicKey: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => encodeQrCertificate({ ...base, expiresAt: 2 ** 32 * 1000 })).toThrow(RangeError);
  });

  it('round-trips a token of 271 characters, and ignores the Enter a scanner appends', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const text = encodeQrToken(parts);
        expect(text).toHaveLength(271);
        expect(text.startsWith(QR_TOKEN_PREFIX)).toBe(true);
        const parsed = parseQrToken(`${text}\r\n`);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const { decoded: _decoded, ...rest } = parsed.value;
        expect(rest).toEqual(parts);
      }),
    );
  });

  it('calls any other text malformed, and a future version unsupported', () => {
    fc.assert(
      fc.property(partsArb, fc.nat(), (parts, cut) => {
        const text = encodeQrToken(parts);
        const truncated = text.slice(
          0,
          QR_TOKEN_PREFIX.length + (cut % (text.length - QR_TOKEN_PREFIX.length)),
        );
        const result = parseQrToken(truncated);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('malformed');
      }),
    );
    const valid = encodeQrToken(fc.sample(partsArb, { numRuns: 1, seed: 1 })[0]!);
    for (const text of [
      '',
      'https://example.com',
      '4600000000001',
      `${valid}A`,
      valid.replace('LQ1.', 'lq1.'),
    ]) {
      const result = parseQrToken(text);
      expect(result.ok ? 'ok' : result.error.code).toBe('malformed');
    }
    const future = parseQrToken(valid.replace('LQ1.', 'LQ2.'));
    expect(future.ok ? 'ok' : future.error.code).toBe('unsupported_version');
    if (!future.ok) expect(future.error.message).toMatch(/новой версией/);
  });
});

describe('windows', () => {
  it('are 30 seconds long and allow one window of drift either way', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 10);
    const w = qrWindowAt(now);
    expect(qrWindowStart(w)).toBe(Date.UTC(2026, 10, 22, 12, 0, 0));
    expect(qrWindowAt(qrWindowStart(w) + 29_999)).toBe(w);
    expect(qrWindowAt(qrWindowStart(w) + 30_000)).toBe(w + 1);
    expect([w - 2, w - 1, w, w + 1, w + 2].map((x) => qrWindowStanding(x, now))).toEqual([
      'stale',
      'current',
      'current',
      'current',
      'future',
    ]);
  });
});
