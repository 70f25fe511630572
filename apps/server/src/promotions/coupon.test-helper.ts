// Test helpers for coupon series (C6): a merchant with a default card type and a store, and a
// 10 % promotion with its series, made through the API as a marketer would.
import { expect } from 'vitest';
import type { Session, TestApp } from '../../test/test-app.ts';

/** An owner's session and a store of a new merchant whose programme prices purchases. */
export type CouponShop = { owner: Session; storeId: string };

/** A new merchant with the default card type (2 % accrual) and one store. */
export async function couponShop(t: TestApp): Promise<CouponShop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: {
      accrual: { kind: 'percent', percent: 200 },
      expiry: { kind: 'never' },
      activation: { kind: 'immediate' },
      payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
    },
  });
  expect(cardType.statusCode, cardType.body).toBe(201);
  const store = await t.db
    .insertInto('stores')
    .values({ merchant_id: owner.merchantId, name: 'Магазин на Мира', attributes: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { owner, storeId: store.id };
}

/** A 10 % promotion with its series; `codes` as the create route takes them. */
export async function couponSeries<T = { id: string }>(
  s: CouponShop,
  name: string,
  codes: unknown,
  usage: 'single' | 'multi' = 'single',
): Promise<T> {
  const promotion = await s.owner.request('POST', '/api/v1/promotions', {
    name: `Акция ${name}`,
    effect: { kind: 'discount_percent', percent: 1000 },
  });
  expect(promotion.statusCode, promotion.body).toBe(201);
  const created = await s.owner.request('POST', '/api/v1/coupon-series', {
    name,
    promotionId: promotion.json<{ id: string }>().id,
    usage,
    codes,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<T>();
}
