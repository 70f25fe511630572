// The engine's entry: a pure function of (prepared rules, receipt, buyer, now) that prices a
// receipt and explains every figure. Order of work:
// card discount -> promotions in (priority, id) order -> points payment -> accrual and gifts.
import { balanceAt, availableToSpend } from '#lots/lot-balance.ts';
import { planRedemption } from '#lots/lot-redemption.ts';
import {
  allocateProportionally,
  kopecks,
  mulDivRound,
  points,
  shareFloor,
  type Points,
} from '#money/money.ts';
import { ruleFor, type PreparedRules } from '#rules/prepared-rules.ts';
import type { LotTerms } from '#rules/schema-primitives.ts';
import { err, ok, type Problem, type Result } from '#shared/result.ts';
import { invalidInput, parseInput, type InputIssue } from '#shared/validation.ts';
import { addLocalDays, localParts, type Instant } from '#time/zoned-time.ts';
import { accrualPoints, lotTimes, percentPoints } from './accrual-math.ts';
import { parseCalculationInputFast } from './calculation-input.fast-path.ts';
import { calculationInputSchema, type BuyerState } from './calculation-input.schema.ts';
import type {
  AccrualLot,
  AppliedAdjustment,
  Calculation,
  GiftLine,
  PromotionOutcome,
  ReferralReward,
} from './calculation-result.ts';
import { checkCoupons } from './coupon-check.ts';
import { couponRefusalMessage } from './coupon-refusal-message.ts';
import { resolveLineRules } from './line-rules.ts';
import { effectDiscounts, isDiscountEffect } from './promotion-effects.ts';
import { selectPromotions } from './promotion-selection.ts';
import { CouponReason, PaymentLimit, PromotionReason } from './reason-codes.ts';

/** Codes of the business refusals calculate() can answer with (besides invalid_input). */
export const CalculationError = {
  pointsExceedMaximum: 'points_exceed_maximum',
  pointsBelowMinimum: 'points_below_minimum',
} as const;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The largest receipt or balance the engine takes (10^13 kopecks, as kopecksSchema). */
const MAX_AMOUNT = 10_000_000_000_000;

/** Groups accruals by lot terms so one receipt creates as few lots as it can. */
class LotBook {
  private readonly lots = new Map<string, { lot: AccrualLot; points: number }>();
  private readonly byTerms = new Map<LotTerms, { activatesAt: Instant; expiresAt: Instant | null }>();
  private readonly times = new Map<string, { activatesAt: Instant; expiresAt: Instant | null }>();
  constructor(
    private readonly now: Instant,
    private readonly timeZone: string,
  ) {}
  add(source: AccrualLot['source'], promotionId: string | null, amount: number, terms: LotTerms): void {
    if (amount <= 0) return;
    // Calendar arithmetic in a time zone is slow (Intl); equal terms give equal times.
    let times = this.byTerms.get(terms);
    if (!times) {
      const termsKey = `${terms.activation.kind === 'after_days' ? terms.activation.days : 0}|${JSON.stringify(terms.expiry)}`;
      times = this.times.get(termsKey);
      if (!times) this.times.set(termsKey, (times = lotTimes(terms, this.now, this.timeZone)));
      this.byTerms.set(terms, times);
    }
    const key = `${source}|${promotionId ?? ''}|${times.activatesAt}|${times.expiresAt ?? ''}`;
    const entry = this.lots.get(key);
    if (entry) entry.points += amount;
    else this.lots.set(key, { lot: { source, promotionId, points: points(0), ...times }, points: amount });
  }
  list(): AccrualLot[] {
    return [...this.lots.values()].map(({ lot, points: amount }) => ({ ...lot, points: points(amount) }));
  }
}

