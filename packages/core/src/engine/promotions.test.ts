// Promotions (SPEC C5): targeting, conditions, every effect kind, flags, limits and the minimum
// price, with hand-computed kopecks and points. Stacking lives in stacking.test.ts, coupons in
// coupons.test.ts. Fixture: Europe/Moscow, 2 % accrual on money paid rounded to the nearest whole
// point, payment with points up to 100 %; THURSDAY_NOON_MSK is Thursday 2026-01-15 12:00 MSK.
import { describe, expect, it } from 'vitest';
import type { PreparedRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';
import type { Calculation } from './calculation-result.ts';
import { PromotionReason } from './reason-codes.ts';

type PromotionInput = NonNullable<RulesSnapshotInput['promotions']>[number];

const NOW = THURSDAY_NOON_MSK;
const MINUTE = 60_000;
const DAY = 86_400_000;
const TEN_PERCENT = { kind: 'discount_percent', percent: 1_000 } as const;

const rulesWith = (promotions: PromotionInput[], overrides: Partial<RulesSnapshotInput> = {}) =>
  prepared(standardSnapshot({ promotions, ...overrides }));

type Options = {
  buyer?: unknown;
  now?: number;
  storeId?: string;
  pointsToPay?: number | 'max';
};

function price(rules: PreparedRules, lines: unknown[], o: Options = {}): Calculation {
  const result = calculate(rules, {
    receipt: { storeId: o.storeId ?? 'store-1', lines, pointsToPay: o.pointsToPay ?? 0 },
    buyer: o.buyer === undefined ? buyerWith(0) : o.buyer,
    now: o.now ?? NOW,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const outcome = (result: Calculation, id: string) => result.promotions.find((p) => p.promotionId === id);

/** The promotion did nothing: refused with `reason` overall and on each given line. */
function expectRefused(result: Calculation, id: string, reason: PromotionReason, lineIndexes = [0]) {
  expect(outcome(result, id)).toEqual({ promotionId: id, applied: false, reason, discount: 0, points: 0 });
  for (const i of lineIndexes) {
    expect(result.lines[i]?.considered).toContainEqual({ promotionId: id, reason });
    expect(result.lines[i]?.applied.some((a) => a.source === 'promotion' && a.promotionId === id)).toBe(
      false,
    );
  }
}

/** 10 % off one 100.00 line: 10000 x 1000 / 10000 = 1000 kopecks. */
function expectTenPercentApplied(result: Calculation, id = 'a') {
  expect(outcome(result, id)).toEqual({
    promotionId: id,
    applied: true,
    reason: null,
    discount: 1_000,
    points: 0,
  });
  expect(result.lines[0]?.discount).toBe(1_000);
  expect(result.lines[0]?.considered).toEqual([]);
}

describe('promotions: what a promotion targets', () => {
  it('targets named products only', () => {
    // p1: 100.00 - 10 % = 90.00; p2 is not named, so the promotion is not even a candidate there.
    const result = price(rulesWith([{ id: 'a', targeting: { productIds: ['p1'] }, effect: TEN_PERCENT }]), [
      line('p1', 10_000),
      line('p2', 5_000),
    ]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_000, 0]);
    expect(result.lines[1]?.considered).toEqual([]);
    expect(result.totals).toMatchObject({ amount: 15_000, discount: 1_000, amountAfterDiscount: 14_000 });
  });

  it('targets a category and its subcategories (dairy is under food), not other trees', () => {
    // dairy 200.00 -> 20.00 off; alcohol 300.00 is outside "food".
    const rules = rulesWith([{ id: 'a', targeting: { categoryIds: ['food'] }, effect: TEN_PERCENT }]);
    const result = price(rules, [line('milk', 20_000, 1, 'dairy'), line('wine', 30_000, 1, 'alcohol')]);
    expect(result.lines.map((l) => l.discount)).toEqual([2_000, 0]);
  });

  it('targets every line when it names no products and no categories', () => {
    // 100.00 -> 10.00, 55.55 -> floor(5555 x 0.1) = 555 (uncategorised lines included).
    const result = price(rulesWith([{ id: 'a', effect: TEN_PERCENT }]), [
      line('p1', 10_000),
      line('p2', 5_555, 1, null),
    ]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_000, 555]);
    expect(outcome(result, 'a')?.discount).toBe(1_555);
  });

  it('ignores archived promotions entirely', () => {
    const result = price(rulesWith([{ id: 'a', archived: true, effect: TEN_PERCENT }]), [line('p1', 10_000)]);
    expect(result.promotions).toEqual([]);
    expect(result.lines[0]).toMatchObject({ discount: 0, applied: [], considered: [] });
  });

  it('excludes named products (excluded_product)', () => {
    const rules = rulesWith([{ id: 'a', targeting: { excludeProductIds: ['p2'] }, effect: TEN_PERCENT }]);
    const result = price(rules, [line('p1', 10_000), line('p2', 5_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_000, 0]);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.excludedProduct },
    ]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, discount: 1_000 });
  });

  it('excludes a category with all its subcategories (excluded_category)', () => {
    // Excluding "food" excludes "dairy"; the alcohol line keeps its 10 %: 300.00 -> 30.00.
    const rules = rulesWith([{ id: 'a', targeting: { excludeCategoryIds: ['food'] }, effect: TEN_PERCENT }]);
    const result = price(rules, [line('milk', 20_000, 1, 'dairy'), line('wine', 30_000, 1, 'alcohol')]);
    expect(result.lines.map((l) => l.discount)).toEqual([0, 3_000]);
    expect(result.lines[0]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.excludedCategory },
    ]);
  });

  it('when every line is excluded the promotion is refused with the line reason', () => {
    const rules = rulesWith([{ id: 'a', targeting: { excludeProductIds: ['p1'] }, effect: TEN_PERCENT }]);
    expectRefused(price(rules, [line('p1', 10_000)]), 'a', PromotionReason.excludedProduct);
  });

  it('favourite categories: only lines in a category the buyer chose (or under it)', () => {
    // Buyer chose "food": milk (dairy, under food) 200.00 -> 20.00; wine is not a favourite.
    const rules = rulesWith([{ id: 'a', targeting: { favouriteCategoriesOnly: true }, effect: TEN_PERCENT }]);
    const lines = [line('milk', 20_000, 1, 'dairy'), line('wine', 30_000, 1, 'alcohol')];
    const result = price(rules, lines, { buyer: buyerWith(0, { favouriteCategoryIds: ['food'] }) });
    expect(result.lines.map((l) => l.discount)).toEqual([2_000, 0]);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.notFavouriteCategory },
    ]);
    // No favourites chosen: nothing applies; anonymous: a card is needed to know the favourites.
    expectRefused(price(rules, lines), 'a', PromotionReason.notFavouriteCategory, [0, 1]);
    expectRefused(price(rules, lines, { buyer: null }), 'a', PromotionReason.cardRequired, [0, 1]);
  });
});

