// Balances as the cashier and the buyer see them. Expired lots are left out even before the
// expiry job has written them off, so the figure does not depend on when that job last ran.
import type { Points } from '#money/money.ts';
import { points, ZERO_POINTS } from '#money/money.ts';
import type { Instant } from '#time/zoned-time.ts';
import type { PointsLot } from './points-lot.ts';
import { lotStateAt } from './points-lot.ts';

/** Points split by lot state at one instant; `total` = active + pending, expired counts nowhere. */
export type LotBalance = {
  readonly active: Points;
  readonly pending: Points;
  readonly total: Points;
};

/** What is owed or held against the active points. */
export type SpendDeductions = {
  /** Overdraft owed from offline spends beyond the balance. */
  readonly debt: Points;
  /** Holds plus spends the server has not acknowledged yet. */
  readonly reserved: Points;
};

/** The active, pending and total points of `lots` at `now`. */
export function balanceAt(lots: readonly PointsLot[], now: Instant): LotBalance {
  let active = 0;
  let pending = 0;
  for (const lot of lots) {
    const state = lotStateAt(lot, now);
    if (state === 'active') active += lot.remaining;
    else if (state === 'pending') pending += lot.remaining;
  }
  return { active: points(active), pending: points(pending), total: points(active + pending) };
}

/** Points the buyer may spend now: active minus debt and reservations, never below zero. */
export function availableToSpend(
  lots: readonly PointsLot[],
  now: Instant,
  deductions: SpendDeductions,
): Points {
  const left = balanceAt(lots, now).active - deductions.debt - deductions.reserved;
  return left > 0 ? points(left) : ZERO_POINTS;
}