function referralRewards(
  rules: PreparedRules,
  buyer: BuyerState,
  paidMoney: number,
  now: Instant,
): ReferralReward[] {
  const referral = rules.snapshot.referral;
  const tz = rules.snapshot.timeZone;
  if (referral.periodDays !== null) {
    if (buyer.registeredAt === null) return [];
    if (now >= addLocalDays(buyer.registeredAt, referral.periodDays, tz)) return [];
  }
  const rewards: ReferralReward[] = [];
  for (const referrer of [...buyer.referrers].sort((a, b) => a.level - b.level)) {
    const level = referral.levels.find(
      (l) =>
        l.level === referrer.level &&
        (l.cardTypeIds.length === 0 || l.cardTypeIds.includes(referrer.cardTypeId)),
    );
    if (!level) continue;
    const amount =
      level.reward.kind === 'percent'
        ? percentPoints(paidMoney, level.reward.percent, 'hundredth')
        : buyer.purchasesCount === 0
          ? level.reward.points
          : 0;
    if (amount > 0)
      rewards.push({
        referrerId: referrer.buyerId,
        level: referrer.level,
        points: points(amount),
        ...lotTimes(referral.terms, now, tz),
      });
  }
  return rewards;
}

/** Prices a receipt. Bad input answers every problem with its path; business refusals have codes. */
export function calculate(rules: PreparedRules, input: unknown): Result<Calculation, Problem> {
  try {
    return calculateChecked(rules, input);
  } catch (error) {
    // Input checks bound every single figure, but sums over extreme snapshots (hundreds of huge
    // gift promotions) can still leave exact integer range; the money factories throw RangeError.
    if (error instanceof RangeError)
      return err({
        code: 'amount_too_large',
        message:
          'Суммы чека или начислений слишком велики для точного расчёта. Проверьте цены и правила акций.',
        details: { reason: error.message },
      });
    throw error;
  }
}