describe('promotions: when, where and for whom', () => {
  const one = [line('p1', 10_000)];

  it('period: from is inclusive (not_started before it), to is exclusive (ended at it)', () => {
    const starts = rulesWith([{ id: 'a', from: NOW + 1, effect: TEN_PERCENT }]);
    expectRefused(price(starts, one), 'a', PromotionReason.notStarted);
    expectTenPercentApplied(price(starts, one, { now: NOW + 1 }));
    const ends = rulesWith([{ id: 'a', from: NOW - DAY, to: NOW, effect: TEN_PERCENT }]);
    expectRefused(price(ends, one), 'a', PromotionReason.ended);
    expectTenPercentApplied(price(ends, one, { now: NOW - 1 }));
  });

  it('days of the week in the merchant zone (wrong_day)', () => {
    // 2026-01-15 is a Thursday (ISO 4) in Moscow.
    expectRefused(
      price(rulesWith([{ id: 'a', targeting: { days: [1, 2, 3] }, effect: TEN_PERCENT }]), one),
      'a',
      PromotionReason.wrongDay,
    );
    expectTenPercentApplied(
      price(rulesWith([{ id: 'a', targeting: { days: [4] }, effect: TEN_PERCENT }]), one),
    );
    // Wednesday 23:30 MSK is Wednesday 20:30 UTC: the zone decides the day, not UTC.
    const wednesdayNight = Date.UTC(2026, 0, 14, 20, 30);
    const thursdayOnly = rulesWith([{ id: 'a', targeting: { days: [4] }, effect: TEN_PERCENT }]);
    expectRefused(price(thursdayOnly, one, { now: wednesdayNight }), 'a', PromotionReason.wrongDay);
    // Thursday 00:30 MSK is still Wednesday 21:30 UTC.
    expectTenPercentApplied(price(thursdayOnly, one, { now: Date.UTC(2026, 0, 14, 21, 30) }));
  });

  it('hours: windows are [from, to) in local time (outside_hours)', () => {
    const evening = rulesWith([
      { id: 'a', targeting: { windows: [{ from: '18:00', to: '22:00' }] }, effect: TEN_PERCENT },
    ]);
    expectRefused(price(evening, one), 'a', PromotionReason.outsideHours);
    const morning = rulesWith([
      {
        id: 'a',
        targeting: {
          windows: [
            { from: '09:00', to: '12:00' },
            { from: '12:00', to: '12:01' },
          ],
        },
        effect: TEN_PERCENT,
      },
    ]);
    expectTenPercentApplied(price(morning, one)); // 12:00 is in the second window
    expectRefused(price(morning, one, { now: NOW + MINUTE }), 'a', PromotionReason.outsideHours); // 12:01
    expectTenPercentApplied(price(morning, one, { now: NOW - 3 * 60 * MINUTE })); // 09:00
  });

  it('stores by id (store_not_targeted)', () => {
    const rules = rulesWith([{ id: 'a', targeting: { storeIds: ['store-2'] }, effect: TEN_PERCENT }]);
    expectRefused(price(rules, one), 'a', PromotionReason.storeNotTargeted);
    expectTenPercentApplied(price(rules, one, { storeId: 'store-2' }));
  });

  it('stores by attributes: every key must match one of its values (store_attributes_mismatch)', () => {
    // store-1 is { format: hyper, city: Москва }, store-2 is { format: convenience, city: Казань }.
    const both = rulesWith([
      {
        id: 'a',
        targeting: { storeAttributes: { format: ['hyper', 'super'], city: ['Москва'] } },
        effect: TEN_PERCENT,
      },
    ]);
    expectTenPercentApplied(price(both, one));
    expectRefused(price(both, one, { storeId: 'store-2' }), 'a', PromotionReason.storeAttributesMismatch);
    const cityOnly = rulesWith([
      { id: 'a', targeting: { storeAttributes: { city: ['Казань'] } }, effect: TEN_PERCENT },
    ]);
    expectRefused(price(cityOnly, one), 'a', PromotionReason.storeAttributesMismatch);
    expectTenPercentApplied(price(cityOnly, one, { storeId: 'store-2' }));
    // A store without the attribute at all does not match.
    const cluster = rulesWith([
      { id: 'a', targeting: { storeAttributes: { cluster: ['north'] } }, effect: TEN_PERCENT },
    ]);
    expectRefused(price(cluster, one), 'a', PromotionReason.storeAttributesMismatch);
  });

  it('card required (card_required) for anonymous receipts', () => {
    const rules = rulesWith([{ id: 'a', targeting: { requiresCard: true }, effect: TEN_PERCENT }]);
    expectRefused(price(rules, one, { buyer: null }), 'a', PromotionReason.cardRequired);
    expectTenPercentApplied(price(rules, one));
    // A promotion without buyer targeting also works for anonymous receipts.
    expectTenPercentApplied(price(rulesWith([{ id: 'a', effect: TEN_PERCENT }]), one, { buyer: null }));
  });

  it('card types (card_type_not_targeted)', () => {
    const rules = rulesWith([{ id: 'a', targeting: { cardTypeIds: ['silver'] }, effect: TEN_PERCENT }]);
    expectRefused(price(rules, one), 'a', PromotionReason.cardTypeNotTargeted);
    expectTenPercentApplied(price(rules, one, { buyer: buyerWith(0, { cardTypeId: 'silver' }) }));
  });

  it('segments: any one of the listed (segment_not_targeted)', () => {
    const rules = rulesWith([
      { id: 'a', targeting: { segmentIds: ['vip', 'students'] }, effect: TEN_PERCENT },
    ]);
    expectRefused(
      price(rules, one, { buyer: buyerWith(0, { segmentIds: ['new'] }) }),
      'a',
      PromotionReason.segmentNotTargeted,
    );
    expectTenPercentApplied(price(rules, one, { buyer: buyerWith(0, { segmentIds: ['new', 'students'] }) }));
    expectRefused(price(rules, one, { buyer: null }), 'a', PromotionReason.cardRequired);
  });

  it('named buyers (buyer_not_targeted)', () => {
    const rules = rulesWith([{ id: 'a', targeting: { buyerIds: ['buyer-2'] }, effect: TEN_PERCENT }]);
    expectRefused(price(rules, one), 'a', PromotionReason.buyerNotTargeted);
    expectTenPercentApplied(price(rules, one, { buyer: buyerWith(0, { id: 'buyer-2' }) }));
  });

  it('rewards by current balance: active points within [min, max] (balance_out_of_range)', () => {
    // Between 500.00 and 1000.00 points inclusive.
    const rules = rulesWith([
      { id: 'a', targeting: { balanceMin: 50_000, balanceMax: 100_000 }, effect: TEN_PERCENT },
    ]);
    expectRefused(price(rules, one, { buyer: buyerWith(49_999) }), 'a', PromotionReason.balanceOutOfRange);
    expectTenPercentApplied(price(rules, one, { buyer: buyerWith(50_000) }));
    expectTenPercentApplied(price(rules, one, { buyer: buyerWith(100_000) }));
    expectRefused(price(rules, one, { buyer: buyerWith(100_001) }), 'a', PromotionReason.balanceOutOfRange);
    // Pending points (not active yet) do not count: 400.00 active + 200.00 pending < 500.00.
    const pendingBuyer = buyerWith(40_000, {
      lots: [
        { id: 'lot-1', remaining: 40_000, activatesAt: 0, expiresAt: null },
        { id: 'lot-2', remaining: 20_000, activatesAt: NOW + DAY, expiresAt: null },
      ],
    });
    expectRefused(price(rules, one, { buyer: pendingBuyer }), 'a', PromotionReason.balanceOutOfRange);
  });

  it('receipt sum threshold (receipt_below_minimum) on the receipt before discounts', () => {
    // From 100.00: 60.00 + 39.99 = 99.99 is short by a kopeck; 60.00 + 40.00 reaches it.
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { productIds: ['p1'] },
        conditions: { minReceiptAmount: 10_000 },
        effect: TEN_PERCENT,
      },
    ]);
    expectRefused(
      price(rules, [line('p1', 6_000), line('p2', 3_999)]),
      'a',
      PromotionReason.receiptBelowMinimum,
    );
    // 10 % of 60.00 = 6.00.
    const result = price(rules, [line('p1', 6_000), line('p2', 4_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([600, 0]);
  });

  it('a required product or set in the receipt (required_items_missing)', () => {
    // Bread gets 10 % when the receipt holds 2 units of food (dairy counts) and a beer.
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { productIds: ['bread'] },
        conditions: {
          requiredItems: [{ categoryIds: ['food'], minQuantity: 2_000 }, { productIds: ['beer'] }],
        },
        effect: TEN_PERCENT,
      },
    ]);
    const bread = line('bread', 5_000, 1, null);
    const beer = line('beer', 12_000, 1, 'alcohol');
    // One dairy unit is not enough.
    expectRefused(
      price(rules, [bread, line('milk', 8_000, 1, 'dairy'), beer]),
      'a',
      PromotionReason.requiredItemsMissing,
    );
    // Two dairy units over two lines, but no beer.
    expectRefused(
      price(rules, [bread, line('milk', 8_000, 1, 'dairy'), line('kefir', 9_000, 1, 'dairy')]),
      'a',
      PromotionReason.requiredItemsMissing,
    );
    // Everything present: 10 % of 50.00 = 5.00 on bread only.
    const result = price(rules, [
      bread,
      line('milk', 8_000, 1, 'dairy'),
      line('kefir', 9_000, 1, 'dairy'),
      beer,
    ]);
    expect(result.lines.map((l) => l.discount)).toEqual([500, 0, 0, 0]);
  });

  it('a line marked no-discount refuses discount promotions (line_no_discount)', () => {
    const rules = rulesWith([{ id: 'a', effect: TEN_PERCENT }]);
    const result = price(rules, [{ ...line('tobacco', 20_000), noDiscount: true }, line('p1', 10_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([0, 1_000]);
    expect(result.lines[0]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.lineNoDiscount },
    ]);
  });

  it('a line marked no-accrual refuses points promotions (line_no_accrual)', () => {
    const rules = rulesWith([{ id: 'a', effect: { kind: 'points_percent', percent: 500 } }]);
    const noAccrual = { ...line('tobacco', 20_000), noAccrual: true };
    expectRefused(price(rules, [noAccrual]), 'a', PromotionReason.lineNoAccrual);
    // Next to an ordinary line: 5 % of 100.00 = 5.00 points there only.
    const result = price(rules, [noAccrual, line('p1', 10_000)]);
    expect(result.lines[0]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.lineNoAccrual },
    ]);
    expect(result.lines.map((l) => l.accrual)).toEqual([0, 200 + 500]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, points: 500 });
  });

  it('points promotions need a programme with points (programme_has_no_points)', () => {
    const discountProgramme = { programme: { type: 'discount' as const, defaultCardTypeId: 'standard' } };
    const rules = rulesWith(
      [
        { id: 'a', effect: { kind: 'points_percent', percent: 500 } },
        {
          id: 'b',
          effect: {
            kind: 'gift_points',
            points: 10_000,
            terms: { expiry: { kind: 'never' }, activation: { kind: 'immediate' } },
          },
        },
        { id: 'c', effect: TEN_PERCENT },
      ],
      discountProgramme,
    );
    const result = price(rules, one);
    expectRefused(result, 'a', PromotionReason.programmeHasNoPoints);
    expectRefused(result, 'b', PromotionReason.programmeHasNoPoints);
    expect(outcome(result, 'c')).toMatchObject({ applied: true, discount: 1_000 });
    expect(result.totals.accrual).toBe(0);
  });

  it('points promotions need an identified buyer even without buyer targeting (card_required)', () => {
    const rules = rulesWith([{ id: 'a', effect: { kind: 'points_percent', percent: 500 } }]);
    expectRefused(price(rules, one, { buyer: null }), 'a', PromotionReason.cardRequired);
  });
});

