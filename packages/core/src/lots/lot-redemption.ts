// Which lots a redemption uses. Only lots active at `now` are touched (pending ones are not the
// buyer's yet, expired ones are gone). They are consumed soonest-expiring first, so the buyer
// loses as little as possible to expiry; lots that never expire go last. Ties go to the lot that
// activated earlier and then to the smaller id (plain string order, not locale order), which makes
// the order total: the plan depends only on the set of lots, never on the order they were loaded
// in, so a terminal and the server always agree on it. The plan is recorded so a return can give
// the points back to the same lots (see lot-restore.ts).
import type { Points } from '#money/money.ts';
import { formatMinor, points } from '#money/money.ts';
import type { Result } from '#shared/result.ts';
import { err, ok } from '#shared/result.ts';
import type { Instant } from '#time/zoned-time.ts';
import type { InsufficientPointsProblem } from './lot-problems.ts';
import { LOT_PROBLEM_CODES } from './lot-problems.ts';
import type { LotMovement, PointsLot } from './points-lot.ts';
import { assertNonNegative, assertUniqueLotIds, lotStateAt } from './points-lot.ts';

/** The lots a redemption takes points from, in consumption order. */
export type RedemptionPlan = {
  readonly consumed: readonly LotMovement[];
};

/** A redemption that may go beyond the balance: what the lots cover plus the rest as overdraft. */
export type OverdraftRedemptionPlan = {
  readonly consumed: readonly LotMovement[];
  readonly overdraft: Points;
};

/** Orders lots for consumption: expiry ascending (null last), then activation, then id. */
export function compareForRedemption(a: PointsLot, b: PointsLot): number {
  if (a.expiresAt !== b.expiresAt) {
    if (a.expiresAt === null) return 1;
    if (b.expiresAt === null) return -1;
    return a.expiresAt - b.expiresAt;
  }
  if (a.activatesAt !== b.activatesAt) return a.activatesAt - b.activatesAt;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Active lots with points left at `now`, in consumption order. */
function spendableLots(lots: readonly PointsLot[], now: Instant): PointsLot[] {
  assertUniqueLotIds(lots);
  return lots
    .filter((lot) => lot.remaining > 0 && lotStateAt(lot, now) === 'active')
    .sort(compareForRedemption);
}

/** Takes up to `amount` from `ordered` greedily; returns the movements and what is still left to take. */
function consumeGreedily(
  ordered: readonly PointsLot[],
  amount: Points,
): { consumed: LotMovement[]; left: number } {
  const consumed: LotMovement[] = [];
  let left: number = amount;
  for (const lot of ordered) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    consumed.push({ lotId: lot.id, points: points(take) });
    left -= take;
  }
  return { consumed, left };
}

/** Plans a redemption of exactly `amount` from the active lots at `now`, or fails when they hold less. */
export function planRedemption(
  lots: readonly PointsLot[],
  amount: Points,
  now: Instant,
): Result<RedemptionPlan, InsufficientPointsProblem> {
  assertNonNegative(amount, 'Redemption amount');
  const ordered = spendableLots(lots, now);
  const available = ordered.reduce((sum, lot) => sum + lot.remaining, 0);
  if (available < amount) {
    return err({
      code: LOT_PROBLEM_CODES.insufficientPoints,
      message: `Недостаточно баллов: доступно ${formatMinor(available)}, требуется ${formatMinor(amount)}.`,
      details: { available: points(available), requested: amount, shortfall: points(amount - available) },
    });
  }
  return ok({ consumed: consumeGreedily(ordered, amount).consumed });
}

/** Plans a redemption that never fails: consumes what the active lots hold and books the rest as overdraft. */
export function planRedemptionWithOverdraft(
  lots: readonly PointsLot[],
  amount: Points,
  now: Instant,
): OverdraftRedemptionPlan {
  assertNonNegative(amount, 'Redemption amount');
  // Offline spends are accepted as facts (ARCHITECTURE: never rejected for business reasons),
  // so a shortfall becomes debt instead of an error.
  const { consumed, left } = consumeGreedily(spendableLots(lots, now), amount);
  return { consumed, overdraft: points(left) };
}
