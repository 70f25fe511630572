// The text a buyer's phone shows as a QR:
//   `LQ1.` + base64url(certificate (68) | server signature (64) | window (4) | phone signature (64))
// 200 bytes, 271 characters: QR version 10 at level L or 12 at level M, easy for a phone screen
// and any 2D scanner. base64url survives keyboard-wedge scanners (letters, digits, `-`, `_` sit
// on the same keys in the Russian layout); the prefix carries the format version.
import { err, ok, type Result } from '#shared/result.ts';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { asciiBytes, concatBytes, readUint32, uint32Bytes } from './qr-bytes.ts';
import {
  decodeQrCertificate,
  ED25519_SIGNATURE_LENGTH,
  QR_CERTIFICATE_LENGTH,
  type QrCertificate,
} from './qr-certificate.ts';
import { qrProblem, QR_PROBLEM_CODES, type QrProblem } from './qr-problems.ts';
import { qrWindowAt } from './qr-window.ts';

/** The text every version-1 token starts with. */
export const QR_TOKEN_PREFIX = 'LQ1.';
/** Bytes of a version-1 token after the prefix. */
export const QR_TOKEN_BYTES = QR_CERTIFICATE_LENGTH + ED25519_SIGNATURE_LENGTH + 4 + ED25519_SIGNATURE_LENGTH;

const WINDOW_LABEL = asciiBytes('loyalty-qr/1/window\n');
const OFFSET_SERVER_SIGNATURE = QR_CERTIFICATE_LENGTH;
const OFFSET_WINDOW = OFFSET_SERVER_SIGNATURE + ED25519_SIGNATURE_LENGTH;
const OFFSET_PHONE_SIGNATURE = OFFSET_WINDOW + 4;

/** The four parts of a token, as bytes. */
export type QrTokenParts = {
  readonly certificate: Uint8Array;
  readonly serverSignature: Uint8Array;
  readonly window: number;
  readonly phoneSignature: Uint8Array;
};

/** A token taken apart, with its certificate decoded; nothing is verified yet. */
export type ParsedQrToken = QrTokenParts & { readonly decoded: QrCertificate };

/**
 * What the phone signs for one window: the whole certificate and the window, so the signature
 * binds this buyer's certificate and cannot be moved to another.
 */
export const windowSigningMessage = (certificate: Uint8Array, window: number): Uint8Array =>
  concatBytes(WINDOW_LABEL, certificate, uint32Bytes(window));

/** The token text for its parts. */
export function encodeQrToken(parts: QrTokenParts): string {
  if (parts.certificate.length !== QR_CERTIFICATE_LENGTH) throw new RangeError('Wrong certificate length');
  if (
    parts.serverSignature.length !== ED25519_SIGNATURE_LENGTH ||
    parts.phoneSignature.length !== ED25519_SIGNATURE_LENGTH
  ) {
    throw new RangeError('Wrong signature length');
  }
  const bytes = concatBytes(
    parts.certificate,
    parts.serverSignature,
    uint32Bytes(parts.window),
    parts.phoneSignature,
  );
  return QR_TOKEN_PREFIX + encodeBase64Url(bytes);
}

/**
 * The phone's side: the token to show at `now`, signed with the phone's key through `sign`
 * (core holds no keys and does no cryptography).
 */
export function createQrToken(input: {
  readonly certificate: Uint8Array;
  readonly serverSignature: Uint8Array;
  readonly now: number;
  readonly sign: (message: Uint8Array) => Uint8Array;
}): string {
  const window = qrWindowAt(input.now);
  return encodeQrToken({
    certificate: input.certificate,
    serverSignature: input.serverSignature,
    window,
    phoneSignature: input.sign(windowSigningMessage(input.certificate, window)),
  });
}

const OTHER_VERSION = /^LQ\d+\./;

/**
 * Takes a scanned text apart. Surrounding whitespace is ignored (scanners append Enter); anything
 * else that is not exactly a version-1 token is `malformed`, and a well-formed prefix of another
 * version is `unsupported_version`.
 */
export function parseQrToken(scanned: string): Result<ParsedQrToken, QrProblem> {
  const text = scanned.trim();
  if (!text.startsWith(QR_TOKEN_PREFIX)) {
    return err(
      qrProblem(OTHER_VERSION.test(text) ? QR_PROBLEM_CODES.unsupportedVersion : QR_PROBLEM_CODES.malformed),
    );
  }
  const bytes = decodeBase64Url(text.slice(QR_TOKEN_PREFIX.length));
  if (bytes === null) return err(qrProblem(QR_PROBLEM_CODES.malformed, { reason: 'encoding' }));
  if (bytes.length !== QR_TOKEN_BYTES) {
    return err(qrProblem(QR_PROBLEM_CODES.malformed, { reason: 'length', bytes: bytes.length }));
  }
  const certificate = bytes.slice(0, QR_CERTIFICATE_LENGTH);
  const decoded = decodeQrCertificate(certificate);
  if (decoded === null) return err(qrProblem(QR_PROBLEM_CODES.malformed, { reason: 'certificate' }));
  return ok({
    certificate,
    decoded,
    serverSignature: bytes.slice(OFFSET_SERVER_SIGNATURE, OFFSET_WINDOW),
    window: readUint32(bytes, OFFSET_WINDOW),
    phoneSignature: bytes.slice(OFFSET_PHONE_SIGNATURE),
  });
}
