// Accrual arithmetic (C3): how many points a base amount earns under a rule, and when the lot
// it creates becomes active and expires.
import { FULL_SHARE, mulDivFloor, mulDivRound } from '#money/money.ts';
import { assertNever } from '#shared/result.ts';
import type { Accrual, Rounding } from '#rules/snapshot.schema.ts';
import type { LotTerms } from '#rules/schema-primitives.ts';
import { addLocalDays, nextFixedDate, type Instant } from '#time/zoned-time.ts';

/** Points (hundredths) for `percent` of `base` kopecks, rounded as the rule says. */
export function percentPoints(base: number, percent: number, rounding: Rounding): number {
  switch (rounding) {
    case 'hundredth':
      return mulDivFloor(base, percent, FULL_SHARE);
    case 'down_whole':
      return mulDivFloor(base, percent, FULL_SHARE * 100) * 100;
    case 'nearest_whole':
      return mulDivRound(base, percent, FULL_SHARE * 100) * 100;
    default:
      return assertNever(rounding);
  }
}

/** Rounds points already in hundredths as the rule says. */
export function roundPoints(value: number, rounding: Rounding): number {
  switch (rounding) {
    case 'hundredth':
      return value;
    case 'down_whole':
      return Math.floor(value / 100) * 100;
    case 'nearest_whole':
      return mulDivRound(value, 1, 100) * 100;
    default:
      return assertNever(rounding);
  }
}

/** The percent an accrual gives on a line, or null for fixed per-amount accruals. */
export function accrualPercent(accrual: Accrual, receiptAmount: number): number | null {
  switch (accrual.kind) {
    case 'none':
      return 0;
    case 'percent':
      return accrual.percent;
    case 'per_amount':
      return null;
    case 'progressive': {
      let percent = 0;
      let reached = -1;
      for (const tier of accrual.tiers)
        if (tier.fromReceiptAmount <= receiptAmount && tier.fromReceiptAmount > reached) {
          reached = tier.fromReceiptAmount;
          percent = tier.percent;
        }
      return percent;
    }
    default:
      return assertNever(accrual);
  }
}

/** Points a line earns under an accrual rule. `receiptAmount` picks the progressive tier. */
export function accrualPoints(
  accrual: Accrual,
  base: number,
  receiptAmount: number,
  rounding: Rounding,
): number {
  if (base <= 0) return 0;
  if (accrual.kind === 'per_amount')
    return roundPoints(Math.floor(base / accrual.everyKopecks) * accrual.points, rounding);
  return percentPoints(base, accrualPercent(accrual, receiptAmount) ?? 0, rounding);
}

/** When a lot accrued at `now` becomes active and when it expires, in the merchant's time zone. */
export function lotTimes(
  terms: LotTerms,
  now: Instant,
  timeZone: string,
): { activatesAt: Instant; expiresAt: Instant | null } {
  const activatesAt =
    terms.activation.kind === 'immediate' ? now : addLocalDays(now, terms.activation.days, timeZone);
  switch (terms.expiry.kind) {
    case 'never':
      return { activatesAt, expiresAt: null };
    case 'days':
      return {
        activatesAt,
        expiresAt: Math.max(activatesAt + 1, addLocalDays(now, terms.expiry.days, timeZone)),
      };
    case 'fixed_dates':
      return { activatesAt, expiresAt: nextFixedDate(activatesAt, terms.expiry.dates, timeZone) };
    default:
      return assertNever(terms.expiry);
  }
}