describe('promotions: effects', () => {
  it('discount_percent rounds each line down to the kopeck', () => {
    // 12.5 % of 99.99 = 1249.875 -> 1249; 87.50 left; accrual 2 % of 87.50 = 1.75 -> 2 points.
    const result = price(rulesWith([{ id: 'a', effect: { kind: 'discount_percent', percent: 1_250 } }]), [
      line('p1', 9_999),
    ]);
    expect(result.lines[0]).toMatchObject({ discount: 1_249, amountAfterDiscount: 8_750, accrual: 200 });
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 1_249, points: 0, capped: false },
    ]);
  });

  it('discount_amount per receipt is spread over the promotion lines in proportion', () => {
    // 100.00 over 300.00 and 100.00: 10000 x 3/4 = 7500 and 10000 x 1/4 = 2500.
    const rules = rulesWith([
      { id: 'a', effect: { kind: 'discount_amount', amount: 10_000, per: 'receipt' } },
    ]);
    const result = price(rules, [line('p1', 30_000), line('p2', 10_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([7_500, 2_500]);
    // 100.00 over three 100.00 lines: floor(10000 / 3) = 3333 each, the kopeck left goes to the last.
    const thirds = price(rules, [line('p1', 10_000), line('p2', 10_000), line('p3', 10_000)]);
    expect(thirds.lines.map((l) => l.discount)).toEqual([3_333, 3_333, 3_334]);
    // More than the lines cost: capped at the lines' sum 50.00.
    const small = price(rules, [line('p1', 2_000), line('p2', 3_000)]);
    expect(small.lines.map((l) => l.discount)).toEqual([2_000, 3_000]);
    expect(small.totals.amountAfterDiscount).toBe(0);
  });

  it('discount_amount per unit counts pieces and weight', () => {
    const rules = rulesWith([{ id: 'a', effect: { kind: 'discount_amount', amount: 500, per: 'unit' } }]);
    // 3 pieces x 5.00 = 15.00; 1.250 kg at 100.00/kg: 5.00 x 1.25 = 6.25 off 125.00;
    // 2 pieces of 3.00: 5.00 off each would cross zero, capped at the line's 6.00.
    const result = price(rules, [
      line('p1', 2_000, 3),
      { productId: 'cheese', categoryId: 'dairy', price: 10_000, quantity: 1_250 },
      line('gum', 300, 2),
    ]);
    expect(result.lines.map((l) => l.amount)).toEqual([6_000, 12_500, 600]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_500, 625, 600]);
  });

  it('fixed_price sets the unit price; a dearer fixed price gives nothing', () => {
    // 2 x 99.90 at 79.90: 19980 - 15980 = 4000; 0.5 kg at 200.00/kg fixed at 150.00/kg: 10000 - 7500.
    const rules = rulesWith([{ id: 'a', effect: { kind: 'fixed_price', price: 7_990 } }]);
    const result = price(rules, [line('p1', 9_990, 2)]);
    expect(result.lines[0]).toMatchObject({ amount: 19_980, discount: 4_000, amountAfterDiscount: 15_980 });
    const weighed = rulesWith([{ id: 'a', effect: { kind: 'fixed_price', price: 15_000 } }]);
    const half = price(weighed, [{ productId: 'ham', categoryId: 'food', price: 20_000, quantity: 500 }]);
    expect(half.lines[0]).toMatchObject({ amount: 10_000, discount: 2_500, amountAfterDiscount: 7_500 });
    const dearer = price(rulesWith([{ id: 'a', effect: { kind: 'fixed_price', price: 12_000 } }]), [
      line('p1', 9_990),
    ]);
    expect(dearer.lines[0]?.discount).toBe(0);
    expect(outcome(dearer, 'a')?.applied).toBe(false);
  });

  it('threshold_discount: the highest tier the promotion lines reach (threshold_not_reached)', () => {
    // 5 % from 1000.00, 10 % from 2000.00, over food lines only (alcohol is not targeted).
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { categoryIds: ['food'] },
        effect: {
          kind: 'threshold_discount',
          tiers: [
            { fromAmount: 100_000, percent: 500 },
            { fromAmount: 200_000, percent: 1_000 },
          ],
        },
      },
    ]);
    // Food 999.99 (+ 500.00 alcohol, which does not count): below the first tier.
    const below = price(rules, [line('p1', 99_999), line('wine', 50_000, 1, 'alcohol')]);
    expectRefused(below, 'a', PromotionReason.thresholdNotReached);
    // Food 1200.00 + 300.00 = 1500.00: 5 % -> 60.00 and 15.00.
    const first = price(rules, [line('p1', 120_000), line('p2', 30_000)]);
    expect(first.lines.map((l) => l.discount)).toEqual([6_000, 1_500]);
    // Food 1500.00 + 500.00 = 2000.00 exactly: 10 % -> 150.00 and 50.00.
    const second = price(rules, [line('p1', 150_000), line('p2', 50_000)]);
    expect(second.lines.map((l) => l.discount)).toEqual([15_000, 5_000]);
  });

  it('ladder: 1st unit full price, 2nd -10 %, 3rd and later -20 % (dearest first)', () => {
    const rules = rulesWith([{ id: 'a', effect: { kind: 'ladder', steps: [0, 1_000, 2_000] } }]);
    // 4 x 100.00: 0 + 10.00 + 20.00 + 20.00 = 50.00.
    expect(price(rules, [line('p1', 10_000, 4)]).lines[0]?.discount).toBe(5_000);
    // Units by price: 300.00 (p1) 0 %, 100.00 (p2) 10 % = 10.00, 100.00 (p2) 20 % = 20.00,
    // 50.00 (p3) 20 % = 10.00. The dearest line pays full price: its units were not far enough.
    const result = price(rules, [line('p3', 5_000), line('p1', 30_000), line('p2', 10_000, 2)]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_000, 0, 3_000]);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.notEnoughItems },
    ]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, discount: 4_000 });
    // A single unit never reaches the 2nd step.
    expectRefused(price(rules, [line('p1', 10_000)]), 'a', PromotionReason.notEnoughItems);
  });

  it('buy_x_get_y: in each group of buy + get units (dearest first) the cheapest get theirs', () => {
    const twoPlusOne = rulesWith([{ id: 'a', effect: { kind: 'buy_x_get_y', buy: 2, get: 1 } }]);
    // 300.00, 200.00, 100.00: the 100.00 one is free; the others are the "buy" part.
    const three = price(twoPlusOne, [line('p1', 30_000), line('p2', 20_000), line('p3', 10_000)]);
    expect(three.lines.map((l) => l.discount)).toEqual([0, 0, 10_000]);
    expect(three.lines[0]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.notEnoughItems },
    ]);
    expect(three.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.notEnoughItems },
    ]);
    // Units 300, 300, 100 | 100, 100, 100: two groups, one free 100.00 in each.
    const six = price(twoPlusOne, [line('p1', 30_000, 2), line('p2', 10_000, 4)]);
    expect(six.lines.map((l) => l.discount)).toEqual([0, 20_000]);
    // Two units make no group.
    expectRefused(price(twoPlusOne, [line('p1', 30_000, 2)]), 'a', PromotionReason.notEnoughItems);
    // 5 units, 2 + 1 at 50 %: one full group, its 3rd unit half price; units 4 and 5 pay full.
    const half = rulesWith([{ id: 'a', effect: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 5_000 } }]);
    expect(price(half, [line('p1', 10_000, 5)]).lines[0]?.discount).toBe(5_000);
  });

  it('gift_line asks the till to add a free product', () => {
    const rules = rulesWith([
      { id: 'a', targeting: { productIds: ['coffee'] }, effect: { kind: 'gift_line', productId: 'mug' } },
    ]);
    const result = price(rules, [line('coffee', 50_000), line('p1', 10_000)]);
    expect(result.giftLines).toEqual([{ promotionId: 'a', productId: 'mug', quantity: 1_000 }]);
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 0, points: 0, capped: false },
    ]);
    expect(outcome(result, 'a')).toEqual({
      promotionId: 'a',
      applied: true,
      reason: null,
      discount: 0,
      points: 0,
    });
    expect(result.totals.discount).toBe(0);
    // No coffee, no mug.
    expect(price(rules, [line('p1', 10_000)]).giftLines).toEqual([]);
  });

  it('points_percent accrues extra points on the money paid, rounded as the line rule says', () => {
    const rules = rulesWith([{ id: 'a', effect: { kind: 'points_percent', percent: 500 } }]);
    // 100.00 paid in money: rule 2 % = 2.00, promotion 5 % = 5.00.
    const result = price(rules, [line('p1', 10_000)]);
    expect(result.lines[0]?.accrual).toBe(700);
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 0, points: 500, capped: false },
    ]);
    expect(outcome(result, 'a')).toEqual({
      promotionId: 'a',
      applied: true,
      reason: null,
      discount: 0,
      points: 500,
    });
    expect(result.accruals).toEqual([
      { source: 'purchase', promotionId: null, points: 200, activatesAt: NOW, expiresAt: NOW + 365 * DAY },
      { source: 'promotion', promotionId: 'a', points: 500, activatesAt: NOW, expiresAt: NOW + 365 * DAY },
    ]);
    // Paying 50.00 with points leaves 50.00 paid in money: 2 % = 1.00, 5 % = 2.50 -> 3 points (half up).
    const paying = price(rules, [line('p1', 10_000)], { buyer: buyerWith(100_000), pointsToPay: 5_000 });
    expect(paying.lines[0]?.accrual).toBe(100 + 300);
  });

  it('gift_points: a fixed gift with its own expiry and activation, once per receipt', () => {
    const rules = rulesWith([
      {
        id: 'a',
        effect: {
          kind: 'gift_points',
          points: 15_000,
          terms: { expiry: { kind: 'days', days: 30 }, activation: { kind: 'after_days', days: 7 } },
        },
      },
    ]);
    // Two lines, one gift of 150.00 points; the purchase itself earns 2 % of 300.00 = 6.00.
    const result = price(rules, [line('p1', 10_000), line('p2', 20_000)]);
    expect(outcome(result, 'a')).toEqual({
      promotionId: 'a',
      applied: true,
      reason: null,
      discount: 0,
      points: 15_000,
    });
    expect(result.accruals).toContainEqual({
      source: 'promotion_gift',
      promotionId: 'a',
      points: 15_000,
      activatesAt: NOW + 7 * DAY,
      expiresAt: NOW + 30 * DAY,
    });
    expect(result.totals.accrual).toBe(200 + 400 + 15_000);
    expectRefused(price(rules, [line('p1', 10_000)], { buyer: null }), 'a', PromotionReason.cardRequired);
  });

  it('flags_only acts through its flags alone', () => {
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { productIds: ['p1'] },
        effect: { kind: 'flags_only' },
        flags: { forbidPointsPayment: true },
      },
    ]);
    const result = price(rules, [line('p1', 10_000), line('p2', 5_000)], { buyer: buyerWith(100_000) });
    expect(result.lines.map((l) => l.maxPoints)).toEqual([0, 5_000]);
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 0, points: 0, capped: false },
    ]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, discount: 0, points: 0 });
  });
});

