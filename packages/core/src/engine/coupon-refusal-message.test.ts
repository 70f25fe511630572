// Every refused coupon carries a Russian sentence for the cashier (C6, A5): what is wrong and what
// to do, with the series' dates in the merchant's zone (Moscow here) and its limits.
import { describe, expect, it } from 'vitest';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';
import { THURSDAY_NOON_MSK, buyerWith, line, prepared, standardSnapshot } from '#testing/rules-fixtures.ts';
import { calculate } from './calculate.ts';
import { couponRefusalMessage } from './coupon-refusal-message.ts';
import { CouponReason, PromotionReason } from './reason-codes.ts';

type PromotionInput = NonNullable<RulesSnapshotInput['promotions']>[number];
type SeriesInput = NonNullable<RulesSnapshotInput['couponSeries']>[number];

const NOW = THURSDAY_NOON_MSK; // 15.01.2026 12:00 Moscow
const MOSCOW_MIDNIGHT_1_DEC = Date.UTC(2025, 10, 30, 21, 0); // 01.12.2025 00:00 MSK

type Presented = {
  code: string;
  seriesId: string | null;
  uses?: number;
  buyerUses?: number;
  issuedToBuyerId?: string | null;
  blocked?: boolean;
};

/** The refusals of one receipt of 100.00 with series S1 unlocking 10 % off. */
function refusals(
  coupons: Presented[],
  o: { series?: Partial<SeriesInput>; promotion?: Partial<PromotionInput>; buyer?: unknown } = {},
) {
  const rules = prepared(
    standardSnapshot({
      promotions: [
        {
          id: 'promo-c',
          effect: { kind: 'discount_percent', percent: 1_000 },
          ...o.promotion,
          targeting: { ...o.promotion?.targeting, couponSeriesId: 'S1' },
        },
      ],
      couponSeries: [{ id: 'S1', promotionId: 'promo-c', usage: 'multi', ...o.series }],
    }),
  );
  const result = calculate(rules, {
    receipt: { storeId: 'store-1', lines: [line('p1', 10_000)], coupons },
    buyer: o.buyer === undefined ? buyerWith(0) : o.buyer,
    now: NOW,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.coupons.rejected;
}

const one = (code = 'SPRING10') => [{ code, seriesId: 'S1' }];

describe('a refused coupon says why in Russian', () => {
  it('unknown_code: check the code', () => {
    expect(refusals([{ code: 'nope', seriesId: null }])).toEqual([
      {
        code: 'NOPE',
        reason: CouponReason.unknownCode,
        message: 'Купон с таким кодом не найден: проверьте код или уберите купон из чека',
      },
    ]);
  });

  it('not_yet_valid: the local date it starts (with the time when not midnight)', () => {
    expect(refusals(one(), { series: { from: MOSCOW_MIDNIGHT_1_DEC + 365 * 86_400_000 } })).toEqual([
      {
        code: 'SPRING10',
        reason: CouponReason.notYetValid,
        message: 'Купон ещё не действует: начнёт действовать 01.12.2026',
      },
    ]);
    // 18:30 Moscow is 15:30 UTC.
    expect(refusals(one(), { series: { from: Date.UTC(2026, 0, 20, 15, 30) } })[0]?.message).toBe(
      'Купон ещё не действует: начнёт действовать 20.01.2026 в 18:30',
    );
  });

  it('expired: the local date it ended', () => {
    expect(refusals(one(), { series: { to: MOSCOW_MIDNIGHT_1_DEC } })).toEqual([
      {
        code: 'SPRING10',
        reason: CouponReason.expired,
        message: 'Срок действия купона истёк 01.12.2025: уберите купон из чека',
      },
    ]);
    // At 21:00 UTC it is already the next day in Moscow.
    expect(refusals(one(), { series: { to: Date.UTC(2026, 0, 10, 21, 0) } })[0]?.message).toBe(
      'Срок действия купона истёк 11.01.2026: уберите купон из чека',
    );
  });

  it('already_used, usage_limit_reached and buyer_limit_reached quote the limit', () => {
    expect(refusals([{ code: 'A', seriesId: 'S1', uses: 1 }], { series: { usage: 'single' } })[0]).toEqual({
      code: 'A',
      reason: CouponReason.alreadyUsed,
      message: 'Купон уже использован: одноразовый купон применяется один раз, уберите его из чека',
    });
    expect(refusals([{ code: 'A', seriesId: 'S1', uses: 3 }], { series: { maxUsesPerCode: 3 } })[0]).toEqual({
      code: 'A',
      reason: CouponReason.usageLimitReached,
      message: 'Купон уже применён наибольшее число раз (3): уберите его из чека',
    });
    expect(
      refusals([{ code: 'A', seriesId: 'S1', buyerUses: 2 }], { series: { maxUsesPerBuyer: 2 } })[0],
    ).toEqual({
      code: 'A',
      reason: CouponReason.buyerLimitReached,
      message: 'Покупатель уже применил купоны этой серии наибольшее число раз (2): уберите купон из чека',
    });
  });

  it('issued_to_another_buyer: only its owner may use it', () => {
    expect(refusals([{ code: 'P1', seriesId: 'S1', issuedToBuyerId: 'buyer-2' }])).toEqual([
      {
        code: 'P1',
        reason: CouponReason.issuedToAnotherBuyer,
        message: 'Купон выдан другому покупателю: его может применить только владелец',
      },
    ]);
  });

  it('blocked, duplicate_in_receipt and buyer_required', () => {
    expect(refusals([{ code: 'A', seriesId: 'S1', blocked: true }])[0]?.message).toBe(
      'Купон заблокирован: применить его нельзя, уберите его из чека',
    );
    expect(
      refusals([
        { code: 'A', seriesId: 'S1' },
        { code: 'B', seriesId: 'S1' },
      ]),
    ).toEqual([
      {
        code: 'B',
        reason: CouponReason.duplicateInReceipt,
        message: 'Купон этой серии уже есть в чеке: в одном чеке действует один купон серии',
      },
    ]);
    expect(refusals(one(), { series: { requiresBuyer: true }, buyer: null })).toEqual([
      {
        code: 'SPRING10',
        reason: CouponReason.buyerRequired,
        message:
          'Купон только для покупателя программы: сначала найдите покупателя по телефону, карте или QR',
      },
    ]);
  });

  it('promotion_not_applied names the failed condition: amount, store, or in general', () => {
    expect(refusals(one(), { promotion: { conditions: { minReceiptAmount: 50_000 } } })).toEqual([
      {
        code: 'SPRING10',
        reason: CouponReason.promotionNotApplied,
        message: 'Купон действителен, но скидки не дал: сумма чека меньше минимальной для акции',
      },
    ]);
    expect(refusals(one(), { promotion: { targeting: { storeIds: ['store-9'] } } })[0]?.message).toBe(
      'Купон действителен, но скидки не дал: акция купона не действует в этом магазине',
    );
    // Its promotion targets a product the receipt lacks: it was never a candidate.
    expect(refusals(one(), { promotion: { targeting: { productIds: ['p9'] } } })[0]?.message).toBe(
      'Купон действителен, но скидки не дал: условия его акции в этом чеке не выполнены',
    );
  });

  it('every reason has a sentence, with and without the series facts', () => {
    for (const reason of Object.values(CouponReason)) {
      const bare = couponRefusalMessage({ reason, timeZone: 'Europe/Moscow' });
      expect(bare).toMatch(/^[А-ЯЁ][^.]*\p{L}$/u);
      expect(bare).toContain(':');
    }
    expect(
      couponRefusalMessage({
        reason: CouponReason.promotionNotApplied,
        timeZone: 'Europe/Moscow',
        promotionReason: PromotionReason.outsideHours,
      }),
    ).toBe('Купон действителен, но скидки не дал: акция купона не действует в это время');
  });
});
