// Properties of the engine over random programmes, promotions, receipts and buyers:
// sums to the kopeck, minimum prices, payment caps, non-negative accrual, independence from the
// order of promotions and coupon series, 'max' = its number, and no throws on any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulDivRound } from '#money/money.ts';
import { prepareRules, type PreparedRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import type { Result } from '#shared/result.ts';
import { THURSDAY_NOON_MSK } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';
import type { Calculation } from './calculation-result.ts';

type RuleIn = RulesSnapshotInput['rules'][number];
type PromotionIn = NonNullable<RulesSnapshotInput['promotions']>[number];
type HappyHourIn = NonNullable<RulesSnapshotInput['happyHours']>[number];
type SeriesIn = NonNullable<RulesSnapshotInput['couponSeries']>[number];
type LotTermsIn = { expiry: RuleIn['expiry']; activation: RuleIn['activation'] };

const PRODUCTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const CATEGORIES = ['food', 'dairy', 'yogurt', 'alcohol', 'household'];
const CARD_TYPES = ['standard', 'silver', 'gold'];
const STORES = ['store-1', 'store-2'];
const DAY = 86_400_000;

/** Mostly `usual`, sometimes a value of `arb`: keeps targeting loose enough for promotions to act. */
const sometimes = <T>(arb: fc.Arbitrary<T>, usual: T, weight = 3) =>
  fc.oneof({ weight, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: arb });

const percent = fc.oneof(
  fc.constantFrom(0, 500, 1_000, 3_333, 5_000, 10_000),
  fc.integer({ min: 0, max: 10_000 }),
);
const smallPoints = fc.integer({ min: 0, max: 50_000 });

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const window = fc
  .tuple(fc.integer({ min: 0, max: 1_440 }), fc.integer({ min: 0, max: 1_440 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ from: clock(Math.min(a, b)), to: clock(Math.max(a, b)) }));
const days = fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 });

const accrual: fc.Arbitrary<RuleIn['accrual']> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('percent' as const), percent }),
  fc
    .record({
      everyKopecks: fc.integer({ min: 1, max: 100_000 }),
      points: fc.integer({ min: 0, max: 5_000 }),
    })
    .map(({ everyKopecks, points }) => ({
      kind: 'per_amount' as const,
      everyKopecks,
      points: Math.min(points, everyKopecks * 100),
    })),
  fc.record({
    kind: fc.constant('progressive' as const),
    tiers: fc.array(fc.record({ fromReceiptAmount: fc.integer({ min: 0, max: 300_000 }), percent }), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
);

const expiry: fc.Arbitrary<RuleIn['expiry']> = fc.oneof(
  fc.constant({ kind: 'never' as const }),
  // Longer than the longest activation below: points that expire before activating are refused.
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 31, max: 400 }) }),
  fc.record({
    kind: fc.constant('fixed_dates' as const),
    dates: fc.subarray(['01-01', '03-08', '07-01', '02-29', '12-31'], { minLength: 1 }),
  }),
);
const activation: fc.Arbitrary<RuleIn['activation']> = fc.oneof(
  fc.constant({ kind: 'immediate' as const }),
  fc.record({ kind: fc.constant('after_days' as const), days: fc.integer({ min: 1, max: 30 }) }),
);
const terms: fc.Arbitrary<LotTermsIn> = fc.record({ expiry, activation });

const payment: fc.Arbitrary<RuleIn['payment']> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'forbidden' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('up_to' as const),
      percent,
      minPoints: sometimes(fc.integer({ min: 0, max: 20_000 }), 0),
    }),
  },
);

const ruleBody = fc.record({
  accrual,
  accrualBase: fc.constantFrom('paid' as const, 'full' as const),
  rounding: fc.constantFrom('down_whole' as const, 'nearest_whole' as const, 'hundredth' as const),
  expiry,
  activation,
  payment,
  discountPercent: sometimes(percent, 0, 1),
});

