// Stacking of promotions (SPEC C5): the cascade by priority (each on the sum after the previous,
// or on the original price), the card discount first and promotions that replace it, exclusivity
// groups (best for the buyer, ties by priority then id) and at most one non-stackable promotion
// per line (priority, then benefit on the line, then id). Worked numbers in kopecks and points.
import { describe, expect, it } from 'vitest';
import type { PreparedRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';
import type { Calculation } from './calculation-result.ts';
import { PromotionReason } from './reason-codes.ts';

type PromotionInput = NonNullable<RulesSnapshotInput['promotions']>[number];
type Effect = PromotionInput['effect'];

const percent = (basisPoints: number) => ({ kind: 'discount_percent', percent: basisPoints }) as const;
const amountOff = (kopecks: number) =>
  ({ kind: 'discount_amount', amount: kopecks, per: 'receipt' }) as const;

const rulesWith = (promotions: PromotionInput[], overrides: Partial<RulesSnapshotInput> = {}) =>
  prepared(standardSnapshot({ promotions, ...overrides }));

/** A combined programme (C1): the standard card also gives 5 % off every line. */
const combined = (promotions: PromotionInput[]) =>
  rulesWith(promotions, {
    programme: { type: 'combined', defaultCardTypeId: 'standard' },
    rules: standardSnapshot().rules.map((r) => (r.id === 'r-standard' ? { ...r, discountPercent: 500 } : r)),
  });

function price(rules: PreparedRules, lines: unknown[], buyer: unknown = buyerWith(0)): Calculation {
  const result = calculate(rules, {
    receipt: { storeId: 'store-1', lines },
    buyer,
    now: THURSDAY_NOON_MSK,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const outcome = (result: Calculation, id: string) => result.promotions.find((p) => p.promotionId === id);
const discounts = (result: Calculation) => result.lines.map((l) => l.discount);
/** The promotion discounts on a line, in the order they were applied. */
const promotionSteps = (result: Calculation, i = 0) =>
  (result.lines[i]?.applied ?? []).map((a) =>
    a.source === 'promotion' ? [a.promotionId, a.discount] : ['card', a.discount],
  );

function expectLost(result: Calculation, id: string, reason: PromotionReason, lineIndexes = [0]) {
  expect(outcome(result, id)).toEqual({ promotionId: id, applied: false, reason, discount: 0, points: 0 });
  for (const i of lineIndexes)
    expect(result.lines[i]?.considered).toContainEqual({ promotionId: id, reason });
}

describe('stacking: the cascade', () => {
  it('runs by priority, higher first, each on the price the previous left', () => {
    // 100.00: 10.00 off first (priority 10) -> 90.00, then 10 % of 90.00 = 9.00 -> 81.00.
    const amountFirst = price(
      rulesWith([
        { id: 'off', priority: 10, effect: amountOff(1_000) },
        { id: 'pct', priority: 5, effect: percent(1_000) },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(amountFirst)).toEqual([
      ['off', 1_000],
      ['pct', 900],
    ]);
    expect(amountFirst.lines[0]?.amountAfterDiscount).toBe(8_100);
    // Swapped priorities: 10 % of 100.00 = 10.00 -> 90.00, then 10.00 off -> 80.00.
    const percentFirst = price(
      rulesWith([
        { id: 'off', priority: 5, effect: amountOff(1_000) },
        { id: 'pct', priority: 10, effect: percent(1_000) },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(percentFirst)).toEqual([
      ['pct', 1_000],
      ['off', 1_000],
    ]);
    expect(percentFirst.lines[0]?.amountAfterDiscount).toBe(8_000);
  });

  it('equal priorities run in id order, whatever the order in the snapshot', () => {
    const promotions: PromotionInput[] = [
      { id: 'b-pct', effect: percent(1_000) },
      { id: 'a-off', effect: amountOff(1_000) },
      { id: 'c-pct', effect: percent(500) },
    ];
    // a-off 10.00 -> 90.00; b-pct 10 % = 9.00 -> 81.00; c-pct 5 % of 81.00 = 4.05 -> 76.95.
    const result = price(rulesWith(promotions), [line('p1', 10_000)]);
    expect(promotionSteps(result)).toEqual([
      ['a-off', 1_000],
      ['b-pct', 900],
      ['c-pct', 405],
    ]);
    expect(result.lines[0]?.amountAfterDiscount).toBe(7_695);
    expect(price(rulesWith([...promotions].reverse()), [line('p1', 10_000)])).toEqual(result);
  });

  it("base 'original' computes on the price before any discount", () => {
    // 10.00 off first, then 10 % of the original 100.00 = 10.00 (not 9.00): 80.00 left.
    const result = price(
      rulesWith([
        { id: 'off', priority: 10, effect: amountOff(1_000) },
        { id: 'pct', priority: 5, effect: percent(1_000), stacking: { base: 'original' } },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([
      ['off', 1_000],
      ['pct', 1_000],
    ]);
    expect(result.totals).toMatchObject({ discount: 2_000, amountAfterDiscount: 8_000 });
  });

  it("a threshold on base 'discounted' sees the sum after earlier promotions", () => {
    // 5 % from 1000.00. 1010.00 - 20.00 = 990.00 misses it; on the original 1010.00 it is reached:
    // 5 % of 1010.00 = 50.50.
    const threshold: Effect = { kind: 'threshold_discount', tiers: [{ fromAmount: 100_000, percent: 500 }] };
    const discounted = price(
      rulesWith([
        { id: 'off', priority: 10, effect: amountOff(2_000) },
        { id: 'th', effect: threshold },
      ]),
      [line('p1', 101_000)],
    );
    expectLost(discounted, 'th', PromotionReason.thresholdNotReached);
    const original = price(
      rulesWith([
        { id: 'off', priority: 10, effect: amountOff(2_000) },
        { id: 'th', effect: threshold, stacking: { base: 'original' } },
      ]),
      [line('p1', 101_000)],
    );
    expect(promotionSteps(original)).toEqual([
      ['off', 2_000],
      ['th', 5_050],
    ]);
  });
});

describe('stacking: the card discount of a combined programme', () => {
  it('comes first; promotions then compute on what it left (or on the original)', () => {
    // 100.00: card 5 % = 5.00 -> 95.00; promotion 10 % of 95.00 = 9.50 -> 85.50.
    const discounted = price(combined([{ id: 'pct', effect: percent(1_000) }]), [line('p1', 10_000)]);
    expect(discounted.lines[0]?.applied).toEqual([
      { source: 'card', discount: 500, percent: 500, happyHourId: null },
      { source: 'promotion', promotionId: 'pct', discount: 950, points: 0, capped: false },
    ]);
    expect(discounted.lines[0]?.amountAfterDiscount).toBe(8_550);
    // On the original price: 10 % of 100.00 = 10.00 -> 85.00.
    const original = price(
      combined([{ id: 'pct', effect: percent(1_000), stacking: { base: 'original' } }]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(original)).toEqual([
      ['card', 500],
      ['pct', 1_000],
    ]);
    expect(original.lines[0]?.amountAfterDiscount).toBe(8_500);
  });

  it('excludesCardDiscount: on its lines the promotion replaces the card discount', () => {
    // p1: promotion 10 % = 10.00 and no card discount; p2: card 5 % = 5.00 only.
    const rules = combined([
      {
        id: 'pct',
        targeting: { productIds: ['p1'] },
        effect: percent(1_000),
        stacking: { excludesCardDiscount: true },
      },
    ]);
    const result = price(rules, [line('p1', 10_000), line('p2', 10_000)]);
    expect(result.lines[0]?.applied).toEqual([
      { source: 'promotion', promotionId: 'pct', discount: 1_000, points: 0, capped: false },
    ]);
    expect(result.lines[1]?.applied).toEqual([
      { source: 'card', discount: 500, percent: 500, happyHourId: null },
    ]);
    expect(result.totals.discount).toBe(1_500);
    // Anonymous: no card, no card discount; the promotion alone.
    expect(discounts(price(rules, [line('p1', 10_000), line('p2', 10_000)], null))).toEqual([1_000, 0]);
  });

  it('a replacing promotion that does not get the line leaves the card discount in place', () => {
    // "x" (replaces the card) loses p1 to the higher-priority non-stackable "y":
    // card 5 % = 5.00 -> 95.00, then y 20 % of 95.00 = 19.00 -> 76.00.
    const result = price(
      combined([
        { id: 'x', effect: percent(1_000), stacking: { stackable: false, excludesCardDiscount: true } },
        { id: 'y', priority: 10, effect: percent(2_000), stacking: { stackable: false } },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([
      ['card', 500],
      ['y', 1_900],
    ]);
    expectLost(result, 'x', PromotionReason.nonStackableConflict);
    // A replacing promotion for another store leaves the card discount alone too.
    const elsewhere = price(
      combined([
        {
          id: 'x',
          targeting: { storeIds: ['store-2'] },
          effect: percent(1_000),
          stacking: { excludesCardDiscount: true },
        },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(elsewhere)).toEqual([['card', 500]]);
  });

  it('a replacing promotion that gives nothing on a line gives the card discount back there', () => {
    // "t" replaces the card but needs 500.00 of its lines; 100.00 does not reach the tier,
    // so the line keeps the card's 5 % = 5.00, given after the cascade.
    const result = price(
      combined([
        {
          id: 't',
          effect: { kind: 'threshold_discount', tiers: [{ fromAmount: 50_000, percent: 2_000 }] },
          stacking: { excludesCardDiscount: true },
        },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([['card', 500]]);
    expectLost(result, 't', PromotionReason.thresholdNotReached);
    expect(result.totals.amountAfterDiscount).toBe(9_500);
  });

  it('the card discount respects the minimum price too', () => {
    // 100.00 with a 98.00 floor: the card's 5.00 is cut to 2.00; a promotion then finds the floor.
    const result = price(combined([{ id: 'pct', effect: percent(1_000) }]), [
      { ...line('p1', 10_000), minPrice: 9_800 },
    ]);
    expect(promotionSteps(result)).toEqual([['card', 200]]);
    expectLost(result, 'pct', PromotionReason.minPriceReached);
  });
});

describe('stacking: exclusivity groups', () => {
  const group = (g = 'g') => ({ exclusivityGroup: g });

  it('the best for the buyer wins, whatever the priority (exclusivity_group_lost)', () => {
    // On 100.00: a 10 % = 10.00 (priority 10) against b 15.00 off (priority 0): b wins.
    const result = price(
      rulesWith([
        { id: 'a', priority: 10, effect: percent(1_000), stacking: group() },
        { id: 'b', effect: amountOff(1_500), stacking: group() },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([['b', 1_500]]);
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
  });

  it('a tie goes to the higher priority, then to the smaller id', () => {
    // 10 % of 100.00 = 10.00 = 10.00 off: a tie.
    const byPriority = price(
      rulesWith([
        { id: 'a', effect: percent(1_000), stacking: group() },
        { id: 'b', priority: 5, effect: amountOff(1_000), stacking: group() },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(byPriority)).toEqual([['b', 1_000]]);
    expectLost(byPriority, 'a', PromotionReason.exclusivityGroupLost);
    const byId = price(
      rulesWith([
        { id: 'b', effect: percent(1_000), stacking: group() },
        { id: 'a', effect: amountOff(1_000), stacking: group() },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(byId)).toEqual([['a', 1_000]]);
    expectLost(byId, 'b', PromotionReason.exclusivityGroupLost);
  });

  it('each member is judged on all of its own lines', () => {
    // a: 20 % of p1 100.00 = 20.00; b: 6 % of 100.00 + 300.00 = 6.00 + 18.00 = 24.00: b wins.
    const result = price(
      rulesWith([
        {
          id: 'a',
          priority: 1,
          targeting: { productIds: ['p1'] },
          effect: percent(2_000),
          stacking: group(),
        },
        { id: 'b', effect: percent(600), stacking: group() },
      ]),
      [line('p1', 10_000), line('p2', 30_000)],
    );
    expect(discounts(result)).toEqual([600, 1_800]);
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
  });

  it.each<[string, Effect, ReturnType<typeof line>[], number, number, number]>([
    // [name, effect of the challenger, receipt, challenger's real benefit, rival percent, rival benefit]
    [
      'fixed price 90.00 on 100.00 (10.00) loses to 20 % (20.00)',
      { kind: 'fixed_price', price: 9_000 },
      [line('p1', 10_000)],
      1_000,
      2_000,
      2_000,
    ],
    [
      'fixed price 70.00 on 100.00 (30.00) beats 20 % (20.00)',
      { kind: 'fixed_price', price: 7_000 },
      [line('p1', 10_000)],
      3_000,
      2_000,
      2_000,
    ],
    [
      '30.00 off per unit x 2 (60.00) beats 10 % of 200.00 (20.00)',
      { kind: 'discount_amount', amount: 3_000, per: 'unit' },
      [line('p1', 10_000, 2)],
      6_000,
      1_000,
      2_000,
    ],
    [
      'ladder 0 % / 50 % on 2 x 100.00 (50.00) beats 10 % (20.00)',
      { kind: 'ladder', steps: [0, 5_000] },
      [line('p1', 10_000, 2)],
      5_000,
      1_000,
      2_000,
    ],
    [
      '2 + 1 free on 3 x 100.00 (100.00) beats 10 % (30.00)',
      { kind: 'buy_x_get_y', buy: 2, get: 1 },
      [line('p1', 10_000, 3)],
      10_000,
      1_000,
      3_000,
    ],
  ])('benefit is the real one: %s', (_name, effect, lines, challengerBenefit, rivalPercent, rivalBenefit) => {
    // The challenger has the larger id, so it only wins on a strictly larger benefit.
    const result = price(
      rulesWith([
        { id: 'rival', effect: percent(rivalPercent), stacking: group() },
        { id: 'z-challenger', effect, stacking: group() },
      ]),
      lines,
    );
    const [winner, loser, benefit] =
      challengerBenefit > rivalBenefit
        ? ['z-challenger', 'rival', challengerBenefit]
        : ['rival', 'z-challenger', rivalBenefit];
    expect(outcome(result, winner)).toMatchObject({ applied: true, discount: benefit });
    expectLost(result, loser, PromotionReason.exclusivityGroupLost);
  });

  it('points count one point per rouble against money off', () => {
    // a: 5 % off 100.00 = 5.00; b: 10 % in points = 10.00 points: b wins; accrual 2.00 + 10.00.
    const result = price(
      rulesWith([
        { id: 'a', effect: percent(500), stacking: group() },
        { id: 'b', effect: { kind: 'points_percent', percent: 1_000 }, stacking: group() },
      ]),
      [line('p1', 10_000)],
    );
    expect(outcome(result, 'b')).toMatchObject({ applied: true, points: 1_000 });
    expect(result.lines[0]).toMatchObject({ discount: 0, accrual: 1_200 });
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
  });

  it('the benefit counts only what the minimum price lets through', () => {
    // Floor 90.00: a 20 % wants 20.00 but may give 10.00; b 15 % in points gives 15.00 points.
    const result = price(
      rulesWith([
        { id: 'a', effect: percent(2_000), stacking: group() },
        { id: 'b', effect: { kind: 'points_percent', percent: 1_500 }, stacking: group() },
      ]),
      [{ ...line('p1', 10_000), minPrice: 9_000 }],
    );
    expect(outcome(result, 'b')).toMatchObject({ applied: true, points: 1_500 });
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
  });

  it("a member's own limits count: 50 % capped at 10.00 loses to 20 % (20.00)", () => {
    const result = price(
      rulesWith([
        { id: 'a', effect: percent(5_000), limits: { maxDiscount: 1_000 }, stacking: group() },
        { id: 'b', effect: percent(2_000), stacking: group() },
        // 10 % in points capped at 3.00 points (3.00) loses to 5 % off (5.00) in another group.
        {
          id: 'c',
          effect: { kind: 'points_percent', percent: 1_000 },
          limits: { maxAccrual: 300 },
          stacking: group('h'),
        },
        { id: 'd', effect: percent(500), stacking: group('h') },
      ]),
      [line('p1', 10_000)],
    );
    // b: 20 % of 100.00 = 20.00 -> 80.00; d: 5 % of 80.00 = 4.00.
    expect(promotionSteps(result)).toEqual([
      ['b', 2_000],
      ['d', 400],
    ]);
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
    expectLost(result, 'c', PromotionReason.exclusivityGroupLost);
  });

  it('a loser is reported as such even when it was also excluded from some line', () => {
    // a (10 %, not on p2) loses to b (20 %): its verdict is the group, p2 keeps the exclusion.
    const result = price(
      rulesWith([
        { id: 'a', targeting: { excludeProductIds: ['p2'] }, effect: percent(1_000), stacking: group() },
        { id: 'b', effect: percent(2_000), stacking: group() },
      ]),
      [line('p1', 10_000), line('p2', 10_000)],
    );
    expect(discounts(result)).toEqual([2_000, 2_000]);
    expectLost(result, 'a', PromotionReason.exclusivityGroupLost);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.excludedProduct },
    ]);
  });

  it('different groups and ungrouped promotions do not compete', () => {
    // a (g1) 10 % = 10.00 -> 90.00; b (g2) 10 % = 9.00 -> 81.00; c (no group) 5 % = 4.05.
    const result = price(
      rulesWith([
        { id: 'a', effect: percent(1_000), stacking: group('g1') },
        { id: 'b', effect: percent(1_000), stacking: group('g2') },
        { id: 'c', effect: percent(500) },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([
      ['a', 1_000],
      ['b', 900],
      ['c', 405],
    ]);
  });
});

describe('stacking: non-stackable promotions, at most one per line', () => {
  const alone = { stackable: false };

  it('the higher priority wins even when it gives less (non_stackable_conflict)', () => {
    // a 5 % (priority 10) against b 20 % and c 30 % (priority 0): only a, 5.00.
    const result = price(
      rulesWith([
        { id: 'a', priority: 10, effect: percent(500), stacking: alone },
        { id: 'b', effect: percent(2_000), stacking: alone },
        { id: 'c', effect: percent(3_000), stacking: alone },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([['a', 500]]);
    expectLost(result, 'b', PromotionReason.nonStackableConflict);
    expectLost(result, 'c', PromotionReason.nonStackableConflict);
  });

  it('equal priority: the larger benefit on the line, then the smaller id', () => {
    const byBenefit = price(
      rulesWith([
        { id: 'a', effect: percent(500), stacking: alone },
        { id: 'b', effect: percent(2_000), stacking: alone },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(byBenefit)).toEqual([['b', 2_000]]);
    expectLost(byBenefit, 'a', PromotionReason.nonStackableConflict);
    // 10 % of 100.00 = 10.00 off: a tie, the smaller id wins.
    const byId = price(
      rulesWith([
        { id: 'b', effect: percent(1_000), stacking: alone },
        { id: 'a', effect: amountOff(1_000), stacking: alone },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(byId)).toEqual([['a', 1_000]]);
    expectLost(byId, 'b', PromotionReason.nonStackableConflict);
  });

  it('is decided line by line', () => {
    // a 10 % on p1 and p2, b 30 % on p2: p1 -> a 10.00; p2 -> b 30.00 (beats a's 10.00).
    const result = price(
      rulesWith([
        { id: 'a', targeting: { productIds: ['p1', 'p2'] }, effect: percent(1_000), stacking: alone },
        { id: 'b', targeting: { productIds: ['p2'] }, effect: percent(3_000), stacking: alone },
      ]),
      [line('p1', 10_000), line('p2', 10_000)],
    );
    expect(promotionSteps(result, 0)).toEqual([['a', 1_000]]);
    expect(promotionSteps(result, 1)).toEqual([['b', 3_000]]);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.nonStackableConflict },
    ]);
    expect(outcome(result, 'a')).toMatchObject({ applied: true, discount: 1_000 });
  });

  it('a fixed price is weighed by what it really takes off the line', () => {
    // fixed 90.00 on 100.00 takes 10.00, 20 % takes 20.00: the percent wins.
    const result = price(
      rulesWith([
        { id: 'a-fixed', effect: { kind: 'fixed_price', price: 9_000 }, stacking: alone },
        { id: 'b-pct', effect: percent(2_000), stacking: alone },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([['b-pct', 2_000]]);
    expectLost(result, 'a-fixed', PromotionReason.nonStackableConflict);
  });

  it('stackable promotions still join the winner', () => {
    // a (non-stackable) 10 % = 10.00 -> 90.00; s (stackable) 5 % of 90.00 = 4.50 -> 85.50.
    const result = price(
      rulesWith([
        { id: 'a', priority: 1, effect: percent(1_000), stacking: alone },
        { id: 's', effect: percent(500) },
      ]),
      [line('p1', 10_000)],
    );
    expect(promotionSteps(result)).toEqual([
      ['a', 1_000],
      ['s', 450],
    ]);
  });

  it('a promotion that lost every line it could act on says non_stackable_conflict', () => {
    // a (not on p2) loses p1 to b; on p2 it was excluded, so the conflict is why it did nothing.
    const result = price(
      rulesWith([
        { id: 'a', targeting: { excludeProductIds: ['p2'] }, effect: percent(1_000), stacking: alone },
        { id: 'b', priority: 10, targeting: { productIds: ['p1'] }, effect: percent(2_000), stacking: alone },
      ]),
      [line('p1', 10_000), line('p2', 10_000)],
    );
    expect(discounts(result)).toEqual([2_000, 0]);
    expectLost(result, 'a', PromotionReason.nonStackableConflict);
    expect(result.lines[1]?.considered).toEqual([
      { promotionId: 'a', reason: PromotionReason.excludedProduct },
    ]);
  });
});