describe('promotions: flags', () => {
  it('forbidPointsPayment: the discounted lines cannot be paid with points', () => {
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { productIds: ['p1'] },
        effect: TEN_PERCENT,
        flags: { forbidPointsPayment: true },
      },
    ]);
    // p1 90.00 may take no points; p2 50.00 up to 100 %: max 50.00 of the 140.00 left.
    const result = price(rules, [line('p1', 10_000), line('p2', 5_000)], {
      buyer: buyerWith(100_000),
      pointsToPay: 'max',
    });
    expect(result.lines.map((l) => l.maxPoints)).toEqual([0, 5_000]);
    expect(result.lines.map((l) => l.pointsPaid)).toEqual([0, 5_000]);
    expect(result.pointsPayment).toMatchObject({ maximum: 5_000, limitedBy: 'line_caps' });
    // Accrual on money paid: 2 % of 90.00 = 1.80 -> 2 points; p2 paid fully in points: 0.
    expect(result.lines.map((l) => l.accrual)).toEqual([200, 0]);
  });

  it('noAccrualOnDiscounted: no points on the lines this promotion discounted', () => {
    const rules = rulesWith([
      {
        id: 'a',
        targeting: { productIds: ['p1'] },
        effect: TEN_PERCENT,
        flags: { noAccrualOnDiscounted: true },
      },
    ]);
    // p1 discounted to 90.00: no accrual; p2 50.00: 2 % = 1.00.
    const result = price(rules, [line('p1', 10_000), line('p2', 5_000)]);
    expect(result.lines.map((l) => l.accrual)).toEqual([0, 100]);
    expect(result.totals.accrual).toBe(100);
  });

  it('noAccrualOnDiscounted also stops points promotions on those lines, and says so', () => {
    // a: 10 % off p1 with no accrual there; b: 5 % in points on every line.
    // p1: no points at all (line_no_accrual for b); p2 50.00: rule 2 % = 1.00, b 5 % = 2.50 -> 3 points.
    const rules = rulesWith([
      {
        id: 'a',
        priority: 1,
        targeting: { productIds: ['p1'] },
        effect: TEN_PERCENT,
        flags: { noAccrualOnDiscounted: true },
      },
      { id: 'b', effect: { kind: 'points_percent', percent: 500 } },
    ]);
    const result = price(rules, [line('p1', 10_000), line('p2', 5_000)]);
    expect(result.lines.map((l) => l.accrual)).toEqual([0, 100 + 300]);
    expect(result.lines[0]?.considered).toEqual([
      { promotionId: 'b', reason: PromotionReason.lineNoAccrual },
    ]);
    expect(outcome(result, 'b')).toMatchObject({ applied: true, points: 300 });
  });

  it('requiresConfirmationCode: the result asks the till for the buyer code', () => {
    const flagged = rulesWith([{ id: 'a', effect: TEN_PERCENT, flags: { requiresConfirmationCode: true } }]);
    expect(price(flagged, [line('p1', 10_000)]).requiresConfirmationCode).toBe(true);
    expect(
      price(rulesWith([{ id: 'a', effect: TEN_PERCENT }]), [line('p1', 10_000)]).requiresConfirmationCode,
    ).toBe(false);
    // A promotion that does not act does not ask.
    const elsewhere = rulesWith([
      {
        id: 'a',
        targeting: { storeIds: ['store-2'] },
        effect: TEN_PERCENT,
        flags: { requiresConfirmationCode: true },
      },
    ]);
    expect(price(elsewhere, [line('p1', 10_000)]).requiresConfirmationCode).toBe(false);
  });
});