function calculateChecked(rules: PreparedRules, input: unknown): Result<Calculation, Problem> {
  let value = parseCalculationInputFast(input);
  if (!value) {
    const parsed = parseInput(calculationInputSchema, input);
    if (!parsed.ok) return err(invalidInput('чек', parsed.issues));
    value = parsed.value;
  }
  const { receipt, buyer, now } = value;
  const snapshot = rules.snapshot;
  const issues: InputIssue[] = [];
  if (buyer && !rules.cardTypes.has(buyer.cardTypeId))
    issues.push({
      path: 'buyer.cardTypeId',
      code: 'unknown_card_type',
      message: 'Тип карты покупателя не найден',
    });
  if (snapshot.stores.length > 0 && !rules.storeAttributes.has(receipt.storeId))
    issues.push({ path: 'receipt.storeId', code: 'unknown_store', message: 'Магазин не найден в правилах' });
  // Sums past MAX_AMOUNT would leave exact integer arithmetic; lots are addressed by id.
  let receiptTotal = 0;
  receipt.lines.forEach((l, i) => {
    const a = mulDivRound(l.price, l.quantity, 1000);
    receiptTotal += a;
    if (a > MAX_AMOUNT)
      issues.push({
        path: `receipt.lines[${i}]`,
        code: 'amount_too_large',
        message: 'Сумма строки слишком велика',
      });
  });
  if (receiptTotal > MAX_AMOUNT)
    issues.push({ path: 'receipt.lines', code: 'amount_too_large', message: 'Сумма чека слишком велика' });
  const lotIds = new Set<string>();
  let lotsTotal = 0;
  buyer?.lots.forEach((lot, i) => {
    if (lotIds.has(lot.id))
      issues.push({
        path: `buyer.lots[${i}].id`,
        code: 'duplicate_id',
        message: 'Партия баллов указана дважды',
      });
    lotIds.add(lot.id);
    lotsTotal += lot.remaining;
  });
  if (lotsTotal > MAX_AMOUNT)
    issues.push({ path: 'buyer.lots', code: 'amount_too_large', message: 'Баланс баллов слишком велик' });
  if (issues.length > 0) return err(invalidInput('чек', issues));

  const tz = snapshot.timeZone;
  const local = localParts(now, tz);
  const programme = snapshot.programme;
  const hasPoints = programme.type !== 'discount';
  const hasCardDiscount = programme.type !== 'bonus';
  const lines = receipt.lines;

  const amount = lines.map((l) => mulDivRound(l.price, l.quantity, 1000));
  const floor = lines.map((l, i) => Math.min(amount[i] ?? 0, mulDivRound(l.minPrice, l.quantity, 1000)));
  const current = [...amount];
  const receiptAmount = sum(amount);
  const applied: AppliedAdjustment[][] = lines.map(() => []);
  const lineRules = buyer
    ? resolveLineRules(rules, lines, buyer.cardTypeId, receipt.storeId, now, local)
    : lines.map(() => null);

  const balance = buyer ? balanceAt(buyer.lots, now) : null;
  const available = buyer
    ? availableToSpend(buyer.lots, now, { debt: buyer.debt, reserved: buyer.reserved })
    : points(0);
  const coupons = checkCoupons(rules, receipt.coupons, buyer, now);

  const selection = selectPromotions(
    rules,
    {
      now,
      local,
      storeId: receipt.storeId,
      storeAttributes: rules.storeAttributes.get(receipt.storeId) ?? {},
      buyer,
      activeBalance: balance?.active ?? 0,
      receiptAmount,
      lines,
      couponSeriesIds: new Set(coupons.accepted.map((c) => c.seriesId)),
      segmentIds: new Set(buyer?.segmentIds ?? []),
      favouriteCategoryIds: new Set(buyer?.favouriteCategoryIds ?? []),
    },
    amount.map((a, i) => ({ amount: a, floor: floor[i] ?? 0 })),
    hasPoints,
  );
  const { considered, refused } = selection;

  // Card discount (C1 discount/combined programmes) comes first, except on lines where a
  // selected promotion says it replaces the card discount.
  const cardExcluded = new Set<number>();
  for (const s of selection.selected)
    if (s.prepared.promotion.stacking.excludesCardDiscount) for (const i of s.lines) cardExcluded.add(i);
  const giveCardDiscount = (i: number) => {
    const lineRule = lineRules[i];
    if (!hasCardDiscount || !buyer || !lineRule || lineRule.discountPercent <= 0 || lines[i]?.noDiscount)
      return;
    const d = Math.min(
      shareFloor(amount[i] ?? 0, lineRule.discountPercent),
      (current[i] ?? 0) - (floor[i] ?? 0),
    );
    if (d <= 0) return;
    current[i] = (current[i] ?? 0) - d;
    applied[i]?.push({
      source: 'card',
      discount: kopecks(d),
      percent: lineRule.discountPercent,
      happyHourId: lineRule.happyHourId,
    });
  };
  lines.forEach((_, i) => {
    if (!cardExcluded.has(i)) giveCardDiscount(i);
  });

  // Promotions in cascade order; each computes on the original or the already discounted price.
  const outcomes = new Map<string, { discount: number; points: number; acted: boolean }>();
  const forbidPoints = new Set<number>();
  const noAccrual = new Set<number>();
  const giftLines: GiftLine[] = [];
  const cardReplaced = new Set<number>();
  let confirmationByPromotion = false;
  let promotionPaymentLimit: number | null = null;
  for (const { prepared, lines: indices } of selection.selected) {
    const promotion = prepared.promotion;
    const outcome = { discount: 0, points: 0, acted: false };
    outcomes.set(promotion.id, outcome);
    let acting = indices;
    if (isDiscountEffect(promotion.effect)) {
      const result = effectDiscounts(
        promotion.effect,
        indices.map((i) => ({
          base: promotion.stacking.base === 'original' ? (amount[i] ?? 0) : (current[i] ?? 0),
          quantity: lines[i]?.quantity ?? 0,
          index: i,
        })),
      );
      if ('reason' in result) {
        for (const i of indices) considered[i]?.push({ promotionId: promotion.id, reason: result.reason });
        refused[prepared.order] = result.reason;
        continue;
      }
      let granted = result.discounts.map((d, k) => {
        const i = indices[k] ?? 0;
        return Math.max(0, Math.min(d, (current[i] ?? 0) - (floor[i] ?? 0)));
      });
      const beforeLimit = granted;
      let limited = false;
      const limit = promotion.limits.maxDiscount;
      if (limit !== null && sum(granted) > limit) {
        granted = allocateProportionally(limit, granted);
        limited = true;
      }
      acting = [];
      granted.forEach((d, k) => {
        const i = indices[k] ?? 0;
        if (d <= 0) {
          // Units a ladder or buy X get Y leaves at full price did not reach a discounted position;
          // otherwise the floor took it all, or (if the floor left something) the limit did.
          const kind = promotion.effect.kind;
          const reason =
            (result.discounts[k] ?? 0) <= 0 && (kind === 'ladder' || kind === 'buy_x_get_y')
              ? PromotionReason.notEnoughItems
              : limited && (beforeLimit[k] ?? 0) > 0
                ? PromotionReason.limitReached
                : PromotionReason.minPriceReached;
          considered[i]?.push({ promotionId: promotion.id, reason });
          return;
        }
        current[i] = (current[i] ?? 0) - d;
        outcome.discount += d;
        acting.push(i);
        if (promotion.flags.noAccrualOnDiscounted) noAccrual.add(i);
        applied[i]?.push({
          source: 'promotion',
          promotionId: promotion.id,
          discount: kopecks(d),
          points: points(0),
          capped: limited || d < (result.discounts[k] ?? 0),
        });
      });
      if (acting.length === 0) {
        refused[prepared.order] = limited ? PromotionReason.limitReached : PromotionReason.minPriceReached;
        continue;
      }
    } else if (promotion.effect.kind !== 'points_percent') {
      // Gift lines, gift points and flag-only promotions act on their lines as they are.
      for (const i of indices)
        applied[i]?.push({
          source: 'promotion',
          promotionId: promotion.id,
          discount: kopecks(0),
          points: points(0),
          capped: false,
        });
      if (promotion.effect.kind === 'gift_line')
        giftLines.push({
          promotionId: promotion.id,
          productId: promotion.effect.productId,
          quantity: promotion.effect.quantity,
        });
    }
    outcome.acted = true;
    if (promotion.stacking.excludesCardDiscount) for (const i of acting) cardReplaced.add(i);
    if (promotion.flags.forbidPointsPayment) for (const i of acting) forbidPoints.add(i);
    if (promotion.flags.requiresConfirmationCode) confirmationByPromotion = true;
    const cap = promotion.limits.maxPointsPayment;
    if (cap !== null) promotionPaymentLimit = Math.min(promotionPaymentLimit ?? cap, cap);
  }
  // A promotion that replaces the card discount but gave nothing on a line leaves the buyer the
  // card discount there, given last so it never pushes the line below its floor.
  for (const i of cardExcluded) if (!cardReplaced.has(i)) giveCardDiscount(i);
  const after = current;
  const receiptAfter = sum(after);

  // Payment with points (A5): per-line caps, then the receipt's limits, then the allocation.
  const caps = lines.map((line, i) => {
    const lineRule = lineRules[i];
    if (!hasPoints || !buyer || !lineRule || lineRule.rule.payment.kind === 'forbidden') return 0;
    if (line.noPointsPayment || forbidPoints.has(i)) return 0;
    const a = after[i] ?? 0;
    return Math.max(0, Math.min(shareFloor(a, lineRule.rule.payment.percent), a - (floor[i] ?? 0)));
  });
  const defaultRule = buyer ? ruleFor(rules, buyer.cardTypeId, null) : undefined;
  const minimum = defaultRule?.payment.kind === 'up_to' ? defaultRule.payment.minPoints : 0;
  let maximum = 0;
  let limitedBy: PaymentLimit = PaymentLimit.none;
  if (!buyer) limitedBy = PaymentLimit.noBuyer;
  else if (!hasPoints) limitedBy = PaymentLimit.programme;
  else {
    maximum = sum(caps);
    if (maximum < receiptAfter) limitedBy = PaymentLimit.lineCaps;
    if (available < maximum) {
      maximum = available;
      limitedBy = PaymentLimit.balance;
    }
    if (promotionPaymentLimit !== null && promotionPaymentLimit < maximum) {
      maximum = promotionPaymentLimit;
      limitedBy = PaymentLimit.promotionLimit;
    }
    if (maximum < minimum) {
      maximum = 0;
      limitedBy = PaymentLimit.minimum;
    }
  }
  const requested = receipt.pointsToPay === 'max' ? maximum : receipt.pointsToPay;
  if (requested > maximum)
    return err({
      code: CalculationError.pointsExceedMaximum,
      message: `Можно списать не более ${(maximum / 100).toFixed(2)} баллов.`,
      details: { requested, maximum, limitedBy },
    });
  if (requested > 0 && requested < minimum)
    return err({
      code: CalculationError.pointsBelowMinimum,
      message: `Минимальное списание — ${(minimum / 100).toFixed(2)} баллов.`,
      details: { requested, minimum },
    });
  const paid = allocateProportionally(requested, caps);
  let consumedLots: Array<{ lotId: string; points: Points }> = [];
  if (buyer && requested > 0) {
    const plan = planRedemption(buyer.lots, points(requested), now);
    if (!plan.ok) return err(plan.error);
    consumedLots = plan.value.consumed.map((m) => ({ lotId: m.lotId, points: m.points }));
  }
  const paidMoney = after.map((a, i) => a - (paid[i] ?? 0));

  // Accrual (C3) on each line, then promotion points, gifts (C7) and referral rewards (C8).
  const book = new LotBook(now, tz);
  const lineAccrual = lines.map(() => 0);
  const accrues = (i: number) => hasPoints && buyer !== null && !lines[i]?.noAccrual && !noAccrual.has(i);
  lines.forEach((_, i) => {
    const lineRule = lineRules[i];
    if (!lineRule || !accrues(i)) return;
    const base = lineRule.rule.accrualBase === 'paid' ? (paidMoney[i] ?? 0) : (after[i] ?? 0);
    const earned = accrualPoints(lineRule.accrual, base, receiptAfter, lineRule.rule.rounding);
    lineAccrual[i] = earned;
    book.add('purchase', null, earned, lineRule.rule);
  });
  for (const { prepared, lines: indices } of selection.selected) {
    const promotion = prepared.promotion;
    const outcome = outcomes.get(promotion.id);
    const effect = promotion.effect;
    if (!outcome?.acted) continue;
    if (effect.kind === 'points_percent') {
      const eligibleLines: number[] = [];
      for (const i of indices)
        if (accrues(i) && lineRules[i]) eligibleLines.push(i);
        // A line an earlier promotion closed to accrual (noAccrualOnDiscounted) says why it got nothing.
        else considered[i]?.push({ promotionId: promotion.id, reason: PromotionReason.lineNoAccrual });
      let earned = eligibleLines.map((i) => {
        const lineRule = lineRules[i];
        if (!lineRule) return 0;
        const base = lineRule.rule.accrualBase === 'paid' ? (paidMoney[i] ?? 0) : (after[i] ?? 0);
        return percentPoints(base, effect.percent, lineRule.rule.rounding);
      });
      const limit = promotion.limits.maxAccrual;
      const limited = limit !== null && sum(earned) > limit;
      if (limit !== null && limited) earned = allocateProportionally(limit, earned);
      eligibleLines.forEach((i, k) => {
        const e = earned[k] ?? 0;
        const lineRule = lineRules[i];
        if (e <= 0 || !lineRule) return;
        lineAccrual[i] = (lineAccrual[i] ?? 0) + e;
        outcome.points += e;
        applied[i]?.push({
          source: 'promotion',
          promotionId: promotion.id,
          discount: kopecks(0),
          points: points(e),
          capped: limited,
        });
        book.add('promotion', promotion.id, e, lineRule.rule);
      });
      if (outcome.points === 0) {
        outcome.acted = false;
        refused[prepared.order] = PromotionReason.lineNoAccrual;
      }
    } else if (effect.kind === 'gift_points') {
      const given = Math.min(effect.points, promotion.limits.maxAccrual ?? effect.points);
      outcome.points += given;
      book.add('promotion_gift', promotion.id, given, effect.terms);
    }
  }
  const firstPurchase = snapshot.gifts.firstPurchase;
  if (hasPoints && buyer && buyer.purchasesCount === 0 && firstPurchase)
    book.add('first_purchase', null, firstPurchase.points, firstPurchase.terms);
  const accruals = book.list();
  const totalPaidMoney = sum(paidMoney);
  const rewards = hasPoints && buyer ? referralRewards(rules, buyer, totalPaidMoney, now) : [];

  // The explanation: promotions that acted and those that were candidates but did not.
  const promotions: PromotionOutcome[] = [];
  for (const [id, o] of outcomes)
    if (o.acted)
      promotions.push({
        promotionId: id,
        applied: true,
        reason: null,
        discount: kopecks(o.discount),
        points: points(o.points),
      });
  refused.forEach((reason, order) => {
    const id = rules.promotions[order]?.promotion.id;
    if (reason === undefined || id === undefined || outcomes.get(id)?.acted) return;
    promotions.push({ promotionId: id, applied: false, reason, discount: kopecks(0), points: points(0) });
  });
  const actedIds = new Set(promotions.filter((p) => p.applied).map((p) => p.promotionId));
  const acceptedCoupons = coupons.accepted.filter((c) => actedIds.has(c.promotionId));
  const rejectedCoupons = [
    ...coupons.rejected,
    ...coupons.accepted
      .filter((c) => !actedIds.has(c.promotionId))
      .map((c) => {
        const reason = CouponReason.promotionNotApplied;
        // The promotion's own refusal says which condition failed (store, amount, items...).
        const promotionReason = promotions.find((p) => p.promotionId === c.promotionId)?.reason ?? null;
        return {
          code: c.code,
          reason,
          message: couponRefusalMessage({ reason, timeZone: tz, promotionReason }),
        };
      }),
  ];

  const calculatedLines = lines.map((line, i) => {
    const a = amount[i] ?? 0;
    const af = after[i] ?? 0;
    return {
      index: i,
      lineId: line.lineId ?? null,
      productId: line.productId,
      categoryId: line.categoryId,
      quantity: line.quantity,
      price: line.price,
      amount: kopecks(a),
      discount: kopecks(a - af),
      amountAfterDiscount: kopecks(af),
      pointsPaid: points(paid[i] ?? 0),
      paidMoney: kopecks(paidMoney[i] ?? 0),
      maxPoints: points(caps[i] ?? 0),
      accrual: points(lineAccrual[i] ?? 0),
      ruleId: lineRules[i]?.rule.id ?? null,
      happyHourId: lineRules[i]?.happyHourId ?? null,
      applied: applied[i] ?? [],
      considered: considered[i] ?? [],
    };
  });

  return ok({
    rulesVersion: snapshot.version,
    cardTypeId: buyer?.cardTypeId ?? null,
    lines: calculatedLines,
    giftLines,
    totals: {
      amount: kopecks(receiptAmount),
      discount: kopecks(receiptAmount - receiptAfter),
      amountAfterDiscount: kopecks(receiptAfter),
      pointsPaid: points(requested),
      paidMoney: kopecks(totalPaidMoney),
      accrual: points(sum(accruals.map((l) => l.points))),
    },
    pointsPayment: {
      requested: points(requested),
      applied: points(requested),
      maximum: points(maximum),
      limitedBy,
      minimum: points(minimum),
      available,
      consumedLots,
    },
    accruals,
    referralRewards: rewards,
    promotions,
    coupons: { accepted: acceptedCoupons, rejected: rejectedCoupons },
    requiresConfirmationCode: confirmationByPromotion || (requested > 0 && programme.redemptionRequiresCode),
  });
}
