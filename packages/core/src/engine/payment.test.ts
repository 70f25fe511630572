// Payment with points (A5): the maximum payable and why, and the allocation over lines.
import { describe, expect, it } from 'vitest';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';

type RuleInput = RulesSnapshotInput['rules'][number];

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

const standard = prepared(standardSnapshot());

function run(rules: ReturnType<typeof prepared>, input: Record<string, unknown>) {
  return calculate(rules, { now: THURSDAY_NOON_MSK, ...input });
}

function priced(rules: ReturnType<typeof prepared>, input: Record<string, unknown>) {
  const result = run(rules, input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const receipt = (lines: unknown[], pointsToPay: number | 'max' = 0) => ({
  storeId: 'store-1',
  lines,
  pointsToPay,
});

describe('the maximum payable and what limits it', () => {
  it('allows the whole receipt when the rule allows 100 % and the balance covers it (none)', () => {
    const r = priced(standard, {
      receipt: receipt([line('p1', 23_400), line('p2', 46_800)]),
      buyer: buyerWith(100_000),
    });
    expect(r.pointsPayment).toMatchObject({ maximum: 70_200, limitedBy: 'none', available: 100_000 });
    expect(r.lines.map((l) => l.maxPoints)).toEqual([23_400, 46_800]);
  });

  it('caps each line at the card type percent: silver pays up to 50 % (line_caps)', () => {
    // 50 % of 234.00 = 117.00, of 468.01 = 234.005 -> 234.00 (down to the kopeck).
    const r = priced(standard, {
      receipt: receipt([line('p1', 23_400), line('p2', 46_801)]),
      buyer: buyerWith(100_000, { cardTypeId: 'silver' }),
    });
    expect(r.lines.map((l) => l.maxPoints)).toEqual([11_700, 23_400]);
    expect(r.pointsPayment).toMatchObject({ maximum: 35_100, limitedBy: 'line_caps' });
  });

  it('is limited by the balance left after debt and reservations (balance)', () => {
    // 1 000.00 active - 200.00 debt - 300.00 reserved = 500.00 available.
    const r = priced(standard, {
      receipt: receipt([line('p1', 70_200)]),
      buyer: buyerWith(100_000, { debt: 20_000, reserved: 30_000 }),
    });
    expect(r.pointsPayment).toMatchObject({ available: 50_000, maximum: 50_000, limitedBy: 'balance' });
  });

  it('counts only lots active now: pending and expired lots pay nothing', () => {
    const r = priced(standard, {
      receipt: receipt([line('p1', 70_200)]),
      buyer: buyerWith(0, {
        lots: [
          { id: 'active', remaining: 10_000, activatesAt: 0, expiresAt: null },
          { id: 'pending', remaining: 20_000, activatesAt: THURSDAY_NOON_MSK + 1, expiresAt: null },
          { id: 'expired', remaining: 40_000, activatesAt: 0, expiresAt: THURSDAY_NOON_MSK },
        ],
      }),
    });
    expect(r.pointsPayment).toMatchObject({ available: 10_000, maximum: 10_000, limitedBy: 'balance' });
  });

  it('is limited by a promotion that caps payment with points (promotion_limit)', () => {
    const rules = prepared(
      standardSnapshot({
        promotions: [
          {
            id: 'cap-100',
            effect: { kind: 'flags_only' },
            limits: { maxPointsPayment: 10_000 },
          },
        ],
      }),
    );
    const r = priced(rules, { receipt: receipt([line('p1', 70_200)]), buyer: buyerWith(100_000) });
    expect(r.pointsPayment).toMatchObject({ maximum: 10_000, limitedBy: 'promotion_limit' });
  });

  it('drops to zero when the maximum is below the minimum to redeem (minimum)', () => {
    // Minimum 100.00 points; the balance allows only 50.00.
    const rules = rulesWith({ payment: { kind: 'up_to', percent: 10_000, minPoints: 10_000 } });
    const r = priced(rules, { receipt: receipt([line('p1', 70_200)]), buyer: buyerWith(5_000) });
    expect(r.pointsPayment).toMatchObject({ maximum: 0, minimum: 10_000, limitedBy: 'minimum' });
  });

  it('answers no_buyer for anonymous receipts and programme for discount programmes', () => {
    const anonymous = priced(standard, { receipt: receipt([line('p1', 70_200)]), buyer: null });
    expect(anonymous.pointsPayment).toMatchObject({ maximum: 0, limitedBy: 'no_buyer', available: 0 });
    const discount = prepared(
      standardSnapshot({ programme: { type: 'discount', defaultCardTypeId: 'standard' } }),
    );
    const r = priced(discount, { receipt: receipt([line('p1', 70_200)]), buyer: buyerWith(100_000) });
    expect(r.pointsPayment).toMatchObject({ maximum: 0, limitedBy: 'programme' });
    expect(r.lines[0]?.maxPoints).toBe(0);
  });

  it('takes nothing from lines the rule forbids, lines marked noPointsPayment or forbidden by a promotion', () => {
    const alcoholForbidden: RuleInput = {
      id: 'r-standard-alcohol',
      cardTypeId: 'standard',
      categoryId: 'alcohol',
      accrual: { kind: 'none' },
      expiry: { kind: 'never' },
      activation: { kind: 'immediate' },
      payment: { kind: 'forbidden' },
    };
    const rules = rulesWith({}, [alcoholForbidden], {
      promotions: [
        {
          id: 'no-points-on-sale',
          targeting: { productIds: ['sale'] },
          effect: { kind: 'flags_only' },
          flags: { forbidPointsPayment: true },
        },
      ],
    });
    const r = priced(rules, {
      receipt: receipt([
        line('wine', 100_000, 1, 'alcohol'),
        { ...line('tobacco', 20_000), noPointsPayment: true },
        line('sale', 30_000),
        line('bread', 5_000),
      ]),
      buyer: buyerWith(1_000_000),
    });
    expect(r.lines.map((l) => l.maxPoints)).toEqual([0, 0, 0, 5_000]);
    expect(r.pointsPayment).toMatchObject({ maximum: 5_000, limitedBy: 'line_caps' });
  });

  it('keeps the minimum price: a 100.00 RUB line with minPrice 90.00 takes at most 10 points', () => {
    const r = priced(standard, {
      receipt: receipt([{ ...line('p1', 10_000, 2), minPrice: 9_000 }], 'max'),
      buyer: buyerWith(100_000),
    });
    // Two pieces: amount 20 000, floor 18 000, so 2 000 payable.
    expect(r.lines[0]).toMatchObject({ maxPoints: 2_000, pointsPaid: 2_000, paidMoney: 18_000 });
  });

  it('caps on the amount after discounts (combined programme, 10 % card discount)', () => {
    // 100 000 - 10 % = 90 000; silver-like 50 % cap = 45 000.
    const rules = rulesWith({ discountPercent: 1_000, payment: { kind: 'up_to', percent: 5_000 } }, [], {
      programme: { type: 'combined', defaultCardTypeId: 'standard' },
    });
    const r = priced(rules, { receipt: receipt([line('p1', 100_000)]), buyer: buyerWith(1_000_000) });
    expect(r.lines[0]).toMatchObject({ amountAfterDiscount: 90_000, maxPoints: 45_000 });
  });
});

describe('requests', () => {
  it("'max' pays the maximum and equals asking for that number", () => {
    const input = {
      receipt: receipt([line('p1', 23_400), line('p2', 46_800)], 'max'),
      buyer: buyerWith(50_000),
    };
    const max = priced(standard, input);
    expect(max.totals.pointsPaid).toBe(50_000);
    const explicit = priced(standard, { ...input, receipt: { ...input.receipt, pointsToPay: 50_000 } });
    expect(explicit).toEqual(max);
  });

  it('refuses more than the maximum, with the maximum and the reason', () => {
    const result = run(standard, {
      receipt: receipt([line('p1', 10_000)], 10_001),
      buyer: buyerWith(50_000),
    });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'points_exceed_maximum',
        details: { requested: 10_001, maximum: 10_000, limitedBy: 'none' },
      }) as unknown,
    });
    const anonymous = run(standard, { receipt: receipt([line('p1', 10_000)], 1), buyer: null });
    expect(anonymous.ok ? null : anonymous.error.details).toEqual({
      requested: 1,
      maximum: 0,
      limitedBy: 'no_buyer',
    });
  });

  it('refuses less than the minimum, but not zero', () => {
    const rules = rulesWith({ payment: { kind: 'up_to', percent: 10_000, minPoints: 10_000 } });
    const input = { receipt: receipt([line('p1', 70_200)], 9_999), buyer: buyerWith(50_000) };
    const below = run(rules, input);
    expect(below.ok ? null : below.error).toMatchObject({
      code: 'points_below_minimum',
      details: { requested: 9_999, minimum: 10_000 },
    });
    expect(run(rules, { ...input, receipt: { ...input.receipt, pointsToPay: 10_000 } }).ok).toBe(true);
    expect(run(rules, { ...input, receipt: { ...input.receipt, pointsToPay: 0 } }).ok).toBe(true);
  });

  it('asks for a confirmation code when the programme wants one and points are paid', () => {
    const rules = prepared(
      standardSnapshot({
        programme: { type: 'bonus', defaultCardTypeId: 'standard', redemptionRequiresCode: true },
      }),
    );
    const paying = priced(rules, { receipt: receipt([line('p1', 10_000)], 100), buyer: buyerWith(50_000) });
    expect(paying.requiresConfirmationCode).toBe(true);
    const notPaying = priced(rules, { receipt: receipt([line('p1', 10_000)]), buyer: buyerWith(50_000) });
    expect(notPaying.requiresConfirmationCode).toBe(false);
  });
});

