// Accrual (C3): kinds, base, rounding, and the lots it creates (expiry and activation).
import { describe, expect, it } from 'vitest';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { kopecks, points } from '#money/money.ts';
import { accrualPercent, accrualPoints, lotTimes, percentPoints, roundPoints } from './accrual-math.ts';
import { calculate } from './calculate.ts';

type RuleInput = RulesSnapshotInput['rules'][number];

/** The standard snapshot with the standard card type's default rule patched, plus extra rules. */
function rulesWith(
  patch: Partial<RuleInput>,
  extraRules: RuleInput[] = [],
  overrides: Partial<RulesSnapshotInput> = {},
) {
  const base = standardSnapshot(overrides);
  return prepared({
    ...base,
    rules: [...base.rules.map((r) => (r.id === 'r-standard' ? { ...r, ...patch } : r)), ...extraRules],
  });
}

function priced(rules: ReturnType<typeof prepared>, input: Record<string, unknown>) {
  const result = calculate(rules, { now: THURSDAY_NOON_MSK, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const receipt = (lines: unknown[], pointsToPay: number | 'max' = 0) => ({
  storeId: 'store-1',
  lines,
  pointsToPay,
});

describe('percent accrual and rounding', () => {
  it('rounds 2 % of 1234.56 RUB to 24 (down), 25 (nearest) or 24.69 (hundredth) points', () => {
    // 123 456 kop x 2 % = 2 469.12 hundredths = 24.6912 points.
    const cases = [
      ['down_whole', 2_400],
      ['nearest_whole', 2_500],
      ['hundredth', 2_469],
    ] as const;
    for (const [rounding, expected] of cases) {
      const r = priced(rulesWith({ rounding }), {
        receipt: receipt([line('p1', 123_456)]),
        buyer: buyerWith(0),
      });
      expect(r.lines[0]?.accrual, rounding).toBe(expected);
      expect(r.totals.accrual, rounding).toBe(expected);
    }
  });

  it('rounds half up to the nearest point: 2 % of 125.00 RUB = 2.5 -> 3 points (down: 2)', () => {
    const nearest = priced(rulesWith({ rounding: 'nearest_whole' }), {
      receipt: receipt([line('p1', 12_500)]),
      buyer: buyerWith(0),
    });
    expect(nearest.totals.accrual).toBe(300);
    const down = priced(rulesWith({ rounding: 'down_whole' }), {
      receipt: receipt([line('p1', 12_500)]),
      buyer: buyerWith(0),
    });
    expect(down.totals.accrual).toBe(200);
  });

  it('rounds each line on its own: two lines of 75.00 RUB at 2 % give 2 + 2 points, not 3', () => {
    // 7 500 x 2 % = 150 hundredths = 1.5 points -> 2 per line (nearest, half up).
    const r = priced(rulesWith({ rounding: 'nearest_whole' }), {
      receipt: receipt([line('p1', 7_500), line('p2', 7_500)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.accrual)).toEqual([200, 200]);
    expect(r.totals.accrual).toBe(400);
  });

  it('accrues on the weighed amount: 1.25 kg at 123.45 RUB/kg = 154.31 RUB -> 3.08 points', () => {
    // 12 345 x 1 250 / 1 000 = 15 431.25 -> 15 431 kop (half up); 2 % = 308.62 -> 308 hundredths.
    const r = priced(rulesWith({ rounding: 'hundredth' }), {
      receipt: receipt([{ productId: 'cheese', price: 12_345, quantity: 1_250, categoryId: 'dairy' }]),
      buyer: buyerWith(0),
    });
    expect(r.lines[0]?.amount).toBe(15_431);
    expect(r.lines[0]?.accrual).toBe(308);
  });
});

describe('accrual base: money paid or amount after discounts', () => {
  it("accrues on 700.00 RUB paid in money when 300 of 1000.00 RUB are paid with points ('paid')", () => {
    // 70 000 kop x 2 % = 1 400 hundredths = 14 points.
    const r = priced(rulesWith({ accrualBase: 'paid', rounding: 'hundredth' }), {
      receipt: receipt([line('p1', 100_000)], 30_000),
      buyer: buyerWith(50_000),
    });
    expect(r.lines[0]?.paidMoney).toBe(70_000);
    expect(r.totals.accrual).toBe(1_400);
  });

  it("accrues on the whole 1000.00 RUB with base 'full', points payment or not", () => {
    // 100 000 kop x 2 % = 2 000 hundredths = 20 points.
    const r = priced(rulesWith({ accrualBase: 'full', rounding: 'hundredth' }), {
      receipt: receipt([line('p1', 100_000)], 30_000),
      buyer: buyerWith(50_000),
    });
    expect(r.totals.accrual).toBe(2_000);
  });

  it('accrues nothing on a line paid fully with points', () => {
    const r = priced(rulesWith({ accrualBase: 'paid' }), {
      receipt: receipt([line('p1', 10_000)], 'max'),
      buyer: buyerWith(50_000),
    });
    expect(r.totals.paidMoney).toBe(0);
    expect(r.totals.accrual).toBe(0);
    expect(r.accruals).toEqual([]);
  });
});

describe('Y points per X roubles', () => {
  // 1.5 points per full 100 RUB: 350 RUB holds 3 full hundreds -> 4.5 points before rounding.
  const perHundred = { kind: 'per_amount' as const, everyKopecks: 10_000, points: 150 };

  it('gives 4.5 points on 350.00 RUB, rounded by the rule: 4 (down), 5 (nearest), 4.50 (hundredth)', () => {
    const cases = [
      ['down_whole', 400],
      ['nearest_whole', 500],
      ['hundredth', 450],
    ] as const;
    for (const [rounding, expected] of cases) {
      const r = priced(rulesWith({ accrual: perHundred, rounding }), {
        receipt: receipt([line('p1', 35_000)]),
        buyer: buyerWith(0),
      });
      expect(r.totals.accrual, rounding).toBe(expected);
    }
  });

  it('counts full X only: 99.99 RUB earns nothing, 100.00 RUB earns 1.5 points', () => {
    const rules = rulesWith({ accrual: perHundred, rounding: 'hundredth' });
    const r = priced(rules, {
      receipt: receipt([line('p1', 9_999), line('p2', 10_000)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.accrual)).toEqual([0, 150]);
  });
});

describe('progressive percent by receipt sum', () => {
  // 1 % from 0, 3 % from 1 000 RUB, 5 % from 5 000 RUB of the receipt after discounts.
  const progressive = {
    kind: 'progressive' as const,
    tiers: [
      { fromReceiptAmount: 100_000, percent: 300 },
      { fromReceiptAmount: 0, percent: 100 },
      { fromReceiptAmount: 500_000, percent: 500 },
    ],
  };

  it('gives 3 % on every line of a 1 100.00 RUB receipt', () => {
    // 60 000 x 3 % = 1 800; 50 000 x 3 % = 1 500.
    const r = priced(rulesWith({ accrual: progressive, rounding: 'hundredth' }), {
      receipt: receipt([line('p1', 60_000), line('p2', 50_000)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.accrual)).toEqual([1_800, 1_500]);
  });

  it('picks the tier by the sum after discounts: a 10 % card discount drops 1 100 to 990 RUB -> 1 %', () => {
    // Combined programme: 60 000 - 6 000 = 54 000, 50 000 - 5 000 = 45 000; sum 99 000 < 100 000.
    // 1 % of 54 000 = 540, of 45 000 = 450.
    const rules = rulesWith({ accrual: progressive, rounding: 'hundredth', discountPercent: 1_000 }, [], {
      programme: { type: 'combined', defaultCardTypeId: 'standard' },
    });
    const r = priced(rules, {
      receipt: receipt([line('p1', 60_000), line('p2', 50_000)]),
      buyer: buyerWith(0),
    });
    expect(r.totals.amountAfterDiscount).toBe(99_000);
    expect(r.lines.map((l) => l.accrual)).toEqual([540, 450]);
  });

  it('keeps the tier when points pay part of the receipt, and accrues on the money paid', () => {
    // Receipt 110 000 after discounts -> 3 %. 200 points over caps 60 000 / 50 000:
    // floor(20 000 x 60/110) = 10 909, floor(20 000 x 50/110) = 9 090, 1 kop left goes to the line
    // with more room (60 000 - 10 909 > 50 000 - 9 090): 10 910 + 9 090.
    // Paid money 49 090 and 40 910; 3 % = 1 472.7 -> 1 472 and 1 227.3 -> 1 227.
    const r = priced(rulesWith({ accrual: progressive, rounding: 'hundredth' }), {
      receipt: receipt([line('p1', 60_000), line('p2', 50_000)], 20_000),
      buyer: buyerWith(100_000),
    });
    expect(r.lines.map((l) => l.pointsPaid)).toEqual([10_910, 9_090]);
    expect(r.lines.map((l) => l.paidMoney)).toEqual([49_090, 40_910]);
    expect(r.lines.map((l) => l.accrual)).toEqual([1_472, 1_227]);
    expect(r.totals.accrual).toBe(2_699);
  });

  it('reaches the top tier exactly at its threshold: 5 000.00 RUB -> 5 %', () => {
    const r = priced(rulesWith({ accrual: progressive, rounding: 'hundredth' }), {
      receipt: receipt([line('p1', 500_000)]),
      buyer: buyerWith(0),
    });
    expect(r.totals.accrual).toBe(25_000);
  });
});

describe('no accrual', () => {
  it("accrues nothing under accrual 'none'", () => {
    const r = priced(rulesWith({ accrual: { kind: 'none' } }), {
      receipt: receipt([line('p1', 100_000)]),
      buyer: buyerWith(0),
    });
    expect(r.totals.accrual).toBe(0);
    expect(r.accruals).toEqual([]);
  });

  it('skips lines marked noAccrual and anonymous receipts', () => {
    const rules = rulesWith({ rounding: 'hundredth' });
    const r = priced(rules, {
      receipt: receipt([{ ...line('tobacco', 50_000), noAccrual: true }, line('p2', 10_000)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.accrual)).toEqual([0, 200]);
    const anonymous = priced(rules, { receipt: receipt([line('p1', 10_000)]), buyer: null });
    expect(anonymous.totals.accrual).toBe(0);
    expect(anonymous.accruals).toEqual([]);
  });
});

describe('lots: activation and expiry (now = Thu 15 Jan 2026 12:00 MSK = 09:00 UTC)', () => {
  const buy = (patch: Partial<RuleInput>) =>
    priced(rulesWith({ rounding: 'hundredth', ...patch }), {
      receipt: receipt([line('p1', 10_000)]),
      buyer: buyerWith(0),
    }).accruals;

  it('immediate, never expiring', () => {
    expect(buy({ activation: { kind: 'immediate' }, expiry: { kind: 'never' } })).toEqual([
      { source: 'purchase', promotionId: null, points: 200, activatesAt: THURSDAY_NOON_MSK, expiresAt: null },
    ]);
  });

  it('immediate, 365 days: expires 15 Jan 2027 12:00 MSK', () => {
    expect(buy({ activation: { kind: 'immediate' }, expiry: { kind: 'days', days: 365 } })).toEqual([
      {
        source: 'purchase',
        promotionId: null,
        points: 200,
        activatesAt: THURSDAY_NOON_MSK,
        expiresAt: Date.UTC(2027, 0, 15, 9, 0),
      },
    ]);
  });

  it('after 14 days, 90 days from accrual: 29 Jan and 15 Apr 2026 12:00 MSK', () => {
    // 15 Jan + 14 = 29 Jan; 15 Jan + 90 = 31 Jan (16) + Feb (28) + Mar (31) + 15 = 15 Apr.
    expect(buy({ activation: { kind: 'after_days', days: 14 }, expiry: { kind: 'days', days: 90 } })).toEqual(
      [
        {
          source: 'purchase',
          promotionId: null,
          points: 200,
          activatesAt: Date.UTC(2026, 0, 29, 9, 0),
          expiresAt: Date.UTC(2026, 3, 15, 9, 0),
        },
      ],
    );
  });

  it('on fixed dates: the first 1 Jan / 1 Jul after activation, at midnight MSK', () => {
    // Active from 29 Jan 2026; the next listed date is 1 Jul 2026 00:00 MSK = 30 Jun 21:00 UTC.
    const [lot] = buy({
      activation: { kind: 'after_days', days: 14 },
      expiry: { kind: 'fixed_dates', dates: ['01-01', '07-01'] },
    });
    expect(lot?.activatesAt).toBe(Date.UTC(2026, 0, 29, 9, 0));
    expect(lot?.expiresAt).toBe(Date.UTC(2026, 5, 30, 21, 0));
  });

  it('on 29 February: the next one after 15 Jan 2026 is 29 Feb 2028 00:00 MSK', () => {
    const [lot] = buy({ expiry: { kind: 'fixed_dates', dates: ['02-29'] } });
    expect(lot?.expiresAt).toBe(Date.UTC(2028, 1, 28, 21, 0));
  });

  it('creates one lot per distinct terms: food at 365 days, dairy never expiring after 7 days', () => {
    // food 10 000 x 2 % = 200 (standard rule); dairy 20 000 x 3 % = 600 (dairy rule).
    const dairyRule: RuleInput = {
      id: 'r-standard-dairy',
      cardTypeId: 'standard',
      categoryId: 'dairy',
      accrual: { kind: 'percent', percent: 300 },
      rounding: 'hundredth',
      expiry: { kind: 'never' },
      activation: { kind: 'after_days', days: 7 },
      payment: { kind: 'up_to', percent: 10_000 },
    };
    const r = priced(rulesWith({ rounding: 'hundredth' }, [dairyRule]), {
      receipt: receipt([line('bread', 10_000), line('milk', 20_000, 1, 'dairy'), line('buns', 5_000)]),
      buyer: buyerWith(0),
    });
    expect(r.lines.map((l) => l.accrual)).toEqual([200, 600, 100]);
    expect(r.accruals).toEqual([
      {
        source: 'purchase',
        promotionId: null,
        points: 300,
        activatesAt: THURSDAY_NOON_MSK,
        expiresAt: Date.UTC(2027, 0, 15, 9, 0),
      },
      {
        source: 'purchase',
        promotionId: null,
        points: 600,
        activatesAt: Date.UTC(2026, 0, 22, 9, 0),
        expiresAt: null,
      },
    ]);
    expect(r.totals.accrual).toBe(900);
  });
});

describe('accrual arithmetic', () => {
  it('computes percent points in each rounding mode', () => {
    // 9 999 kop x 12.34 % = 1 233.8766 hundredths.
    expect(percentPoints(9_999, 1_234, 'hundredth')).toBe(1_233);
    expect(percentPoints(9_999, 1_234, 'down_whole')).toBe(1_200);
    expect(percentPoints(9_999, 1_234, 'nearest_whole')).toBe(1_200);
    // 12.34 points +0.5 -> 12.84 rounds up to 13.
    expect(percentPoints(10_405, 1_234, 'nearest_whole')).toBe(1_300);
  });

  it('rounds hundredths as the rule says', () => {
    expect([roundPoints(449, 'nearest_whole'), roundPoints(450, 'nearest_whole')]).toEqual([400, 500]);
    expect([roundPoints(499, 'down_whole'), roundPoints(499, 'hundredth')]).toEqual([400, 499]);
  });

  it('picks the highest progressive tier reached, whatever the order of tiers', () => {
    const accrual = {
      kind: 'progressive' as const,
      tiers: [
        { fromReceiptAmount: kopecks(500_000), percent: 500 },
        { fromReceiptAmount: kopecks(100_000), percent: 300 },
      ],
    };
    expect(accrualPercent(accrual, 99_999)).toBe(0);
    expect(accrualPercent(accrual, 100_000)).toBe(300);
    expect(accrualPercent(accrual, 1_000_000)).toBe(500);
  });

  it('never accrues on a zero or negative base', () => {
    expect(accrualPoints({ kind: 'percent', percent: 10_000 }, 0, 0, 'hundredth')).toBe(0);
    expect(
      accrualPoints({ kind: 'per_amount', everyKopecks: 1, points: points(100) }, -5, 0, 'hundredth'),
    ).toBe(0);
  });

  it('keeps a lot alive at least one millisecond after it activates', () => {
    // Activation after 30 days but expiry 7 days after accrual: expiry would come first.
    const times = lotTimes(
      { activation: { kind: 'after_days', days: 30 }, expiry: { kind: 'days', days: 7 } },
      THURSDAY_NOON_MSK,
      'Europe/Moscow',
    );
    expect(times.activatesAt).toBe(Date.UTC(2026, 1, 14, 9, 0));
    expect(times.expiresAt).toBe(times.activatesAt + 1);
  });
});
