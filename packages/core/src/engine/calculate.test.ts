import { describe, expect, it } from 'vitest';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';

const rules = prepared(standardSnapshot());

function priced(input: unknown, r = rules) {
  const result = calculate(r, input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('calculate: the BonusPlus worked example (seed 001, "Продажи")', () => {
  it('pays 125 points over 234.00 and 468.00 as 41.66 + 83.34 and accrues 4 + 8 points', () => {
    const result = priced({
      receipt: { storeId: 'store-1', lines: [line('p1', 23_400), line('p2', 46_800)], pointsToPay: 12_500 },
      buyer: buyerWith(100_000),
      now: THURSDAY_NOON_MSK,
    });
    expect(result.lines.map((l) => l.pointsPaid)).toEqual([4_166, 8_334]);
    expect(result.lines.map((l) => l.paidMoney)).toEqual([19_234, 38_466]);
    expect(result.lines.map((l) => l.accrual)).toEqual([400, 800]);
    expect(result.totals).toMatchObject({
      amount: 70_200,
      pointsPaid: 12_500,
      paidMoney: 57_700,
      accrual: 1_200,
    });
    expect(result.pointsPayment.consumedLots).toEqual([{ lotId: 'lot-1', points: 12_500 }]);
  });
});
