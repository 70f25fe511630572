// The terminal's memory of buyer QR windows already accepted (ARCHITECTURE "Buyer QR verified
// offline"), in SQLite so a screenshot replayed after a restart is refused too.
import type { SeenQrWindows } from '#core/qr/qr-verifier.ts';
import type { Sqlite } from '#core/store/database.ts';

/** SeenQrWindows over the `seen_qr_windows` table. */
export function sqliteSeenQrWindows(db: Sqlite): SeenQrWindows {
  const has = db.prepare<[string, number], { n: number }>(
    'SELECT 1 AS n FROM seen_qr_windows WHERE buyer_id = ? AND window = ?',
  );
  const add = db.prepare(
    'INSERT OR IGNORE INTO seen_qr_windows (buyer_id, window, seen_at) VALUES (?, ?, ?)',
  );
  const prune = db.prepare('DELETE FROM seen_qr_windows WHERE window < ?');
  return {
    has: (buyerId, window) => has.get(buyerId, window) !== undefined,
    add: (buyerId, window, seenAt) => {
      add.run(buyerId, window, seenAt);
    },
    deleteBefore: (window) => {
      prune.run(window);
    },
  };
}
