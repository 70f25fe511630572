// A receipt op's calculation with the coupons' refusal sentences (C6) validates, and so does one
// pushed by a till of an older version, which has no `message`: the server must book both.
import { describe, expect, it } from 'vitest';
import { calculate } from '@loyalty/core/engine/calculate';
import {
  buyerWith,
  line,
  prepared,
  standardSnapshot,
  THURSDAY_NOON_MSK,
} from '@loyalty/core/testing/rules-fixtures';
import { calculationSchema } from '#sync/calculation.schema.ts';

/** A real calculation: 100.00 with one blocked coupon and one unknown code. */
function calculationWithRefusals() {
  const rules = prepared(
    standardSnapshot({
      promotions: [
        {
          id: 'promo-c',
          effect: { kind: 'discount_percent', percent: 1_000 },
          targeting: { couponSeriesId: 'S1' },
        },
      ],
      couponSeries: [{ id: 'S1', promotionId: 'promo-c', usage: 'multi' }],
    }),
  );
  const result = calculate(rules, {
    receipt: {
      storeId: 'store-1',
      lines: [line('p1', 10_000)],
      coupons: [
        { code: 'OLD', seriesId: 'S1', blocked: true },
        { code: 'NOPE', seriesId: null },
      ],
    },
    buyer: buyerWith(0),
    now: THURSDAY_NOON_MSK,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('calculationSchema: refused coupons', () => {
  it('keeps the sentence of each refused coupon', () => {
    const parsed = calculationSchema.parse(JSON.parse(JSON.stringify(calculationWithRefusals())));
    expect(parsed.coupons.rejected).toEqual([
      {
        code: 'OLD',
        reason: 'blocked',
        message: 'Купон заблокирован: применить его нельзя, уберите его из чека',
      },
      {
        code: 'NOPE',
        reason: 'unknown_code',
        message: 'Купон с таким кодом не найден: проверьте код или уберите купон из чека',
      },
    ]);
  });

  it("accepts an older till's calculation without sentences, and refuses a sentence that is not text", () => {
    const calculation = calculationWithRefusals();
    const older = {
      ...calculation,
      coupons: {
        ...calculation.coupons,
        rejected: calculation.coupons.rejected.map(({ code, reason }) => ({ code, reason })),
      },
    };
    expect(calculationSchema.parse(JSON.parse(JSON.stringify(older))).coupons.rejected).toEqual([
      { code: 'OLD', reason: 'blocked' },
      { code: 'NOPE', reason: 'unknown_code' },
    ]);
    const broken = {
      ...calculation,
      coupons: { ...calculation.coupons, rejected: [{ code: 'OLD', reason: 'blocked', message: 42 }] },
    };
    expect(calculationSchema.safeParse(JSON.parse(JSON.stringify(broken))).success).toBe(false);
  });
});
