import { describe, expect, it } from 'vitest';
import { kopecks, points } from '#money/money.ts';
import { calculateReturn, remainingQuantities } from './return-calculation.ts';
import type { ReturnBasis, ReturnBasisLine, ReturnCalculation, ReturnRequest } from './return.types.ts';

function line(quantity: number, pointsPaid: number, paidMoney: number, accrual: number): ReturnBasisLine {
  return {
    quantity,
    amount: kopecks(pointsPaid + paidMoney),
    pointsPaid: points(pointsPaid),
    paidMoney: kopecks(paidMoney),
    accrual: points(accrual),
  };
}

// 234.00 and 468.00 (3 pieces at 156.00); 125.00 points paid split 41.66 / 83.34; 4.00 and 8.00 accrued.
const receipt: ReturnBasis = {
  lines: [line(1000, 4166, 19234, 400), line(3000, 8334, 38466, 800)],
  receiptAccruals: [
    { key: 'gift:promo1', points: points(1000) },
    { key: 'referral:buyerX', points: points(333) },
  ],
};

function calculated(
  basis: ReturnBasis,
  previous: readonly ReturnRequest[],
  request: ReturnRequest,
): ReturnCalculation {
  const result = calculateReturn(basis, previous, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('calculateReturn, worked numbers', () => {
  it('returns line 0 in full: its own figures, and 234/702 of the receipt accruals', () => {
    expect(calculated(receipt, [], { lines: [{ index: 0, quantity: 1000 }] })).toEqual({
      lines: [
        {
          index: 0,
          quantity: 1000,
          refundMoney: 19234,
          pointsRestored: 4166,
          accrualReversed: 400,
          amount: 23400,
        },
      ],
      // 1000 * 23400 / 70200 = 333.3 -> 333; 333 * 23400 / 70200 = 111 exactly.
      receiptAccrualsReversed: [
        { key: 'gift:promo1', points: 333 },
        { key: 'referral:buyerX', points: 111 },
      ],
      totals: { refundMoney: 19234, pointsRestored: 4166, accrualReversed: 400, amount: 23400 },
      fullyReturned: false,
    });
  });

  it('returns 1 of 3 pieces of line 1: a floored third of each figure', () => {
    expect(calculated(receipt, [], { lines: [{ index: 1, quantity: 1000 }] })).toEqual({
      lines: [
        {
          index: 1,
          quantity: 1000,
          refundMoney: 12822,
          pointsRestored: 2778,
          accrualReversed: 266,
          amount: 15600,
        },
      ],
      receiptAccrualsReversed: [
        { key: 'gift:promo1', points: 222 },
        { key: 'referral:buyerX', points: 74 },
      ],
      totals: { refundMoney: 12822, pointsRestored: 2778, accrualReversed: 266, amount: 15600 },
      fullyReturned: false,
    });
  });

  it('returns the pieces one by one, then line 0: the last steps take the remainders and the sums are exact', () => {
    const one = { index: 1, quantity: 1000 };
    const second = calculated(receipt, [{ lines: [one] }], { lines: [one] });
    expect(second.lines).toEqual([
      {
        index: 1,
        quantity: 1000,
        refundMoney: 12822,
        pointsRestored: 2778,
        accrualReversed: 267,
        amount: 15600,
      },
    ]);
    expect(second.receiptAccrualsReversed).toEqual([
      { key: 'gift:promo1', points: 222 },
      { key: 'referral:buyerX', points: 74 },
    ]);

    const third = calculated(receipt, [{ lines: [one] }, { lines: [one] }], { lines: [one] });
    expect(third.lines[0]?.accrualReversed).toBe(267);
    expect(third.fullyReturned).toBe(false);

    const last = calculated(receipt, [{ lines: [one] }, { lines: [one] }, { lines: [one] }], {
      lines: [{ index: 0, quantity: 1000 }],
    });
    // 1000 - 3 * 222 and 333 - 3 * 74: everything accrued to the receipt is back, not a point more.
    expect(last.receiptAccrualsReversed).toEqual([
      { key: 'gift:promo1', points: 334 },
      { key: 'referral:buyerX', points: 111 },
    ]);
    expect(last.fullyReturned).toBe(true);
  });

  it('returns the whole receipt at once', () => {
    const all = calculated(receipt, [], {
      lines: [
        { index: 1, quantity: 3000 },
        { index: 0, quantity: 1000 },
      ],
    });
    expect(all.lines.map((returned) => returned.index)).toEqual([0, 1]);
    expect(all.totals).toEqual({
      refundMoney: 57700,
      pointsRestored: 12500,
      accrualReversed: 1200,
      amount: 70200,
    });
    expect(all.receiptAccrualsReversed).toEqual([
      { key: 'gift:promo1', points: 1000 },
      { key: 'referral:buyerX', points: 333 },
    ]);
    expect(all.fullyReturned).toBe(true);
  });

  it('returns weighed goods in grams: 0.300 of 1.250 kg of cheese, then the rest', () => {
    // 1.250 kg at 450.00 per kg = 562.50, of it 50.00 in points; 5.12 points accrued.
    const cheese: ReturnBasis = { lines: [line(1250, 5000, 51250, 512)], receiptAccruals: [] };
    const first = calculated(cheese, [], { lines: [{ index: 0, quantity: 300 }] });
    expect(first.lines).toEqual([
      {
        index: 0,
        quantity: 300,
        refundMoney: 12300,
        pointsRestored: 1200,
        accrualReversed: 122,
        amount: 13500,
      },
    ]);
    expect(remainingQuantities(cheese, [{ lines: [{ index: 0, quantity: 300 }] }])).toEqual({
      ok: true,
      value: [950],
    });

    const rest = calculated(cheese, [{ lines: [{ index: 0, quantity: 300 }] }], {
      lines: [{ index: 0, quantity: 950 }],
    });
    expect(rest.lines).toEqual([
      {
        index: 0,
        quantity: 950,
        refundMoney: 38950,
        pointsRestored: 3800,
        accrualReversed: 390,
        amount: 42750,
      },
    ]);
    expect(rest.fullyReturned).toBe(true);
  });

  it('leaves out receipt accruals with nothing to take back yet', () => {
    const basis: ReturnBasis = {
      lines: [line(10_000, 0, 100_000, 0)],
      receiptAccruals: [{ key: 'gift:first-purchase', points: points(5) }],
    };
    // 5 * 10000 / 100000 = 0.5 -> nothing on the first piece.
    expect(calculated(basis, [], { lines: [{ index: 0, quantity: 1000 }] }).receiptAccrualsReversed).toEqual(
      [],
    );
  });

  it('takes back accruals of a receipt worth nothing only with its last item', () => {
    const freebies: ReturnBasis = {
      lines: [line(2000, 0, 0, 0)],
      receiptAccruals: [{ key: 'gift:promo1', points: points(500) }],
    };
    const half = { index: 0, quantity: 1000 };
    expect(calculated(freebies, [], { lines: [half] }).receiptAccrualsReversed).toEqual([]);
    expect(calculated(freebies, [{ lines: [half] }], { lines: [half] }).receiptAccrualsReversed).toEqual([
      { key: 'gift:promo1', points: 500 },
    ]);
  });

  it('keeps receipt accruals on a zero-value line until the paid goods come back', () => {
    const withGift: ReturnBasis = {
      lines: [line(1000, 0, 10_000, 100), line(1000, 0, 0, 0)],
      receiptAccruals: [{ key: 'gift:promo1', points: points(300) }],
    };
    const paid = calculated(withGift, [], { lines: [{ index: 0, quantity: 1000 }] });
    // All the money is back, so all the receipt accruals are, though the free item is still out.
    expect(paid.receiptAccrualsReversed).toEqual([{ key: 'gift:promo1', points: 300 }]);
    expect(paid.fullyReturned).toBe(false);
  });
});

describe('remainingQuantities', () => {
  it('subtracts every earlier return per line', () => {
    expect(
      remainingQuantities(receipt, [
        { lines: [{ index: 1, quantity: 1000 }] },
        {
          lines: [
            { index: 1, quantity: 500 },
            { index: 0, quantity: 1000 },
          ],
        },
      ]),
    ).toEqual({ ok: true, value: [0, 1500] });
  });

  it('answers the whole quantities for a receipt with no returns', () => {
    expect(remainingQuantities(receipt, [])).toEqual({ ok: true, value: [1000, 3000] });
  });

  it('refuses a history that returned more than was sold', () => {
    const result = remainingQuantities(receipt, [
      { lines: [{ index: 0, quantity: 1000 }] },
      { lines: [{ index: 0, quantity: 1 }] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.details.issues.map((issue) => issue.code)).toEqual(['previous_returns_inconsistent']);
  });
});
