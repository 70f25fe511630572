// Point movements of this terminal's own ops, kept per buyer until a balance snapshot includes
// them (SYNC.md "Balances at the till"): available = snapshot - local spends after appliedSeq.
import type { Sqlite } from './database.ts';

/** spend: points paid; reversal: accrual taken back by a return (both lower what can be spent).
 *  accrual and restore raise the balance, but only once the server confirms them. */
export type MovementKind = 'spend' | 'accrual' | 'restore' | 'reversal';

/** A movement to record with its op. */
export type PointMovement = { buyerId: string; kind: MovementKind; points: number };

/** Records the movements of one op, in the op's transaction. */
export function recordMovements(
  db: Sqlite,
  seq: number,
  movements: readonly PointMovement[],
  offline: boolean,
  at: number,
): void {
  const insert = db.prepare(
    `INSERT INTO local_point_movements (seq, buyer_id, kind, points, offline, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (seq, buyer_id, kind) DO UPDATE SET points = points + excluded.points`,
  );
  for (const m of movements)
    if (m.points > 0) insert.run(seq, m.buyerId, m.kind, m.points, offline ? 1 : 0, at);
}

/** The buyer's movements not yet in their snapshot, summed by kind. */
export function unconfirmedMovements(
  db: Sqlite,
  buyerId: string,
  appliedSeq: number,
): Record<MovementKind, number> {
  const sums: Record<MovementKind, number> = { spend: 0, accrual: 0, restore: 0, reversal: 0 };
  for (const row of db
    .prepare<[string, number], { kind: MovementKind; total: number }>(
      `SELECT kind, sum(points) AS total FROM local_point_movements
       WHERE buyer_id = ? AND seq > ? GROUP BY kind`,
    )
    .all(buyerId, appliedSeq))
    sums[row.kind] = row.total;
  return sums;
}

/** Points this buyer spent at this terminal while offline since `from` (a local day start). */
export function offlineSpentSince(db: Sqlite, buyerId: string, from: number): number {
  return (
    db
      .prepare<[string, number], { total: number | null }>(
        `SELECT sum(points) AS total FROM local_point_movements
         WHERE buyer_id = ? AND kind = 'spend' AND offline = 1 AND created_at >= ?`,
      )
      .get(buyerId, from)?.total ?? 0
  );
}

/** Points spent offline in ops the server has not answered yet: this terminal's exposure. */
export function unacknowledgedOfflineSpends(db: Sqlite): number {
  return (
    db
      .prepare<[], { total: number | null }>(
        `SELECT sum(m.points) AS total FROM local_point_movements m JOIN outbox o ON o.seq = m.seq
         WHERE m.kind = 'spend' AND m.offline = 1 AND o.status = 'pending'`,
      )
      .get()?.total ?? 0
  );
}