/** A default rule for every card type plus rules for a random set of categories. */
const rules: fc.Arbitrary<RuleIn[]> = fc
  .tuple(
    ...CARD_TYPES.map((cardTypeId) =>
      fc
        .tuple(
          ruleBody,
          fc
            .subarray(CATEGORIES)
            .chain((categories) =>
              fc.tuple(...categories.map(() => ruleBody)).map((bodies) => ({ categories, bodies })),
            ),
        )
        .map(([defaultBody, { categories, bodies }]): RuleIn[] => [
          { id: `r-${cardTypeId}`, cardTypeId, categoryId: null, ...defaultBody },
          ...categories.map((categoryId, k) => ({
            id: `r-${cardTypeId}-${categoryId}`,
            cardTypeId,
            categoryId,
            ...bodies[k]!,
          })),
        ]),
    ),
  )
  .map((perType) => perType.flat());

const happyHour = fc.record({
  name: fc.constant(''),
  days,
  windows: fc.array(window, { minLength: 1, maxLength: 2 }),
  cardTypeIds: sometimes(fc.subarray(CARD_TYPES), []),
  categoryIds: sometimes(fc.subarray(CATEGORIES), []),
  storeIds: sometimes(fc.subarray(STORES), []),
  accrual: fc.option(accrual),
  discountPercent: fc.option(percent),
});

