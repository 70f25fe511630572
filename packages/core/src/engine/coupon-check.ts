// Checks each presented coupon against its series (C6). A valid coupon unlocks its promotion.
import type { PreparedRules } from '#rules/prepared-rules.ts';
import type { Instant } from '#time/zoned-time.ts';
import type { BuyerState, PresentedCoupon } from './calculation-input.schema.ts';
import { couponRefusalMessage } from './coupon-refusal-message.ts';
import { CouponReason } from './reason-codes.ts';

/** Coupons sorted into accepted (by series) and rejected (with a reason). */
export type CouponVerdicts = {
  readonly accepted: Array<{ code: string; seriesId: string; promotionId: string }>;
  readonly rejected: Array<{ code: string; reason: CouponReason; message: string }>;
};

/** Codes compare case-insensitively and without spaces: cashiers type them by hand. */
export const normaliseCouponCode = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

function verdict(
  rules: PreparedRules,
  coupon: PresentedCoupon,
  buyer: BuyerState | null,
  now: Instant,
): CouponReason | null {
  const series = coupon.seriesId === null ? undefined : rules.couponSeries.get(coupon.seriesId);
  if (!series) return CouponReason.unknownCode;
  if (coupon.blocked) return CouponReason.blocked;
  if (series.from !== null && now < series.from) return CouponReason.notYetValid;
  if (series.to !== null && now >= series.to) return CouponReason.expired;
  if ((series.requiresBuyer || coupon.issuedToBuyerId !== null || series.maxUsesPerBuyer !== null) && !buyer)
    return CouponReason.buyerRequired;
  if (coupon.issuedToBuyerId !== null && coupon.issuedToBuyerId !== buyer?.id)
    return CouponReason.issuedToAnotherBuyer;
  if (series.usage === 'single' && coupon.uses >= 1) return CouponReason.alreadyUsed;
  if (series.maxUsesPerCode !== null && coupon.uses >= series.maxUsesPerCode)
    return CouponReason.usageLimitReached;
  if (series.maxUsesPerBuyer !== null && coupon.buyerUses >= series.maxUsesPerBuyer)
    return CouponReason.buyerLimitReached;
  return null;
}

/** Validates presented coupons; a second code of the same series in one receipt is refused. */
export function checkCoupons(
  rules: PreparedRules,
  coupons: readonly PresentedCoupon[],
  buyer: BuyerState | null,
  now: Instant,
): CouponVerdicts {
  const result: CouponVerdicts = { accepted: [], rejected: [] };
  const seenCodes = new Set<string>();
  const seenSeries = new Set<string>();
  const timeZone = rules.snapshot.timeZone;
  for (const coupon of coupons) {
    const code = normaliseCouponCode(coupon.code);
    if (seenCodes.has(code) || (coupon.seriesId !== null && seenSeries.has(coupon.seriesId))) {
      const reason = CouponReason.duplicateInReceipt;
      result.rejected.push({ code, reason, message: couponRefusalMessage({ reason, timeZone }) });
      continue;
    }
    seenCodes.add(code);
    const reason = verdict(rules, coupon, buyer, now);
    const series = coupon.seriesId === null ? undefined : rules.couponSeries.get(coupon.seriesId);
    if (reason !== null || !series) {
      const refusal = reason ?? CouponReason.unknownCode;
      const message = couponRefusalMessage({ reason: refusal, timeZone, ...(series ? { series } : {}) });
      result.rejected.push({ code, reason: refusal, message });
      continue;
    }
    seenSeries.add(series.id);
    result.accepted.push({ code, seriesId: series.id, promotionId: series.promotionId });
  }
  return result;
}
