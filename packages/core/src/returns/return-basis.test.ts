import { describe, expect, it } from 'vitest';
import { calculate } from '#engine/calculate.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculateReturn } from './return-calculation.ts';
import { returnBasisFromCalculation } from './return-basis.ts';

describe('returns of a priced receipt (A7)', () => {
  const rules = prepared(
    standardSnapshot({
      gifts: {
        firstPurchase: {
          points: 10_000,
          terms: { expiry: { kind: 'days', days: 30 }, activation: { kind: 'immediate' } },
        },
      },
    }),
  );
  const sale = calculate(rules, {
    receipt: { storeId: 'store-1', lines: [line('p1', 23_400), line('p2', 46_800, 3)], pointsToPay: 12_500 },
    buyer: buyerWith(100_000, { purchasesCount: 0 }),
    now: THURSDAY_NOON_MSK,
  });
  if (!sale.ok) throw new Error(JSON.stringify(sale.error));
  const basis = returnBasisFromCalculation(sale.value);

  it('takes the engine figures line by line and keeps the first-purchase gift at receipt level', () => {
    // 234.00 + 3 x 468.00 = 1638.00; 125 points: 234/1638 x 125 = 17.857 -> 17.85, 1404/1638 x 125 = 107.14 -> 107.15 with the kopeck left
    expect(basis.lines.map((l) => [l.amount, l.pointsPaid, l.paidMoney])).toEqual([
      [23_400, 1_785, 21_615],
      [140_400, 10_715, 129_685],
    ]);
    expect(basis.receiptAccruals).toEqual([expect.objectContaining({ points: 10_000 })]);
  });

  it('gives back exactly what the sale took when returned piece by piece', () => {
    const previous: Array<{ lines: Array<{ index: number; quantity: number }> }> = [];
    let money = 0;
    let pointsBack = 0;
    let accrualBack = 0;
    let giftBack = 0;
    for (const request of [
      { lines: [{ index: 1, quantity: 1000 }] },
      {
        lines: [
          { index: 0, quantity: 1000 },
          { index: 1, quantity: 1000 },
        ],
      },
      { lines: [{ index: 1, quantity: 1000 }] },
    ]) {
      const result = calculateReturn(basis, previous, request);
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      money += result.value.totals.refundMoney;
      pointsBack += result.value.totals.pointsRestored;
      accrualBack += result.value.totals.accrualReversed;
      giftBack += result.value.receiptAccrualsReversed.reduce((a, r) => a + r.points, 0);
      previous.push(request);
    }
    expect(money).toBe(sale.value.totals.paidMoney);
    expect(pointsBack).toBe(sale.value.totals.pointsPaid);
    expect(accrualBack).toBe(sale.value.lines.reduce((a, l) => a + l.accrual, 0));
    expect(giftBack).toBe(10_000);
  });
});