describe('allocation over lines to the kopeck', () => {
  it('splits 1.00 point over three equal lines as 0.33 + 0.33 + 0.34 (the last kopeck to the later line)', () => {
    // Each line: floor(100 x 10 000 / 30 000) = 33; 1 left; equal room, ties go to the later line.
    const r = priced(standard, {
      receipt: receipt([line('a', 10_000), line('b', 10_000), line('c', 10_000)], 100),
      buyer: buyerWith(50_000),
    });
    expect(r.lines.map((l) => l.pointsPaid)).toEqual([33, 33, 34]);
    expect(r.lines.map((l) => l.paidMoney)).toEqual([9_967, 9_967, 9_966]);
  });

  it('splits in proportion to what each line may take, not to its price', () => {
    // Caps: 50 000 (no min price) and 10 000 (100 000 - min 90 000). 300.00 points:
    // floor(30 000 x 50/60) = 25 000, floor(30 000 x 10/60) = 5 000.
    const r = priced(standard, {
      receipt: receipt([line('a', 50_000), { ...line('b', 100_000), minPrice: 90_000 }], 30_000),
      buyer: buyerWith(100_000),
    });
    expect(r.lines.map((l) => l.maxPoints)).toEqual([50_000, 10_000]);
    expect(r.lines.map((l) => l.pointsPaid)).toEqual([25_000, 5_000]);
  });

  it('gives leftover kopecks to the line with the most room left', () => {
    // Caps 1 000 and 2 000, pay 1 000: floor(1 000/3) = 333, floor(2 000/3) = 666; 1 left.
    // Room: 1 000 - 333 = 667 vs 2 000 - 666 = 1 334 -> the second line: 333 + 667.
    const r = priced(standard, {
      receipt: receipt([line('a', 1_000), line('b', 2_000)], 1_000),
      buyer: buyerWith(100_000),
    });
    expect(r.lines.map((l) => l.pointsPaid)).toEqual([333, 667]);
  });

  it('never pays a line more than its cap, even when most lines are capped to zero', () => {
    const r = priced(standard, {
      receipt: receipt(
        [{ ...line('a', 10_000), noPointsPayment: true }, line('b', 3), { ...line('c', 500), minPrice: 498 }],
        'max',
      ),
      buyer: buyerWith(100_000),
    });
    expect(r.lines.map((l) => l.pointsPaid)).toEqual([0, 3, 2]);
    expect(r.totals).toMatchObject({ pointsPaid: 5, paidMoney: 10_498 });
  });

  it('takes the points from the soonest-expiring lots first', () => {
    const r = priced(standard, {
      receipt: receipt([line('p1', 10_000)], 7_000),
      buyer: buyerWith(0, {
        lots: [
          { id: 'never', remaining: 10_000, activatesAt: 0, expiresAt: null },
          { id: 'late', remaining: 5_000, activatesAt: 0, expiresAt: Date.UTC(2026, 5, 1) },
          { id: 'soon', remaining: 4_000, activatesAt: 0, expiresAt: Date.UTC(2026, 1, 1) },
        ],
      }),
    });
    expect(r.pointsPayment.consumedLots).toEqual([
      { lotId: 'soon', points: 4_000 },
      { lotId: 'late', points: 3_000 },
    ]);
  });
});