describe('promotions: limits per receipt', () => {
  it('maxDiscount cuts the discount in proportion over the lines', () => {
    // 10 % of 300.00 and 100.00 = 30.00 + 10.00 = 40.00, limited to 20.00: 15.00 and 5.00.
    const rules = rulesWith([{ id: 'a', effect: TEN_PERCENT, limits: { maxDiscount: 2_000 } }]);
    const result = price(rules, [line('p1', 30_000), line('p2', 10_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([1_500, 500]);
    expect(result.lines.map((l) => l.applied)).toEqual([
      [{ source: 'promotion', promotionId: 'a', discount: 1_500, points: 0, capped: true }],
      [{ source: 'promotion', promotionId: 'a', discount: 500, points: 0, capped: true }],
    ]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, discount: 2_000 });
  });

  it('maxDiscount: a line left with nothing says limit_reached, a zero limit refuses it all', () => {
    // 10.00 + 10.00 wanted, 0.01 allowed: floor shares are 0 and 0, the kopeck goes to the later line.
    const one = rulesWith([{ id: 'a', effect: TEN_PERCENT, limits: { maxDiscount: 1 } }]);
    const result = price(one, [line('p1', 10_000), line('p2', 10_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([0, 1]);
    expect(result.lines[0]?.considered).toEqual([{ promotionId: 'a', reason: PromotionReason.limitReached }]);
    const zero = rulesWith([{ id: 'a', effect: TEN_PERCENT, limits: { maxDiscount: 0 } }]);
    expectRefused(price(zero, [line('p1', 10_000)]), 'a', PromotionReason.limitReached);
  });

  it('maxDiscount: a line the floor already emptied says min_price_reached, not limit_reached', () => {
    // p1 sits at its floor (minPrice = price): 0 allowed. p2 wants 10.00, the limit lets 5.00 through.
    const rules = rulesWith([{ id: 'a', effect: TEN_PERCENT, limits: { maxDiscount: 500 } }]);
    const result = price(rules, [{ ...line('p1', 10_000), minPrice: 10_000 }, line('p2', 10_000)]);
    expect(result.lines.map((l) => l.discount)).toEqual([0, 500]);
    expect(result.lines[0]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.minPriceReached },
    ]);
    expect(result.lines[1]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 500, points: 0, capped: true },
    ]);
  });

  it('maxAccrual caps points_percent in proportion and marks it capped', () => {
    // 5 % of 100.00 and 300.00 = 5.00 + 15.00 = 20.00 points, capped at 10.00: 2.50 and 7.50.
    const rules = rulesWith([
      { id: 'a', effect: { kind: 'points_percent', percent: 500 }, limits: { maxAccrual: 1_000 } },
    ]);
    const result = price(rules, [line('p1', 10_000), line('p2', 30_000)]);
    expect(result.lines.map((l) => l.applied)).toEqual([
      [{ source: 'promotion', promotionId: 'a', discount: 0, points: 250, capped: true }],
      [{ source: 'promotion', promotionId: 'a', discount: 0, points: 750, capped: true }],
    ]);
    // Plus the rule's 2 %: 2.00 and 6.00.
    expect(result.lines.map((l) => l.accrual)).toEqual([450, 1_350]);
    expect(outcome(result, 'a')?.points).toBe(1_000);
    expect(result.totals.accrual).toBe(1_800);
  });

  it('maxAccrual caps gift points', () => {
    const rules = rulesWith([
      {
        id: 'a',
        effect: {
          kind: 'gift_points',
          points: 15_000,
          terms: { expiry: { kind: 'never' }, activation: { kind: 'immediate' } },
        },
        limits: { maxAccrual: 10_000 },
      },
    ]);
    const result = price(rules, [line('p1', 10_000)]);
    expect(outcome(result, 'a')?.points).toBe(10_000);
    expect(result.accruals).toContainEqual({
      source: 'promotion_gift',
      promotionId: 'a',
      points: 10_000,
      activatesAt: NOW,
      expiresAt: null,
    });
  });

  it('maxPointsPayment caps the points payable on the receipt', () => {
    // Balance 1000.00, receipt 100.00 payable in full, promotion allows 30.00.
    const rules = rulesWith([
      { id: 'a', effect: { kind: 'flags_only' }, limits: { maxPointsPayment: 3_000 } },
    ]);
    const buyer = buyerWith(100_000);
    const result = price(rules, [line('p1', 10_000)], { buyer, pointsToPay: 'max' });
    expect(result.pointsPayment).toMatchObject({
      maximum: 3_000,
      limitedBy: 'promotion_limit',
      applied: 3_000,
    });
    const tooMuch = calculate(rules, {
      receipt: { storeId: 'store-1', lines: [line('p1', 10_000)], pointsToPay: 3_001 },
      buyer,
      now: NOW,
    });
    expect(tooMuch.ok).toBe(false);
    if (!tooMuch.ok)
      expect(tooMuch.error).toMatchObject({
        code: 'points_exceed_maximum',
        details: { requested: 3_001, maximum: 3_000, limitedBy: 'promotion_limit' },
      });
  });
});

describe('promotions: the minimum price per item', () => {
  it('no discount crosses it; the next promotion finds the line at its floor (min_price_reached)', () => {
    // 100.00 with a floor of 95.00: 10 % wants 10.00, gets 5.00 (capped); 5 % then wants 4.75, gets 0.
    const rules = rulesWith([
      { id: 'a', priority: 10, effect: TEN_PERCENT },
      { id: 'b', effect: { kind: 'discount_percent', percent: 500 } },
    ]);
    const result = price(rules, [{ ...line('p1', 10_000), minPrice: 9_500 }], { buyer: buyerWith(100_000) });
    expect(result.lines[0]).toMatchObject({ discount: 500, amountAfterDiscount: 9_500, maxPoints: 0 });
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'a', discount: 500, points: 0, capped: true },
    ]);
    expectRefused(result, 'b', PromotionReason.minPriceReached);
  });

  it('counts per unit: 3 x 100.00 with a 95.00 floor may lose 15.00 in all', () => {
    // 20 % of 300.00 = 60.00 wanted; 300.00 - 3 x 95.00 = 15.00 allowed; points may pay nothing.
    const rules = rulesWith([{ id: 'a', effect: { kind: 'discount_percent', percent: 2_000 } }]);
    const result = price(rules, [{ ...line('p1', 10_000, 3), minPrice: 9_500 }, line('p2', 10_000)], {
      buyer: buyerWith(100_000),
    });
    expect(result.lines.map((l) => l.discount)).toEqual([1_500, 2_000]);
    expect(result.lines.map((l) => l.maxPoints)).toEqual([0, 8_000]);
  });
});
