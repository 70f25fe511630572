// The terminal's offline check of a buyer QR (SPEC A1, ARCHITECTURE "Buyer QR verified offline").
// Signatures are checked before anything about time, so a forged code is called a forgery and
// time-related reasons are given only for codes our server and the buyer's phone really made.
import { assertNever, err, ok, type Result } from '#shared/result.ts';
import { certificateSigningMessage, ED25519_PUBLIC_KEY_LENGTH } from './qr-certificate.ts';
import { qrProblem, QR_PROBLEM_CODES, type QrProblem } from './qr-problems.ts';
import { parseQrToken, windowSigningMessage } from './qr-token.ts';
import { qrWindowStanding } from './qr-window.ts';

/** An Ed25519 signature check done by the caller (node:crypto on the till); false, never a throw. */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** What the terminal passes in: its clock, its keys and its memory of codes already seen. */
export type QrVerifyOptions = {
  /** Epoch ms, already corrected by the offset measured at sync. */
  readonly now: number;
  /** The merchant the terminal belongs to. */
  readonly merchantId: string;
  /** Raw 32-byte Ed25519 public key from the `settings` stream (`qrPublicKey`). */
  readonly serverPublicKey: Uint8Array;
  readonly verify: Ed25519Verify;
  /** Whether this (buyer, window) was already accepted on this terminal. */
  readonly seen: (buyerId: string, window: number) => boolean;
};

/** An accepted code. The caller records (buyerId, window) as seen once it uses the code. */
export type VerifiedQr = {
  readonly buyerId: string;
  readonly merchantId: string;
  readonly window: number;
  /** Epoch ms. */
  readonly certificateExpiresAt: number;
};

/** Checks a scanned buyer QR completely; every expected refusal is a value with a code. */
export function verifyQrToken(scanned: string, options: QrVerifyOptions): Result<VerifiedQr, QrProblem> {
  if (options.serverPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    // A configuration bug of the caller, not something a buyer can cause.
    throw new RangeError(`The server public key must have ${ED25519_PUBLIC_KEY_LENGTH} bytes`);
  }
  const parsed = parseQrToken(scanned);
  if (!parsed.ok) return parsed;
  const token = parsed.value;
  const { buyerId, merchantId, phonePublicKey, expiresAt } = token.decoded;

  // Compared before the signature, which could not pass anyway (each merchant has its own key),
  // only to give the cashier the true reason. Decoded ids are lower-case.
  if (merchantId !== options.merchantId.toLowerCase()) {
    return err(qrProblem(QR_PROBLEM_CODES.wrongMerchant));
  }
  if (
    !options.verify(
      options.serverPublicKey,
      certificateSigningMessage(token.certificate),
      token.serverSignature,
    )
  ) {
    return err(qrProblem(QR_PROBLEM_CODES.badServerSignature));
  }
  if (options.now >= expiresAt) {
    return err(qrProblem(QR_PROBLEM_CODES.certificateExpired, { expiresAt }));
  }
  if (
    !options.verify(
      phonePublicKey,
      windowSigningMessage(token.certificate, token.window),
      token.phoneSignature,
    )
  ) {
    return err(qrProblem(QR_PROBLEM_CODES.badPhoneSignature));
  }
  const standing = qrWindowStanding(token.window, options.now);
  switch (standing) {
    case 'stale':
      return err(qrProblem(QR_PROBLEM_CODES.staleWindow, { window: token.window }));
    case 'future':
      return err(qrProblem(QR_PROBLEM_CODES.futureWindow, { window: token.window }));
    case 'current':
      break;
    default:
      return assertNever(standing);
  }
  if (options.seen(buyerId, token.window)) {
    return err(qrProblem(QR_PROBLEM_CODES.replayed, { window: token.window }));
  }
  return ok({ buyerId, merchantId, window: token.window, certificateExpiresAt: expiresAt });
}
