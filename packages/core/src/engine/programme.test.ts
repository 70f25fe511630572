// The programme (C1), rules per card type x category (C3), happy hours (C4), gifts (C7) and
// referral rewards (C8).
import { describe, expect, it } from 'vitest';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';

type RuleInput = RulesSnapshotInput['rules'][number];
type HappyHourInput = NonNullable<RulesSnapshotInput['happyHours']>[number];

const DAY = 86_400_000;

function priced(rules: ReturnType<typeof prepared>, input: Record<string, unknown>) {
  const result = calculate(rules, { now: THURSDAY_NOON_MSK, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const receipt = (lines: unknown[], pointsToPay: number | 'max' = 0, storeId = 'store-1') => ({
  storeId,
  lines,
  pointsToPay,
});

function rule(id: string, cardTypeId: string, categoryId: string | null, patch: Partial<RuleInput> = {}) {
  return {
    id,
    cardTypeId,
    categoryId,
    accrual: { kind: 'percent', percent: 200 },
    rounding: 'hundredth',
    expiry: { kind: 'never' },
    activation: { kind: 'immediate' },
    payment: { kind: 'up_to', percent: 10_000 },
    ...patch,
  } satisfies RuleInput;
}

describe('programme type (C1)', () => {
  // The standard card: 2 % accrual on the money paid (rounded to the nearest point) and a 10 % discount.
  const snapshot = (type: 'bonus' | 'discount' | 'combined') => {
    const base = standardSnapshot({ programme: { type, defaultCardTypeId: 'standard' } });
    return prepared({
      ...base,
      rules: base.rules.map((r) => (r.id === 'r-standard' ? { ...r, discountPercent: 1_000 } : r)),
      gifts: {
        firstPurchase: {
          points: 10_000,
          terms: { expiry: { kind: 'never' }, activation: { kind: 'immediate' } },
        },
      },
    });
  };

  it('bonus: points only, the card discount is ignored', () => {
    // 1 000.00 RUB x 2 % = 20 points; no discount.
    const r = priced(snapshot('bonus'), {
      receipt: receipt([line('p1', 100_000)]),
      buyer: buyerWith(50_000),
    });
    expect(r.totals).toMatchObject({ discount: 0, amountAfterDiscount: 100_000, accrual: 2_000 });
    expect(r.lines[0]?.applied).toEqual([]);
    expect(r.pointsPayment.maximum).toBe(50_000);
  });

  it('discount: the card discount only, no points accrued, paid, gifted or rewarded', () => {
    // 10 % of 1 000.00 RUB = 100.00 RUB off.
    const r = priced(snapshot('discount'), {
      receipt: receipt([line('p1', 100_000)]),
      buyer: buyerWith(50_000, {
        purchasesCount: 0,
        referrers: [{ buyerId: 'ref', level: 1, cardTypeId: 'standard' }],
      }),
    });
    expect(r.totals).toMatchObject({ discount: 10_000, amountAfterDiscount: 90_000, accrual: 0 });
    expect(r.lines[0]?.applied).toEqual([
      { source: 'card', discount: 10_000, percent: 1_000, happyHourId: null },
    ]);
    expect(r.accruals).toEqual([]);
    expect(r.referralRewards).toEqual([]);
    expect(r.pointsPayment).toMatchObject({ maximum: 0, limitedBy: 'programme' });
  });

  it('combined: the discount first, then 2 % on the money paid', () => {
    // 100 000 - 10 % = 90 000; pay 100.00 points -> 80 000 in money; 2 % = 16 points.
    const r = priced(snapshot('combined'), {
      receipt: receipt([line('p1', 100_000)], 10_000),
      buyer: buyerWith(50_000),
    });
    expect(r.totals).toMatchObject({
      discount: 10_000,
      amountAfterDiscount: 90_000,
      pointsPaid: 10_000,
      paidMoney: 80_000,
      accrual: 1_600,
    });
  });

  it('gives no card discount to anonymous buyers or lines marked noDiscount', () => {
    const anonymous = priced(snapshot('discount'), { receipt: receipt([line('p1', 100_000)]), buyer: null });
    expect(anonymous.totals.discount).toBe(0);
    const r = priced(snapshot('discount'), {
      receipt: receipt([{ ...line('p1', 100_000), noDiscount: true }, line('p2', 10_000)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.discount)).toEqual([0, 1_000]);
  });

  it('stops the card discount at the minimum price: 10 % of 100.00 with minPrice 95.00 gives 5.00', () => {
    const r = priced(snapshot('discount'), {
      receipt: receipt([{ ...line('p1', 10_000), minPrice: 9_500 }]),
      buyer: buyerWith(0),
    });
    expect(r.lines[0]).toMatchObject({ discount: 500, amountAfterDiscount: 9_500 });
  });
});

describe('rules per card type x category (C3)', () => {
  // Tree: food > dairy > yogurt; alcohol. Standard: default 2 %, food 3 %, dairy 4 %.
  // Silver: default 5 %, alcohol none. Every line 100.00 RUB, rounding to the hundredth.
  const base = standardSnapshot();
  const rules = prepared({
    ...base,
    categories: [...(base.categories ?? []), { id: 'yogurt', parentId: 'dairy' }],
    rules: [
      rule('std', 'standard', null),
      rule('std-food', 'standard', 'food', { accrual: { kind: 'percent', percent: 300 } }),
      rule('std-dairy', 'standard', 'dairy', { accrual: { kind: 'percent', percent: 400 } }),
      rule('silver', 'silver', null, { accrual: { kind: 'percent', percent: 500 } }),
      rule('silver-alcohol', 'silver', 'alcohol', { accrual: { kind: 'none' } }),
    ],
  });
  const lines = [
    line('bread', 10_000, 1, 'food'),
    line('milk', 10_000, 1, 'dairy'),
    line('yogurt', 10_000, 1, 'yogurt'),
    line('wine', 10_000, 1, 'alcohol'),
    line('misc', 10_000, 1, null),
    line('new', 10_000, 1, 'not-in-tree'),
  ];

  it('takes the nearest rule up the category tree, else the default', () => {
    const r = priced(rules, { receipt: receipt(lines), buyer: buyerWith(0) });
    expect(r.lines.map((l) => l.ruleId)).toEqual(['std-food', 'std-dairy', 'std-dairy', 'std', 'std', 'std']);
    // 3 %, 4 %, 4 % (inherited from dairy), 2 %, 2 %, 2 % of 10 000.
    expect(r.lines.map((l) => l.accrual)).toEqual([300, 400, 400, 200, 200, 200]);
  });

  it("uses only the buyer's card type: silver does not inherit the standard food rule", () => {
    const r = priced(rules, { receipt: receipt(lines), buyer: buyerWith(0, { cardTypeId: 'silver' }) });
    expect(r.lines.map((l) => l.ruleId)).toEqual([
      'silver',
      'silver',
      'silver',
      'silver-alcohol',
      'silver',
      'silver',
    ]);
    expect(r.lines.map((l) => l.accrual)).toEqual([500, 500, 500, 0, 500, 500]);
    expect(r.cardTypeId).toBe('silver');
  });

  it('applies no rule to anonymous receipts', () => {
    const r = priced(rules, { receipt: receipt(lines), buyer: null });
    expect(r.lines.every((l) => l.ruleId === null && l.accrual === 0)).toBe(true);
  });
});

describe('happy hours (C4), in the merchant time zone (Moscow, UTC+3)', () => {
  // Weekdays 11:00-13:00 Moscow: 10 % accrual instead of 2 %. Line 100.00 RUB, rounding hundredth.
  const lunch: HappyHourInput = {
    id: 'lunch',
    days: [1, 2, 3, 4, 5],
    windows: [{ from: '11:00', to: '13:00' }],
    accrual: { kind: 'percent', percent: 1_000 },
  };
  const build = (happyHours: HappyHourInput[], type: 'bonus' | 'combined' = 'bonus') => {
    const base = standardSnapshot({ programme: { type, defaultCardTypeId: 'standard' }, happyHours });
    return prepared({ ...base, rules: [rule('std', 'standard', null), rule('silver', 'silver', null)] });
  };
  const at = (rules: ReturnType<typeof prepared>, now: number, lines = [line('p1', 10_000)], extra = {}) =>
    priced(rules, { now, receipt: receipt(lines), buyer: buyerWith(0, extra) });

  it('is open at 12:00 Moscow (09:00 UTC) and closed at 12:00 UTC (15:00 Moscow)', () => {
    const rules = build([lunch]);
    const open = at(rules, THURSDAY_NOON_MSK);
    expect(open.lines[0]).toMatchObject({ happyHourId: 'lunch', accrual: 1_000 });
    const closed = at(rules, Date.UTC(2026, 0, 15, 12, 0));
    expect(closed.lines[0]).toMatchObject({ happyHourId: null, accrual: 200 });
  });

  it('opens at the start of the window and closes at its end', () => {
    const rules = build([lunch]);
    expect(at(rules, Date.UTC(2026, 0, 15, 8, 0)).lines[0]?.happyHourId).toBe('lunch'); // 11:00 MSK
    expect(at(rules, Date.UTC(2026, 0, 15, 7, 59)).lines[0]?.happyHourId).toBeNull(); // 10:59 MSK
    expect(at(rules, Date.UTC(2026, 0, 15, 9, 59)).lines[0]?.happyHourId).toBe('lunch'); // 12:59 MSK
    expect(at(rules, Date.UTC(2026, 0, 15, 10, 0)).lines[0]?.happyHourId).toBeNull(); // 13:00 MSK
  });

  it('keeps to its days: Saturday 17 Jan 12:00 MSK is not a weekday', () => {
    expect(at(build([lunch]), Date.UTC(2026, 0, 17, 9, 0)).lines[0]?.happyHourId).toBeNull();
  });

  it('reads the day in Moscow: Thu 22:30 UTC is Fri 01:30 MSK, inside a Friday 00:00-02:00 window', () => {
    const night: HappyHourInput = {
      ...lunch,
      id: 'night',
      days: [5],
      windows: [{ from: '00:00', to: '02:00' }],
    };
    const rules = build([night]);
    expect(at(rules, Date.UTC(2026, 0, 15, 22, 30)).lines[0]?.happyHourId).toBe('night');
    // 23:30 UTC on Friday is already Saturday 02:30 MSK.
    expect(at(rules, Date.UTC(2026, 0, 16, 23, 30)).lines[0]?.happyHourId).toBeNull();
  });

  it('closes a window at midnight with 24:00', () => {
    const evening: HappyHourInput = { ...lunch, id: 'evening', windows: [{ from: '22:00', to: '24:00' }] };
    // Thu 20:59 UTC = 23:59 MSK.
    expect(at(build([evening]), Date.UTC(2026, 0, 15, 20, 59)).lines[0]?.happyHourId).toBe('evening');
  });

  it('filters by card type, store, category (down the tree) and period', () => {
    const silverOnly = build([{ ...lunch, cardTypeIds: ['silver'] }]);
    expect(at(silverOnly, THURSDAY_NOON_MSK).lines[0]?.happyHourId).toBeNull();
    expect(at(silverOnly, THURSDAY_NOON_MSK, undefined, { cardTypeId: 'silver' }).lines[0]?.happyHourId).toBe(
      'lunch',
    );

    const otherStore = build([{ ...lunch, storeIds: ['store-2'] }]);
    expect(at(otherStore, THURSDAY_NOON_MSK).lines[0]?.happyHourId).toBeNull();

    const food = build([{ ...lunch, categoryIds: ['food'] }]);
    const r = at(food, THURSDAY_NOON_MSK, [
      line('milk', 10_000, 1, 'dairy'),
      line('wine', 10_000, 1, 'alcohol'),
      line('misc', 10_000, 1, null),
    ]);
    expect(r.lines.map((l) => l.happyHourId)).toEqual(['lunch', null, null]);
    expect(r.lines.map((l) => l.accrual)).toEqual([1_000, 200, 200]);

    const later = build([{ ...lunch, from: THURSDAY_NOON_MSK + 1 }]);
    expect(at(later, THURSDAY_NOON_MSK).lines[0]?.happyHourId).toBeNull();
    const over = build([{ ...lunch, to: THURSDAY_NOON_MSK }]);
    expect(at(over, THURSDAY_NOON_MSK).lines[0]?.happyHourId).toBeNull();
    const now = build([{ ...lunch, from: THURSDAY_NOON_MSK, to: THURSDAY_NOON_MSK + 1 }]);
    expect(at(now, THURSDAY_NOON_MSK).lines[0]?.happyHourId).toBe('lunch');
  });

  it('overrides the discount in a combined programme and names itself on the card discount', () => {
    // 20 % of 100.00 = 20.00 off; accrual keeps the rule's 2 % of the 80.00 paid = 1.60.
    const rules = build([{ ...lunch, accrual: null, discountPercent: 2_000 }], 'combined');
    const r = at(rules, THURSDAY_NOON_MSK);
    expect(r.lines[0]).toMatchObject({ discount: 2_000, accrual: 160, happyHourId: 'lunch' });
    expect(r.lines[0]?.applied).toEqual([
      { source: 'card', discount: 2_000, percent: 2_000, happyHourId: 'lunch' },
    ]);
  });

  it('lets the first matching happy hour in the snapshot win', () => {
    const double: HappyHourInput = { ...lunch, id: 'double', accrual: { kind: 'percent', percent: 400 } };
    const r = at(build([double, lunch]), THURSDAY_NOON_MSK);
    expect(r.lines[0]).toMatchObject({ happyHourId: 'double', accrual: 400 });
  });
});

describe('first purchase gift (C7)', () => {
  // 500 points, active from tomorrow, expiring 30 days after the purchase.
  const rules = prepared(
    standardSnapshot({
      gifts: {
        firstPurchase: {
          points: 50_000,
          terms: { expiry: { kind: 'days', days: 30 }, activation: { kind: 'after_days', days: 1 } },
        },
      },
    }),
  );

  it('credits its own lot on the first purchase, next to the purchase accrual', () => {
    // Purchase: 2 % of 100.00 = 2 points, 365 days. Gift: 16 Jan 12:00 MSK to 14 Feb 12:00 MSK.
    const r = priced(rules, {
      receipt: receipt([line('p1', 10_000)]),
      buyer: buyerWith(0, { purchasesCount: 0 }),
    });
    expect(r.accruals).toEqual([
      {
        source: 'purchase',
        promotionId: null,
        points: 200,
        activatesAt: THURSDAY_NOON_MSK,
        expiresAt: Date.UTC(2027, 0, 15, 9, 0),
      },
      {
        source: 'first_purchase',
        promotionId: null,
        points: 50_000,
        activatesAt: Date.UTC(2026, 0, 16, 9, 0),
        expiresAt: Date.UTC(2026, 1, 14, 9, 0),
      },
    ]);
    expect(r.totals.accrual).toBe(50_200);
    expect(r.lines[0]?.accrual).toBe(200);
  });

  it('is given even when the purchase itself accrues nothing', () => {
    const r = priced(rules, {
      receipt: receipt([{ ...line('p1', 10_000), noAccrual: true }]),
      buyer: buyerWith(0, { purchasesCount: 0 }),
    });
    expect(r.accruals.map((l) => [l.source, l.points])).toEqual([['first_purchase', 50_000]]);
  });

  it('is not given on later purchases or to anonymous buyers', () => {
    const later = priced(rules, {
      receipt: receipt([line('p1', 10_000)]),
      buyer: buyerWith(0, { purchasesCount: 1 }),
    });
    expect(later.accruals.map((l) => l.source)).toEqual(['purchase']);
    const anonymous = priced(rules, { receipt: receipt([line('p1', 10_000)]), buyer: null });
    expect(anonymous.accruals).toEqual([]);
  });
});

describe('referral rewards (C8)', () => {
  // Level 1: 5 % of what the referred buyer pays in money; level 2: 100 points once, on the first
  // purchase; level 3: 1 %, only for silver referrers. Rewards for 30 days after registration;
  // the reward lot activates after 7 days and expires 180 days after the purchase.
  const rules = prepared(
    standardSnapshot({
      referral: {
        levels: [
          { level: 1, reward: { kind: 'percent', percent: 500 } },
          { level: 2, reward: { kind: 'fixed', points: 10_000 } },
          { level: 3, reward: { kind: 'percent', percent: 100 }, cardTypeIds: ['silver'] },
        ],
        periodDays: 30,
        terms: { expiry: { kind: 'days', days: 180 }, activation: { kind: 'after_days', days: 7 } },
      },
    }),
  );
  const referrers = [
    { buyerId: 'ref-3', level: 3, cardTypeId: 'standard' },
    { buyerId: 'ref-1', level: 1, cardTypeId: 'standard' },
    { buyerId: 'ref-2', level: 2, cardTypeId: 'standard' },
  ];
  const registeredAt = Date.UTC(2026, 0, 1, 9, 0); // 14 days before the purchase
  // 15 Jan + 7 = 22 Jan; 15 Jan + 180 = 16 (Jan) + 28 + 31 + 30 + 31 + 30 + 14 -> 14 Jul.
  const times = { activatesAt: Date.UTC(2026, 0, 22, 9, 0), expiresAt: Date.UTC(2026, 6, 14, 9, 0) };
  const buy = (buyer: Record<string, unknown>, pointsToPay = 20_000) =>
    priced(rules, {
      receipt: receipt([line('p1', 100_000)], pointsToPay),
      buyer: buyerWith(100_000, { registeredAt, referrers, ...buyer }),
    }).referralRewards;

  it('rewards level 1 with 5 % of the money paid and level 2 with the fixed amount on the first purchase', () => {
    // 1 000.00 RUB - 200.00 in points = 800.00 in money; 5 % = 40.00 points. Level 3 is silver-only.
    expect(buy({ purchasesCount: 0 })).toEqual([
      { referrerId: 'ref-1', level: 1, points: 4_000, ...times },
      { referrerId: 'ref-2', level: 2, points: 10_000, ...times },
    ]);
  });

  it('pays the percent on later purchases too, the fixed amount only once', () => {
    expect(buy({ purchasesCount: 3 })).toEqual([{ referrerId: 'ref-1', level: 1, points: 4_000, ...times }]);
  });

  it('computes the percent from the money paid, to the hundredth: 5 % of 800.01 RUB = 40.00', () => {
    // 100 000 - 19 999 = 80 001 kop; 5 % = 4 000.05 -> 4 000.
    expect(buy({ purchasesCount: 3 }, 19_999)[0]?.points).toBe(4_000);
  });

  it('rewards a level only for the card types it names', () => {
    const silver = referrers.map((r) => (r.level === 3 ? { ...r, cardTypeId: 'silver' } : r));
    // Level 3: 1 % of 80 000 = 800.
    expect(buy({ purchasesCount: 3, referrers: silver })).toEqual([
      { referrerId: 'ref-1', level: 1, points: 4_000, ...times },
      { referrerId: 'ref-3', level: 3, points: 800, ...times },
    ]);
  });

  it('stops at the end of the period and needs the registration date when there is one', () => {
    const exactlyThirtyDays = THURSDAY_NOON_MSK - 30 * DAY;
    expect(buy({ purchasesCount: 3, registeredAt: exactlyThirtyDays })).toEqual([]);
    expect(buy({ purchasesCount: 3, registeredAt: exactlyThirtyDays + 1 })).toHaveLength(1);
    expect(buy({ purchasesCount: 3, registeredAt: null })).toEqual([]);
  });

  it('has no end without a period', () => {
    const base = standardSnapshot();
    const endless = prepared({
      ...base,
      referral: { levels: [{ level: 1, reward: { kind: 'percent', percent: 500 } }] },
    });
    const r = priced(endless, {
      receipt: receipt([line('p1', 100_000)]),
      buyer: buyerWith(0, { registeredAt: null, referrers }),
    });
    // 5 % of 1 000.00 RUB = 50 points; default terms: immediate, never expiring.
    expect(r.referralRewards).toEqual([
      { referrerId: 'ref-1', level: 1, points: 5_000, activatesAt: THURSDAY_NOON_MSK, expiresAt: null },
    ]);
  });

  it('does not count the reward in the buyer own accrual', () => {
    const r = priced(rules, {
      receipt: receipt([line('p1', 100_000)]),
      buyer: buyerWith(0, { registeredAt, referrers, purchasesCount: 3 }),
    });
    // Own accrual: 2 % of 1 000.00 = 20 points.
    expect(r.totals.accrual).toBe(2_000);
    expect(r.referralRewards.map((x) => x.points)).toEqual([5_000]);
  });
});
