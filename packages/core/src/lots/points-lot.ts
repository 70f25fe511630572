// A lot is one accrual's points as they are used up. Every lot question asks "what state is it in
// at `now`", so the state rule lives here once and every planner agrees on it.
import type { Points } from '#money/money.ts';
import { points } from '#money/money.ts';
import type { Instant } from '#time/zoned-time.ts';

/** Points left from one accrual, usable from `activatesAt` until just before `expiresAt` (null: never expires). */
export type PointsLot = {
  readonly id: string;
  readonly remaining: Points;
  readonly activatesAt: Instant;
  readonly expiresAt: Instant | null;
};

/** Points taken from or given back to one lot; plans are lists of these in the order they apply. */
export type LotMovement = {
  readonly lotId: string;
  readonly points: Points;
};

/** Where a lot stands at an instant: spendable, waiting for activation, or past its expiry. */
export type LotState = 'active' | 'pending' | 'expired';

/** The state of `lot` at `now`; expiry wins over pending so an expired lot counts nowhere. */
export function lotStateAt(lot: PointsLot, now: Instant): LotState {
  if (lot.expiresAt !== null && lot.expiresAt <= now) return 'expired';
  return lot.activatesAt <= now ? 'active' : 'pending';
}

/** The sum of the points in a list of movements. */
export function totalMoved(movements: readonly LotMovement[]): Points {
  let total = 0;
  for (const movement of movements) total += movement.points;
  return points(total);
}

/** Throws when two lots share an id: movements address lots by id, so duplicates are a bug upstream. */
export function assertUniqueLotIds(lots: readonly PointsLot[]): void {
  const seen = new Set<string>();
  for (const lot of lots) {
    if (seen.has(lot.id)) throw new RangeError(`Duplicate lot id: ${lot.id}`);
    seen.add(lot.id);
  }
}

/** Throws on a negative amount: callers validate input, so a negative request here is a bug. */
export function assertNonNegative(amount: Points, what: string): void {
  if (amount < 0) throw new RangeError(`${what} must not be negative, got ${amount}`);
}
