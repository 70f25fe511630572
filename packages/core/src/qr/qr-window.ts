// Time windows of the phone's signature. The phone signs the number of the current window, so a
// screenshot stops working within a window or two; one window of drift either way is forgiven
// because phone clocks and till clocks disagree by seconds (tills are corrected at each sync).

/** Length of one window. Fixed by format version 1 (`LQ1.`): changing it needs a new version. */
export const QR_WINDOW_SECONDS = 30;
const WINDOW_MS = QR_WINDOW_SECONDS * 1000;

/** How many windows a code may be behind or ahead of the terminal's clock. */
export const QR_WINDOW_DRIFT = 1;

/** The window number (whole windows since the Unix epoch) at `now` (epoch ms). */
export const qrWindowAt = (now: number): number => Math.floor(now / WINDOW_MS);

/** When a window starts, in epoch ms. */
export const qrWindowStart = (window: number): number => window * WINDOW_MS;

/** Where a code's window stands against the terminal's clock. */
export type QrWindowStanding = 'current' | 'stale' | 'future';

/** Whether `window` is acceptable at `now`, allowing QR_WINDOW_DRIFT windows of drift. */
export function qrWindowStanding(window: number, now: number): QrWindowStanding {
  const current = qrWindowAt(now);
  if (window < current - QR_WINDOW_DRIFT) return 'stale';
  if (window > current + QR_WINDOW_DRIFT) return 'future';
  return 'current';
}
