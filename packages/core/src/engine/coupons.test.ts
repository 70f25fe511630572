// Coupons and promo codes (SPEC C5/C6): a valid code of a series unlocks the series' promotion;
// validity, single or multi use, per-code and per-buyer limits, codes issued to one buyer,
// blocked codes, duplicates in one receipt; every refusal comes back with its reason code.
import { describe, expect, it } from 'vitest';
import type { PreparedRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';
import type { Calculation } from './calculation-result.ts';
import { CouponReason, PromotionReason } from './reason-codes.ts';

type PromotionInput = NonNullable<RulesSnapshotInput['promotions']>[number];
type SeriesInput = NonNullable<RulesSnapshotInput['couponSeries']>[number];

const NOW = THURSDAY_NOON_MSK;
const TEN_PERCENT = { kind: 'discount_percent', percent: 1_000 } as const;

/** Series S1 unlocks promo-c: 10 % off every line unless `promotion` says otherwise. */
function couponRules(series: Partial<SeriesInput> = {}, promotion: Partial<PromotionInput> = {}) {
  return prepared(
    standardSnapshot({
      promotions: [
        {
          id: 'promo-c',
          effect: TEN_PERCENT,
          ...promotion,
          targeting: { ...promotion.targeting, couponSeriesId: 'S1' },
        },
      ],
      couponSeries: [{ id: 'S1', promotionId: 'promo-c', usage: 'multi', ...series }],
    }),
  );
}

type Presented = {
  code: string;
  seriesId: string | null;
  uses?: number;
  buyerUses?: number;
  issuedToBuyerId?: string | null;
  blocked?: boolean;
};

function price(
  rules: PreparedRules,
  coupons: Presented[],
  o: { buyer?: unknown; lines?: unknown[] } = {},
): Calculation {
  const result = calculate(rules, {
    receipt: { storeId: 'store-1', lines: o.lines ?? [line('p1', 10_000)], coupons },
    buyer: o.buyer === undefined ? buyerWith(0) : o.buyer,
    now: NOW,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/** Codes and reasons only: the sentences are checked in coupon-refusal-message.test.ts. */
const reasonsOf = (coupons: Calculation['coupons']) => ({
  accepted: coupons.accepted,
  rejected: coupons.rejected.map(({ code, reason }) => ({ code, reason })),
});

const outcome = (result: Calculation, id = 'promo-c') => result.promotions.find((p) => p.promotionId === id);

/** The code was accepted and its promotion gave 10 % of 100.00 = 10.00. */
function expectAccepted(result: Calculation, code = 'SPRING10') {
  expect(result.coupons).toEqual({
    accepted: [{ code, seriesId: 'S1', promotionId: 'promo-c' }],
    rejected: [],
  });
  expect(outcome(result)).toMatchObject({ applied: true, discount: 1_000 });
  expect(result.lines[0]?.discount).toBe(1_000);
}

/** The code was refused with `reason`, so the promotion stayed locked (coupon_required). */
function expectRejected(result: Calculation, reason: CouponReason, code = 'SPRING10') {
  expect(reasonsOf(result.coupons)).toEqual({ accepted: [], rejected: [{ code, reason }] });
  expect(outcome(result)).toMatchObject({ applied: false, reason: PromotionReason.couponRequired });
  expect(result.lines[0]?.considered).toEqual([
    { promotionId: 'promo-c', reason: PromotionReason.couponRequired },
  ]);
  expect(result.lines[0]?.discount).toBe(0);
}

describe('coupons: a code unlocks its promotion', () => {
  it('a valid code gives the promotion; codes compare without case and spaces', () => {
    expectAccepted(price(couponRules(), [{ code: ' spring 10 ', seriesId: 'S1' }]));
  });

  it('without a code the promotion is locked (coupon_required)', () => {
    const result = price(couponRules(), []);
    expect(result.coupons).toEqual({ accepted: [], rejected: [] });
    expect(outcome(result)).toEqual({
      promotionId: 'promo-c',
      applied: false,
      reason: PromotionReason.couponRequired,
      discount: 0,
      points: 0,
    });
  });

  it('scope: all lines, or only the promotion items', () => {
    const lines = [line('p1', 10_000), line('p2', 30_000)];
    // All lines: 10.00 + 30.00.
    const all = price(couponRules(), [{ code: 'SPRING10', seriesId: 'S1' }], { lines });
    expect(all.lines.map((l) => l.discount)).toEqual([1_000, 3_000]);
    // Promotion items (p2 only): 30.00.
    const items = price(
      couponRules({}, { targeting: { productIds: ['p2'] } }),
      [{ code: 'SPRING10', seriesId: 'S1' }],
      { lines },
    );
    expect(items.lines.map((l) => l.discount)).toEqual([0, 3_000]);
  });

  it('what a code gives is its promotion: here gift points with their own terms', () => {
    const rules = couponRules(
      {},
      {
        effect: {
          kind: 'gift_points',
          points: 50_000,
          terms: { expiry: { kind: 'days', days: 14 }, activation: { kind: 'immediate' } },
        },
      },
    );
    const result = price(rules, [{ code: 'WELCOME', seriesId: 'S1' }]);
    expect(result.coupons.accepted).toEqual([{ code: 'WELCOME', seriesId: 'S1', promotionId: 'promo-c' }]);
    // 500.00 gift points expiring in 14 days, plus 2 % of 100.00 = 2.00 for the purchase.
    expect(result.accruals).toContainEqual({
      source: 'promotion_gift',
      promotionId: 'promo-c',
      points: 50_000,
      activatesAt: NOW,
      expiresAt: NOW + 14 * 86_400_000,
    });
    expect(result.totals.accrual).toBe(50_200);
  });

  it('codes of two series in one receipt both apply', () => {
    const rules = prepared(
      standardSnapshot({
        promotions: [
          { id: 'promo-a', targeting: { couponSeriesId: 'A' }, effect: TEN_PERCENT },
          {
            id: 'promo-b',
            targeting: { couponSeriesId: 'B' },
            effect: { kind: 'discount_amount', amount: 500, per: 'receipt' },
          },
        ],
        couponSeries: [
          { id: 'A', promotionId: 'promo-a', usage: 'multi' },
          { id: 'B', promotionId: 'promo-b', usage: 'single' },
        ],
      }),
    );
    // promo-a 10 % = 10.00 -> 90.00; promo-b 5.00 -> 85.00.
    const result = price(rules, [
      { code: 'A-1', seriesId: 'A' },
      { code: 'B-1', seriesId: 'B' },
    ]);
    expect(result.coupons.accepted.map((c) => c.code)).toEqual(['A-1', 'B-1']);
    expect(result.lines[0]?.amountAfterDiscount).toBe(8_500);
  });
});

describe('coupons: each refusal has a reason code', () => {
  it('unknown codes (unknown_code)', () => {
    expectRejected(
      price(couponRules(), [{ code: 'nope', seriesId: null }]),
      CouponReason.unknownCode,
      'NOPE',
    );
    expectRejected(
      price(couponRules(), [{ code: 'NOPE', seriesId: 'S9' }]),
      CouponReason.unknownCode,
      'NOPE',
    );
  });

  it('validity: from inclusive (not_yet_valid before), to exclusive (expired at it)', () => {
    const code = [{ code: 'SPRING10', seriesId: 'S1' }];
    expectRejected(price(couponRules({ from: NOW + 1 }), code), CouponReason.notYetValid);
    expectAccepted(price(couponRules({ from: NOW }), code));
    expectRejected(price(couponRules({ to: NOW }), code), CouponReason.expired);
    expectAccepted(price(couponRules({ to: NOW + 1 }), code));
  });

  it('single use: a used code is refused (already_used)', () => {
    const rules = couponRules({ usage: 'single' });
    expectAccepted(price(rules, [{ code: 'SPRING10', seriesId: 'S1', uses: 0 }]));
    expectRejected(price(rules, [{ code: 'SPRING10', seriesId: 'S1', uses: 1 }]), CouponReason.alreadyUsed);
  });

  it('multi use: unlimited, or up to a number of uses per code (usage_limit_reached)', () => {
    expectAccepted(price(couponRules(), [{ code: 'SPRING10', seriesId: 'S1', uses: 1_000 }]));
    const three = couponRules({ maxUsesPerCode: 3 });
    expectAccepted(price(three, [{ code: 'SPRING10', seriesId: 'S1', uses: 2 }]));
    expectRejected(
      price(three, [{ code: 'SPRING10', seriesId: 'S1', uses: 3 }]),
      CouponReason.usageLimitReached,
    );
  });

  it('uses per buyer (buyer_limit_reached), which needs a buyer (buyer_required)', () => {
    const rules = couponRules({ maxUsesPerBuyer: 2 });
    expectAccepted(price(rules, [{ code: 'SPRING10', seriesId: 'S1', buyerUses: 1 }]));
    expectRejected(
      price(rules, [{ code: 'SPRING10', seriesId: 'S1', buyerUses: 2 }]),
      CouponReason.buyerLimitReached,
    );
    expectRejected(
      price(rules, [{ code: 'SPRING10', seriesId: 'S1' }], { buyer: null }),
      CouponReason.buyerRequired,
    );
  });

  it('personal codes: only their buyer (issued_to_another_buyer, buyer_required)', () => {
    const personal = [{ code: 'SPRING10', seriesId: 'S1', issuedToBuyerId: 'buyer-2' }];
    expectRejected(price(couponRules(), personal), CouponReason.issuedToAnotherBuyer);
    expectAccepted(price(couponRules(), personal, { buyer: buyerWith(0, { id: 'buyer-2' }) }));
    expectRejected(price(couponRules(), personal, { buyer: null }), CouponReason.buyerRequired);
  });

  it('series for identified buyers only (buyer_required)', () => {
    const rules = couponRules({ requiresBuyer: true });
    expectRejected(
      price(rules, [{ code: 'SPRING10', seriesId: 'S1' }], { buyer: null }),
      CouponReason.buyerRequired,
    );
    expectAccepted(price(rules, [{ code: 'SPRING10', seriesId: 'S1' }]));
  });

  it('blocked codes (blocked)', () => {
    expectRejected(
      price(couponRules(), [{ code: 'SPRING10', seriesId: 'S1', blocked: true }]),
      CouponReason.blocked,
    );
  });

  it('the same code twice, or a second code of the same series (duplicate_in_receipt)', () => {
    // Only one 10 % discount: 10.00.
    const twice = price(couponRules(), [
      { code: 'SPRING10', seriesId: 'S1' },
      { code: 'spring10', seriesId: 'S1' },
    ]);
    expect(reasonsOf(twice.coupons)).toEqual({
      accepted: [{ code: 'SPRING10', seriesId: 'S1', promotionId: 'promo-c' }],
      rejected: [{ code: 'SPRING10', reason: CouponReason.duplicateInReceipt }],
    });
    expect(twice.lines[0]?.discount).toBe(1_000);
    const sameSeries = price(couponRules(), [
      { code: 'SPRING10', seriesId: 'S1' },
      { code: 'SPRING11', seriesId: 'S1' },
    ]);
    expect(reasonsOf(sameSeries.coupons).rejected).toEqual([
      { code: 'SPRING11', reason: CouponReason.duplicateInReceipt },
    ]);
    expect(sameSeries.lines[0]?.discount).toBe(1_000);
    // A refused first code does not block a good second one of the same series.
    const secondGood = price(couponRules(), [
      { code: 'OLD', seriesId: 'S1', blocked: true },
      { code: 'SPRING10', seriesId: 'S1' },
    ]);
    expect(reasonsOf(secondGood.coupons)).toEqual({
      accepted: [{ code: 'SPRING10', seriesId: 'S1', promotionId: 'promo-c' }],
      rejected: [{ code: 'OLD', reason: CouponReason.blocked }],
    });
  });

  it('a valid code whose promotion does not apply comes back (promotion_not_applied)', () => {
    // The promotion needs a receipt of 500.00; this one is 100.00.
    const result = price(couponRules({}, { conditions: { minReceiptAmount: 50_000 } }), [
      { code: 'SPRING10', seriesId: 'S1' },
    ]);
    expect(reasonsOf(result.coupons)).toEqual({
      accepted: [],
      rejected: [{ code: 'SPRING10', reason: CouponReason.promotionNotApplied }],
    });
    expect(outcome(result)).toMatchObject({ applied: false, reason: PromotionReason.receiptBelowMinimum });
    // Its promotion targets a product the receipt lacks: never a candidate, the code still comes back.
    const absent = price(couponRules({}, { targeting: { productIds: ['p9'] } }), [
      { code: 'SPRING10', seriesId: 'S1' },
    ]);
    expect(reasonsOf(absent.coupons).rejected).toEqual([
      { code: 'SPRING10', reason: CouponReason.promotionNotApplied },
    ]);
    expect(absent.lines[0]?.discount).toBe(0);
  });
});