const effect: fc.Arbitrary<PromotionIn['effect']> = fc.oneof(
  fc.record({ kind: fc.constant('discount_percent' as const), percent }),
  fc.record({
    kind: fc.constant('discount_amount' as const),
    amount: fc.integer({ min: 0, max: 50_000 }),
    per: fc.constantFrom('receipt' as const, 'unit' as const),
  }),
  fc.record({ kind: fc.constant('fixed_price' as const), price: fc.integer({ min: 0, max: 100_000 }) }),
  fc.record({
    kind: fc.constant('threshold_discount' as const),
    tiers: fc.array(fc.record({ fromAmount: fc.integer({ min: 0, max: 200_000 }), percent }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({
    kind: fc.constant('ladder' as const),
    steps: fc.array(percent, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('buy_x_get_y' as const),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    percent,
  }),
  fc.record({
    kind: fc.constant('gift_line' as const),
    productId: fc.constantFrom(...PRODUCTS),
    quantity: fc.constantFrom(1_000, 2_000),
  }),
  fc.record({ kind: fc.constant('points_percent' as const), percent }),
  fc.record({ kind: fc.constant('gift_points' as const), points: smallPoints, terms }),
  fc.constant({ kind: 'flags_only' as const }),
);

const promotionBody = fc.record({
  priority: fc.constantFrom(-1, 0, 0, 1, 2),
  from: sometimes(
    fc.integer({ min: -3, max: 3 }).map((d) => THURSDAY_NOON_MSK + d * DAY),
    null,
  ),
  to: sometimes(
    fc.integer({ min: -3, max: 3 }).map((d) => THURSDAY_NOON_MSK + d * DAY),
    null,
  ),
  archived: sometimes(fc.constant(true), false, 8),
  targeting: fc.record({
    productIds: sometimes(fc.subarray(PRODUCTS, { minLength: 1 }), [], 2),
    categoryIds: sometimes(fc.subarray(CATEGORIES, { minLength: 1 }), [], 2),
    excludeProductIds: sometimes(fc.subarray(PRODUCTS), []),
    excludeCategoryIds: sometimes(fc.subarray(CATEGORIES), []),
    storeIds: sometimes(fc.subarray(STORES), []),
    storeAttributes: sometimes(fc.constant<Record<string, string[]>>({ format: ['hyper'] }), {}, 6),
    cardTypeIds: sometimes(fc.subarray(CARD_TYPES), []),
    segmentIds: sometimes(fc.subarray(['seg-1', 'seg-2']), [], 6),
    buyerIds: sometimes(fc.subarray(['buyer-1', 'buyer-2']), [], 6),
    days: sometimes(days, []),
    windows: sometimes(fc.array(window, { minLength: 1, maxLength: 2 }), []),
    requiresCard: sometimes(fc.constant(true), false),
    favouriteCategoriesOnly: sometimes(fc.constant(true), false, 6),
    balanceMin: sometimes(smallPoints, null, 6),
    balanceMax: sometimes(smallPoints, null, 6),
  }),
  conditions: fc.record({
    minReceiptAmount: sometimes(fc.integer({ min: 0, max: 200_000 }), null),
    requiredItems: sometimes(
      fc.array(
        fc.record({
          productIds: fc.subarray(PRODUCTS),
          categoryIds: fc.subarray(CATEGORIES),
          minQuantity: fc.constantFrom(500, 1_000, 2_000),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      [],
      5,
    ),
  }),
  effect,
  stacking: fc.record({
    stackable: fc.boolean(),
    exclusivityGroup: sometimes(fc.constantFrom('g1', 'g2'), null, 2),
    base: fc.constantFrom('original' as const, 'discounted' as const),
    excludesCardDiscount: fc.boolean(),
  }),
  flags: fc.record({
    forbidPointsPayment: sometimes(fc.constant(true), false),
    noAccrualOnDiscounted: fc.boolean(),
    requiresConfirmationCode: sometimes(fc.constant(true), false),
  }),
  limits: fc.record({
    maxDiscount: sometimes(fc.integer({ min: 0, max: 20_000 }), null),
    maxAccrual: sometimes(fc.integer({ min: 0, max: 5_000 }), null),
    maxPointsPayment: sometimes(fc.integer({ min: 0, max: 20_000 }), null, 5),
  }),
  withCoupon: sometimes(fc.constant(true), false),
  series: fc.record({
    usage: fc.constantFrom('single' as const, 'multi' as const),
    requiresBuyer: fc.boolean(),
    maxUsesPerBuyer: fc.option(fc.integer({ min: 1, max: 2 })),
  }),
});

const snapshot: fc.Arbitrary<RulesSnapshotInput> = fc
  .record({
    type: fc.constantFrom('bonus' as const, 'discount' as const, 'combined' as const),
    redemptionRequiresCode: fc.boolean(),
    rules,
    happyHours: fc.array(happyHour, { maxLength: 2 }),
    promotions: fc.array(promotionBody, { maxLength: 8 }),
    firstPurchase: fc.option(fc.record({ points: smallPoints, terms })),
    referral: fc.record({
      levels: fc.array(
        fc.record({
          level: fc.integer({ min: 1, max: 3 }),
          reward: fc.oneof(
            fc.record({ kind: fc.constant('percent' as const), percent }),
            fc.record({ kind: fc.constant('fixed' as const), points: smallPoints }),
          ),
          cardTypeIds: sometimes(fc.subarray(CARD_TYPES), []),
        }),
        { maxLength: 3 },
      ),
      periodDays: fc.option(fc.integer({ min: 1, max: 60 })),
      terms,
    }),
  })
  .map((s) => {
    const promotions: PromotionIn[] = [];
    const couponSeries: SeriesIn[] = [];
    s.promotions.forEach(({ withCoupon, series, targeting, ...body }, i) => {
      const id = `promo-${i}`;
      const seriesId = withCoupon ? `series-${i}` : null;
      promotions.push({ id, ...body, targeting: { ...targeting, couponSeriesId: seriesId } });
      if (seriesId) couponSeries.push({ id: seriesId, promotionId: id, ...series });
    });
    return {
      version: 'prop',
      timeZone: 'Europe/Moscow',
      programme: {
        type: s.type,
        defaultCardTypeId: 'standard',
        redemptionRequiresCode: s.redemptionRequiresCode,
      },
      cardTypes: [
        { id: 'standard', name: 'Стандартная', rank: 0, threshold: null, issue: 'default' as const },
        { id: 'silver', name: 'Серебряная', rank: 1, threshold: 5_000_000, issue: 'threshold' as const },
        { id: 'gold', name: 'Золотая', rank: 2, threshold: null, issue: 'manual' as const },
      ],
      categories: [
        { id: 'food', parentId: null },
        { id: 'dairy', parentId: 'food' },
        { id: 'yogurt', parentId: 'dairy' },
        { id: 'alcohol', parentId: null },
        { id: 'household', parentId: null },
      ],
      stores: [
        { id: 'store-1', attributes: { format: 'hyper', city: 'Москва' } },
        { id: 'store-2', attributes: { format: 'convenience', city: 'Казань' } },
      ],
      rules: s.rules,
      happyHours: s.happyHours.map((h, i): HappyHourIn => ({ id: `hh-${i}`, ...h })),
      promotions,
      couponSeries,
      gifts: { firstPurchase: s.firstPurchase },
      referral: s.referral,
    };
  });

const receiptLine = fc
  .record({
    productId: fc.constantFrom(...PRODUCTS),
    categoryId: fc.constantFrom(...CATEGORIES, null),
    quantity: fc.oneof(
      fc.integer({ min: 1, max: 5 }).map((n) => n * 1_000),
      fc.integer({ min: 1, max: 3_000 }),
    ),
    price: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 300 })),
    minPriceShare: sometimes(fc.double({ min: 0, max: 1.2, noNaN: true }), 0, 1),
    noDiscount: sometimes(fc.constant(true), false, 6),
    noAccrual: sometimes(fc.constant(true), false, 6),
    noPointsPayment: sometimes(fc.constant(true), false, 6),
  })
  .map(({ minPriceShare, ...l }) => ({ ...l, minPrice: Math.floor(l.price * minPriceShare) }));

const lot = fc.record({
  remaining: fc.integer({ min: 0, max: 100_000 }),
  activatesAt: fc.integer({ min: -10, max: 3 }).map((d) => THURSDAY_NOON_MSK + d * DAY),
  expiresAt: fc.option(fc.integer({ min: -2, max: 400 }).map((d) => THURSDAY_NOON_MSK + d * DAY)),
});

const buyer = fc.option(
  fc
    .record({
      id: fc.constantFrom('buyer-1', 'buyer-2'),
      cardTypeId: fc.constantFrom(...CARD_TYPES),
      segmentIds: fc.subarray(['seg-1', 'seg-2']),
      favouriteCategoryIds: fc.subarray(CATEGORIES),
      lots: fc.array(lot, { maxLength: 4 }),
      debt: sometimes(fc.integer({ min: 0, max: 20_000 }), 0),
      reserved: sometimes(fc.integer({ min: 0, max: 20_000 }), 0),
      purchasesCount: fc.integer({ min: 0, max: 2 }),
      registeredAt: fc.option(fc.integer({ min: 0, max: 90 }).map((d) => THURSDAY_NOON_MSK - d * DAY)),
      referrers: fc.uniqueArray(
        fc.record({
          buyerId: fc.constantFrom('ref-a', 'ref-b', 'ref-c'),
          level: fc.integer({ min: 1, max: 3 }),
          cardTypeId: fc.constantFrom(...CARD_TYPES),
        }),
        { maxLength: 3, selector: (r) => r.level },
      ),
    })
    .map((b) => ({ ...b, lots: b.lots.map((l, i) => ({ id: `lot-${i}`, ...l })) })),
  { freq: 4 },
);

/** A random snapshot with a receipt priced against it; coupons name the snapshot's series. */
const scenario = snapshot.chain((snap) =>
  fc.record({
    snapshot: fc.constant(snap),
    receipt: fc.record({
      storeId: fc.constantFrom(...STORES),
      lines: fc.array(receiptLine, { minLength: 1, maxLength: 6 }),
      coupons: fc
        .tuple(
          fc.subarray((snap.couponSeries ?? []).map((s) => s.id)),
          fc.boolean(),
          fc.integer({ min: 0, max: 1 }),
        )
        .map(([ids, unknown, uses]) => [
          ...ids.map((seriesId) => ({ code: `code-${seriesId}`, seriesId, uses })),
          ...(unknown ? [{ code: 'nobody-knows', seriesId: null }] : []),
        ]),
      pointsToPay: fc.oneof(
        fc.constant<'max' | number>('max'),
        fc.constant(0),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 150_000 }),
      ),
    }),
    buyer,
    now: fc.integer({ min: -2 * 24 * 60, max: 5 * 24 * 60 }).map((m) => THURSDAY_NOON_MSK + m * 60_000),
  }),
);
type Scenario = {
  snapshot: RulesSnapshotInput;
  receipt: { pointsToPay: 'max' | number };
  buyer: unknown;
  now: number;
};

function prepare(snap: RulesSnapshotInput): PreparedRules {
  const result = prepareRules(snap);
  if (!result.ok) throw new Error(`generated snapshot is invalid: ${JSON.stringify(result.error.details)}`);
  return result.value;
}

function price(s: Scenario, rules = prepare(s.snapshot)): Result<Calculation> {
  return calculate(rules, { receipt: s.receipt, buyer: s.buyer, now: s.now });
}

/** Reorders `list` by the random keys (Fisher-Yates driven by the keys). */
function permute<T>(list: readonly T[], keys: readonly number[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (keys[i % Math.max(1, keys.length)] ?? 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const RUNS = 500;

describe('engine properties over random programmes, promotions, receipts and buyers', () => {
  it('prices every generated receipt or refuses only a points request outside [minimum, maximum]', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const rules = prepare(s.snapshot);
        const max = price({ ...s, receipt: { ...s.receipt, pointsToPay: 'max' } }, rules);
        if (!max.ok) throw new Error(`'max' refused: ${JSON.stringify(max.error)}`);
        const result = price(s, rules);
        const requested = s.receipt.pointsToPay;
        const { maximum, minimum } = max.value.pointsPayment;
        if (requested === 'max' || requested === 0) expect(result.ok).toBe(true);
        else if (requested > maximum)
          expect(result.ok ? null : result.error.code).toBe('points_exceed_maximum');
        else if (requested < minimum)
          expect(result.ok ? null : result.error.code).toBe('points_below_minimum');
        else expect(result.ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('adds up to the kopeck, keeps minimum prices and payment caps, never accrues negative points', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (generated, payMax) => {
        const s = payMax
          ? { ...generated, receipt: { ...generated.receipt, pointsToPay: 'max' as const } }
          : generated;
        const result = price(s);
        if (!result.ok) return;
        const r = result.value;
        const lines = r.lines;
        // Line sums equal totals exactly.
        expect(sum(lines.map((l) => l.amount))).toBe(r.totals.amount);
        expect(sum(lines.map((l) => l.discount))).toBe(r.totals.discount);
        expect(sum(lines.map((l) => l.amountAfterDiscount))).toBe(r.totals.amountAfterDiscount);
        expect(sum(lines.map((l) => l.pointsPaid))).toBe(r.totals.pointsPaid);
        expect(sum(lines.map((l) => l.paidMoney))).toBe(r.totals.paidMoney);
        expect(r.totals.amount - r.totals.discount).toBe(r.totals.amountAfterDiscount);
        expect(r.totals.amountAfterDiscount - r.totals.pointsPaid).toBe(r.totals.paidMoney);
        expect(sum(r.accruals.map((a) => a.points))).toBe(r.totals.accrual);

        lines.forEach((l) => {
          const amount = mulDivRound(l.price, l.quantity, 1_000);
          const input = (s.receipt as { lines: Array<{ minPrice: number }> }).lines[l.index]!;
          const floor = mulDivRound(input.minPrice, l.quantity, 1_000);
          expect(l.amount).toBe(amount);
          expect(l.amount - l.discount).toBe(l.amountAfterDiscount);
          expect(l.amountAfterDiscount - l.pointsPaid).toBe(l.paidMoney);
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.pointsPaid).toBeGreaterThanOrEqual(0);
          // Minimum price: neither discounts nor points take a line below it; a line already
          // priced below its minimum is left alone.
          if (floor >= amount) {
            expect(l.discount).toBe(0);
            expect(l.pointsPaid).toBe(0);
          } else {
            expect(l.amountAfterDiscount).toBeGreaterThanOrEqual(floor);
            expect(l.paidMoney).toBeGreaterThanOrEqual(floor);
          }
          // Payment caps.
          expect(l.pointsPaid).toBeLessThanOrEqual(l.maxPoints);
          expect(l.maxPoints).toBeLessThanOrEqual(l.amountAfterDiscount);
          // Accrual.
          expect(l.accrual).toBeGreaterThanOrEqual(0);
          expect(Number.isSafeInteger(l.accrual)).toBe(true);
        });
        const p = r.pointsPayment;
        expect(r.totals.pointsPaid).toBe(p.applied);
        expect(p.applied).toBeLessThanOrEqual(p.maximum);
        expect(p.maximum).toBeLessThanOrEqual(p.available);
        expect(p.maximum).toBeLessThanOrEqual(sum(lines.map((l) => l.maxPoints)));
        if (p.maximum > 0) expect(p.maximum).toBeGreaterThanOrEqual(p.minimum);
        expect(sum(p.consumedLots.map((c) => c.points))).toBe(p.applied);
        for (const a of r.accruals) {
          expect(a.points).toBeGreaterThan(0);
          expect(a.activatesAt).toBeGreaterThanOrEqual(s.now);
          if (a.expiresAt !== null) expect(a.expiresAt).toBeGreaterThan(a.activatesAt);
        }
        for (const reward of r.referralRewards) expect(reward.points).toBeGreaterThan(0);
        if (s.snapshot.programme.type === 'discount') {
          expect(r.totals.accrual).toBe(0);
          expect(r.totals.pointsPaid).toBe(0);
        }
        if (s.snapshot.programme.type === 'bonus')
          expect(lines.every((l) => l.applied.every((a) => a.source !== 'card'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of promotions and coupon series in the snapshot', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (s, keys) => {
        const shuffled: RulesSnapshotInput = {
          ...s.snapshot,
          promotions: permute(s.snapshot.promotions ?? [], keys),
          couponSeries: permute(s.snapshot.couponSeries ?? [], [...keys].reverse()),
        };
        const reversed: RulesSnapshotInput = {
          ...s.snapshot,
          promotions: [...(s.snapshot.promotions ?? [])].reverse(),
          couponSeries: [...(s.snapshot.couponSeries ?? [])].reverse(),
        };
        const original = price(s);
        expect(price({ ...s, snapshot: shuffled })).toEqual(original);
        expect(price({ ...s, snapshot: reversed })).toEqual(original);
      }),
      { numRuns: RUNS },
    );
  });

  it("gives the same result for 'max' and for the number it resolved to", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const rules = prepare(s.snapshot);
        const max = price({ ...s, receipt: { ...s.receipt, pointsToPay: 'max' } }, rules);
        if (!max.ok) throw new Error(JSON.stringify(max.error));
        const explicit = price(
          { ...s, receipt: { ...s.receipt, pointsToPay: max.value.pointsPayment.maximum } },
          rules,
        );
        expect(explicit).toEqual(max);
        expect(max.value.totals.pointsPaid).toBe(max.value.pointsPayment.maximum);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Every path to a value inside `value` (objects and arrays), the root included. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A copy of `value` with the value at `path` replaced. */
function replaceAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  // An earlier edit may have replaced a parent of this path: nothing left to edit.
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [head!]: replaceAt(record[head!], rest, replacement) };
}

/** Valid input with a few values anywhere inside it replaced by arbitrary ones. */
const corrupted = <T>(valid: fc.Arbitrary<T>) =>
  valid.chain((v) => {
    const all = paths(v);
    return fc
      .array(fc.tuple(fc.nat({ max: all.length - 1 }), fc.anything()), { minLength: 1, maxLength: 3 })
      .map((edits) =>
        edits.reduce<unknown>((acc, [i, replacement]) => replaceAt(acc, all[i]!, replacement), v),
      );
  });

const wild = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  withTypedArray: true,
  withObjectString: true,
});

describe('no throws on any input', () => {
  const baseRules = prepare({
    version: 'v',
    timeZone: 'Europe/Moscow',
    programme: { type: 'combined', defaultCardTypeId: 'standard' },
    cardTypes: [{ id: 'standard', name: 'S', rank: 0, threshold: null, issue: 'default' }],
    rules: [
      {
        id: 'r',
        cardTypeId: 'standard',
        categoryId: null,
        accrual: { kind: 'percent', percent: 300 },
        expiry: { kind: 'days', days: 30 },
        activation: { kind: 'after_days', days: 3 },
        payment: { kind: 'up_to', percent: 5_000, minPoints: 100 },
        discountPercent: 500,
      },
    ],
    gifts: {
      firstPurchase: { points: 100, terms: { expiry: { kind: 'never' }, activation: { kind: 'immediate' } } },
    },
  });

  it('prepareRules and calculate answer arbitrary values without throwing', () => {
    fc.assert(
      fc.property(wild, (input) => {
        const prepared = prepareRules(input);
        expect(prepared.ok).toBe(false);
        const result = calculate(baseRules, input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('invalid_input');
      }),
      { numRuns: 300 },
    );
  });

  it('prepareRules and calculate answer corrupted valid input without throwing', () => {
    fc.assert(
      fc.property(corrupted(scenario), corrupted(scenario), (a, b) => {
        const input = a as Partial<Scenario>;
        const prepared = prepareRules(input?.snapshot);
        const rules = prepared.ok ? prepared.value : baseRules;
        const calc = b as Partial<Scenario>;
        const result = calculate(rules, { receipt: calc?.receipt, buyer: calc?.buyer, now: calc?.now });
        if (!result.ok) expect(typeof result.error.code).toBe('string');
      }),
      { numRuns: 200 },
    );
  });
});
