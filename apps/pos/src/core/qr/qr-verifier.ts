// The terminal's buyer QR check (A1), offline: core's verifyQrToken with node:crypto signatures,
// the server key from the `settings` stream and this terminal's memory of windows already seen.
import { err, type Problem, type Result } from '@loyalty/core/shared/result';
import { decodeBase64Url } from '@loyalty/core/qr/base64url';
import { verifyQrToken, type VerifiedQr } from '@loyalty/core/qr/qr-verify';
import { QR_WINDOW_DRIFT, qrWindowAt } from '@loyalty/core/qr/qr-window';
import { verifyEd25519 } from './ed25519-verify.ts';

/** Where the terminal remembers accepted (buyer, window) pairs, e.g. its SQLite `seen_qr_windows`. */
export type SeenQrWindows = {
  has(buyerId: string, window: number): boolean;
  /** Records an accepted pair; `seenAt` is epoch ms. */
  add(buyerId: string, window: number, seenAt: number): void;
  /** Forgets pairs with a window below `window`. */
  deleteBefore(window: number): void;
};

/** Codes this adapter adds to core's QR_PROBLEM_CODES. */
export const QR_VERIFIER_CODES = {
  /** No usable server key yet: the terminal has not pulled `settings` since the merchant got one. */
  unavailable: 'qr_unavailable',
} as const;

/**
 * Windows kept after they stop being acceptable. A code is refused as stale one window past its
 * own anyway; the margin covers the terminal clock being corrected backwards at a sync.
 */
export const SEEN_WINDOWS_KEPT = 20;

/** What the verifier needs from the terminal core. */
export type QrVerifierOptions = {
  readonly merchantId: string;
  /** `qrPublicKey` of the `settings` stream (base64url, 32 bytes), read at each scan so a new sync applies at once. */
  readonly serverPublicKey: () => string | null;
  readonly seen: SeenQrWindows;
  /** Server time as best known (device clock plus the offset measured at sync), epoch ms. */
  readonly now: () => number;
};

/** Checks a scanned text and, if it is a good buyer QR, records its window so it works only once. */
export type QrVerifier = (scanned: string) => Result<VerifiedQr, Problem>;

/** The verifier the terminal core calls from buyer identification. */
export function createQrVerifier(options: QrVerifierOptions): QrVerifier {
  return (scanned) => {
    const encodedKey = options.serverPublicKey();
    const serverPublicKey = encodedKey === null ? null : decodeBase64Url(encodedKey);
    if (serverPublicKey?.length !== 32) {
      return err({
        code: QR_VERIFIER_CODES.unavailable,
        message:
          'Касса ещё не получила ключ для проверки QR-кодов покупателей. Подключите кассу к интернету для обмена данными или найдите покупателя по телефону или карте.',
      });
    }
    const now = options.now();
    const result = verifyQrToken(scanned, {
      now,
      merchantId: options.merchantId,
      serverPublicKey,
      verify: verifyEd25519,
      seen: (buyerId, window) => options.seen.has(buyerId, window),
    });
    if (result.ok) {
      options.seen.add(result.value.buyerId, result.value.window, now);
      options.seen.deleteBefore(qrWindowAt(now) - QR_WINDOW_DRIFT - SEEN_WINDOWS_KEPT);
    }
    return result;
  };
}

/** An in-memory SeenQrWindows, for tests and for integrations without a store. */
export function memorySeenQrWindows(): SeenQrWindows {
  const windows = new Map<string, number>();
  return {
    has: (buyerId, window) => windows.has(`${buyerId}:${window}`),
    add: (buyerId, window) => {
      windows.set(`${buyerId}:${window}`, window);
    },
    deleteBefore: (window) => {
      for (const [key, value] of windows) if (value < window) windows.delete(key);
    },
  };
}
