// Bad input answers invalid_input with every problem, its path and a code; nothing throws.
import { describe, expect, it } from 'vitest';
import { prepareRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import type { Result } from '#shared/result.ts';
import type { InputIssue } from '#shared/validation.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';

const rules = prepared(standardSnapshot());

/** The issues of an invalid_input answer; fails the test on anything else. */
function issuesOf(result: Result<unknown>): InputIssue[] {
  if (result.ok) throw new Error('expected invalid_input, got a value');
  expect(result.error.code).toBe('invalid_input');
  const details = result.error.details as { issues: InputIssue[] };
  for (const issue of details.issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.code).toMatch(/^[a-z_]+$/);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  return details.issues;
}

const pathsOf = (result: Result<unknown>) => issuesOf(result).map((i) => i.path);
const codesByPath = (result: Result<unknown>) => issuesOf(result).map((i) => [i.path, i.code]);

function withRules(rulesPatch: (rules: RulesSnapshotInput['rules']) => RulesSnapshotInput['rules']) {
  const base = standardSnapshot();
  return { ...base, rules: rulesPatch(base.rules) };
}

describe('prepareRules: schema problems', () => {
  it('answers garbage with invalid_input instead of throwing', () => {
    for (const input of [null, undefined, 'rules', 42, Number.NaN, [], true, { version: 1 }]) {
      expect(() => prepareRules(input)).not.toThrow();
      expect(issuesOf(prepareRules(input)).length).toBeGreaterThan(0);
    }
  });

  it('reports a problem in each of two rules, with both paths', () => {
    const input = withRules(([a, b]) => [
      { ...a!, accrual: { kind: 'percent', percent: 10_001 } },
      { ...b!, payment: { kind: 'up_to', percent: -1 } },
    ]);
    expect(codesByPath(prepareRules(input))).toEqual([
      ['rules[0].accrual.percent', 'too_big'],
      ['rules[1].payment.percent', 'too_small'],
    ]);
  });

  it('reports every field at once: version, time zone type, card type, happy-hour window', () => {
    const base = standardSnapshot();
    const paths = pathsOf(
      prepareRules({
        ...base,
        version: '',
        timeZone: 3,
        cardTypes: [{ ...base.cardTypes[0]!, rank: -1 }, base.cardTypes[1]],
        happyHours: [{ id: 'h', days: [8], windows: [{ from: '13:00', to: '12:00' }] }],
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'version',
        'timeZone',
        'cardTypes[0].rank',
        'happyHours[0].days[0]',
        'happyHours[0].windows[0].to',
      ]),
    );
    expect(paths).toHaveLength(5);
  });

  it('rejects fixed expiry dates no calendar has, and more than 100 points per rouble', () => {
    const input = withRules(([a, b]) => [
      { ...a!, expiry: { kind: 'fixed_dates', dates: ['01-01', '02-30', '04-31', '13-01'] } },
      { ...b!, accrual: { kind: 'per_amount', everyKopecks: 100, points: 10_001 } },
    ]);
    expect(pathsOf(prepareRules(input))).toEqual([
      'rules[0].expiry.dates[1]',
      'rules[0].expiry.dates[2]',
      'rules[0].expiry.dates[3]',
      'rules[1].accrual.points',
    ]);
    // 29 February and 100 points per rouble exactly are fine.
    const fine = withRules(([a, b]) => [
      { ...a!, expiry: { kind: 'fixed_dates', dates: ['02-29', '12-31'] } },
      { ...b!, accrual: { kind: 'per_amount', everyKopecks: 100, points: 10_000 } },
    ]);
    expect(prepareRules(fine).ok).toBe(true);
  });
});

describe('prepareRules: semantic problems', () => {
  it('reports an unknown card type, a missing default rule and a category cycle together', () => {
    const base = standardSnapshot();
    const result = prepareRules({
      ...base,
      categories: [
        { id: 'a', parentId: 'b' },
        { id: 'b', parentId: 'a' },
        { id: 'c', parentId: 'nowhere' },
      ],
      rules: [
        base.rules[0]!,
        { ...base.rules[1]!, categoryId: 'a' }, // silver loses its default rule
        { ...base.rules[0]!, id: 'gold-rule', cardTypeId: 'gold' },
      ],
    });
    expect(codesByPath(result)).toEqual([
      ['categories[0].parentId', 'category_cycle'],
      ['categories[1].parentId', 'category_cycle'],
      ['categories[2].parentId', 'unknown_category'],
      ['rules[2].cardTypeId', 'unknown_card_type'],
      ['rules', 'missing_default_rule'],
    ]);
  });

  it('reports an unknown default card type, an unknown time zone and a rule for an unknown category', () => {
    const base = standardSnapshot();
    const result = prepareRules({
      ...base,
      timeZone: 'Europe/Atlantis',
      programme: { type: 'bonus', defaultCardTypeId: 'platinum' },
      rules: [...base.rules, { ...base.rules[0]!, id: 'r-x', categoryId: 'ghost' }],
    });
    expect(codesByPath(result)).toEqual([
      ['timeZone', 'unknown_time_zone'],
      ['programme.defaultCardTypeId', 'unknown_card_type'],
      ['rules[2].categoryId', 'unknown_category'],
    ]);
  });

  it('reports duplicates: card types, categories, rules for one cell, promotions, coupon series, stores', () => {
    const base = standardSnapshot();
    const result = prepareRules({
      ...base,
      cardTypes: [...base.cardTypes, base.cardTypes[1]!],
      categories: [...(base.categories ?? []), { id: 'food', parentId: null }],
      stores: [...(base.stores ?? []), { id: 'store-1' }],
      rules: [...base.rules, { ...base.rules[0]!, id: 'r-again' }],
      promotions: [
        { id: 'p', effect: { kind: 'flags_only' }, targeting: { couponSeriesId: 's' } },
        { id: 'p', effect: { kind: 'flags_only' } },
      ],
      couponSeries: [
        { id: 's', promotionId: 'p', usage: 'multi' },
        { id: 's', promotionId: 'p', usage: 'single' },
      ],
    });
    expect(codesByPath(result)).toEqual(
      expect.arrayContaining([
        ['cardTypes', 'duplicate_id'],
        ['categories', 'duplicate_id'],
        ['rules[2]', 'duplicate_rule'],
        ['promotions', 'duplicate_id'],
        ['couponSeries', 'duplicate_id'],
        ['stores', 'duplicate_id'],
      ]),
    );
  });

  it('reports coupon series and promotions that do not point at each other', () => {
    const base = standardSnapshot();
    const result = prepareRules({
      ...base,
      promotions: [
        { id: 'p1', effect: { kind: 'flags_only' }, targeting: { couponSeriesId: 'missing' } },
        { id: 'p2', effect: { kind: 'flags_only' } },
      ],
      couponSeries: [
        { id: 's1', promotionId: 'nope', usage: 'multi' },
        { id: 's2', promotionId: 'p2', usage: 'multi' },
      ],
    });
    expect(codesByPath(result)).toEqual([
      ['couponSeries[0].promotionId', 'unknown_promotion'],
      ['couponSeries[1].promotionId', 'promotion_not_linked'],
      ['promotions[0].targeting.couponSeriesId', 'unknown_coupon_series'],
    ]);
  });
});

describe('prepareRules: lot terms', () => {
  it('refuses points that would expire before they activate, wherever terms appear', () => {
    const late = { expiry: { kind: 'days', days: 7 }, activation: { kind: 'after_days', days: 14 } } as const;
    const base = standardSnapshot();
    const result = prepareRules({
      ...base,
      rules: base.rules.map((r, i) => (i === 1 ? { ...r, ...late } : r)),
      promotions: [{ id: 'g', effect: { kind: 'gift_points', points: 100, terms: late } }],
      gifts: { firstPurchase: { points: 100, terms: late } },
      referral: {
        terms: { expiry: { kind: 'days', days: 14 }, activation: { kind: 'after_days', days: 14 } },
      },
    });
    expect(codesByPath(result)).toEqual([
      ['rules[1]', 'expires_before_activation'],
      ['promotions[0].effect.terms', 'expires_before_activation'],
      ['gifts.firstPurchase.terms', 'expires_before_activation'],
      ['referral.terms', 'expires_before_activation'],
    ]);
    // 15 days of life after 14 days of waiting is fine.
    const fine = {
      expiry: { kind: 'days', days: 15 },
      activation: { kind: 'after_days', days: 14 },
    } as const;
    expect(prepareRules({ ...base, gifts: { firstPurchase: { points: 100, terms: fine } } }).ok).toBe(true);
  });
});

describe('calculate: sums beyond exact arithmetic', () => {
  it('answers amount_too_large instead of throwing when gift points add up past 2^53', () => {
    // 1,000 promotions x 10^13 hundredths = 10^16 > Number.MAX_SAFE_INTEGER (about 9 x 10^15).
    const huge = prepared(
      standardSnapshot({
        promotions: Array.from({ length: 1000 }, (_, i) => ({
          id: `g${i}`,
          effect: {
            kind: 'gift_points' as const,
            points: 10_000_000_000_000,
            terms: { expiry: { kind: 'never' as const }, activation: { kind: 'immediate' as const } },
          },
        })),
      }),
    );
    const result = calculate(huge, {
      receipt: { storeId: 'store-1', lines: [line('p1', 10_000)] },
      buyer: buyerWith(0),
      now: THURSDAY_NOON_MSK,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('amount_too_large');
  });
});

describe('calculate: input problems', () => {
  const valid = {
    receipt: { storeId: 'store-1', lines: [line('p1', 10_000)] },
    buyer: buyerWith(10_000),
    now: THURSDAY_NOON_MSK,
  };

  it('answers garbage with invalid_input instead of throwing', () => {
    for (const input of [null, undefined, 'receipt', 0, Number.NaN, [], {}, { receipt: null }]) {
      expect(() => calculate(rules, input)).not.toThrow();
      expect(issuesOf(calculate(rules, input)).length).toBeGreaterThan(0);
    }
  });

  it('reports two bad lines with two paths: a negative price and a NaN quantity', () => {
    const input = {
      ...valid,
      receipt: {
        storeId: 'store-1',
        lines: [
          line('ok', 100),
          { ...line('neg', -1) },
          line('ok2', 100),
          { ...line('nan', 100), quantity: Number.NaN },
        ],
      },
    };
    expect(codesByPath(calculate(rules, input))).toEqual([
      ['receipt.lines[1].price', 'too_small'],
      ['receipt.lines[3].quantity', 'invalid_type'],
    ]);
  });

  it('reports every problem across receipt, buyer and time', () => {
    const paths = pathsOf(
      calculate(rules, {
        receipt: {
          storeId: '',
          lines: [{ productId: 'p', price: '100', quantity: 1.5, minPrice: -1 }],
          pointsToPay: 'all',
        },
        buyer: {
          id: 'b',
          cardTypeId: 'standard',
          lots: [{ id: 'l', remaining: 1.5, activatesAt: 0, expiresAt: -1 }],
        },
        now: 'today',
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'receipt.storeId',
        'receipt.lines[0].price',
        'receipt.lines[0].quantity',
        'receipt.lines[0].minPrice',
        'receipt.pointsToPay',
        'buyer.lots[0].remaining',
        'buyer.lots[0].expiresAt',
        'now',
      ]),
    );
  });

  it('requires at least one line', () => {
    expect(pathsOf(calculate(rules, { ...valid, receipt: { storeId: 'store-1', lines: [] } }))).toEqual([
      'receipt.lines',
    ]);
  });

  it('reports an unknown card type and an unknown store together', () => {
    const result = calculate(rules, {
      ...valid,
      receipt: { ...valid.receipt, storeId: 'store-99' },
      buyer: buyerWith(0, { cardTypeId: 'gold' }),
    });
    expect(codesByPath(result)).toEqual([
      ['buyer.cardTypeId', 'unknown_card_type'],
      ['receipt.storeId', 'unknown_store'],
    ]);
  });

  it('reports a lot id given twice instead of throwing while redeeming', () => {
    const lot = { id: 'lot-1', remaining: 10_000, activatesAt: 0, expiresAt: null };
    const input = {
      ...valid,
      receipt: { ...valid.receipt, pointsToPay: 5_000 },
      buyer: buyerWith(0, { lots: [lot, { ...lot, id: 'lot-2' }, lot] }),
    };
    expect(() => calculate(rules, input)).not.toThrow();
    expect(codesByPath(calculate(rules, input))).toEqual([['buyer.lots[2].id', 'duplicate_id']]);
  });

  it('reports amounts too large for exact arithmetic instead of throwing', () => {
    // 100 000 000 000.00 RUB x 1 000 000 pieces per line.
    const huge = { productId: 'gold', price: 10_000_000_000_000, quantity: 1_000_000_000 };
    const input = { ...valid, receipt: { storeId: 'store-1', lines: [huge, line('p', 100)] } };
    expect(() => calculate(rules, input)).not.toThrow();
    expect(codesByPath(calculate(rules, input))).toEqual([
      ['receipt.lines[0]', 'amount_too_large'],
      ['receipt.lines', 'amount_too_large'],
    ]);
    // Each line fits, the receipt does not: 2 x 60 000 000 000.00 RUB.
    const big = { productId: 'b', price: 6_000_000_000_000, quantity: 1_000 };
    expect(
      codesByPath(calculate(rules, { ...valid, receipt: { storeId: 'store-1', lines: [big, big] } })),
    ).toEqual([['receipt.lines', 'amount_too_large']]);
    // The largest receipt still prices.
    const max = { productId: 'b', price: 10_000_000_000_000, quantity: 1_000 };
    expect(calculate(rules, { ...valid, receipt: { storeId: 'store-1', lines: [max] } }).ok).toBe(true);
  });

  it('reports a balance too large for exact arithmetic', () => {
    const lots = Array.from({ length: 1_000 }, (_, i) => ({
      id: `lot-${i}`,
      remaining: 10_000_000_000_000,
      activatesAt: 0,
      expiresAt: null,
    }));
    const input = {
      ...valid,
      receipt: { ...valid.receipt, pointsToPay: 'max' },
      buyer: buyerWith(0, { lots }),
    };
    expect(() => calculate(rules, input)).not.toThrow();
    expect(codesByPath(calculate(rules, input))).toEqual([['buyer.lots', 'amount_too_large']]);
  });

  it('refuses a time past year 9999 instead of failing in calendar arithmetic', () => {
    const input = { ...valid, now: 8_640_000_000_000_000 };
    expect(() => calculate(rules, input)).not.toThrow();
    expect(codesByPath(calculate(rules, input))).toEqual([['now', 'too_big']]);
    const registered = { ...valid, buyer: buyerWith(0, { registeredAt: 8_640_000_000_000_000 }) };
    expect(pathsOf(calculate(rules, registered))).toEqual(['buyer.registeredAt']);
  });

  it('prices a receipt at the latest accepted time with every kind of lot term', () => {
    const base = standardSnapshot();
    const farRules = prepared({
      ...base,
      rules: base.rules.map((r) => ({
        ...r,
        activation: { kind: 'after_days' as const, days: 365 },
        expiry: { kind: 'fixed_dates' as const, dates: ['02-29'] },
      })),
      referral: {
        levels: [{ level: 1, reward: { kind: 'percent', percent: 500 } }],
        periodDays: 3_650,
        terms: { expiry: { kind: 'days', days: 3_650 }, activation: { kind: 'after_days', days: 365 } },
      },
    });
    const now = Date.UTC(9999, 11, 31);
    const result = calculate(farRules, {
      receipt: { storeId: 'store-1', lines: [line('p1', 100_000)] },
      buyer: buyerWith(0, {
        registeredAt: now,
        referrers: [{ buyerId: 'r', level: 1, cardTypeId: 'standard' }],
      }),
      now,
    });
    expect(result.ok).toBe(true);
  });
});
