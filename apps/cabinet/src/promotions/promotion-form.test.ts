// The promotion editor's model (C5): what a person types becomes the engine's units, every field
// survives a load and save unchanged, and the server's error paths name the form's fields.
import { describe, expect, it } from 'vitest';
import { promotionBodySchema } from '@loyalty/protocol/api/programme.schema';
import { bodyOf, fieldIssues, tabOf, toForm, type EditorForm, type Promotion } from './promotion-form.ts';

const PRODUCT = '5f0c7a4e-2b7d-4a52-9d57-1f3a9b2c1d01';
const CATEGORY = '5f0c7a4e-2b7d-4a52-9d57-1f3a9b2c1d02';

function typed(effect: EditorForm['effect']): EditorForm {
  return { ...toForm(null), name: ' Лесенка ', effect };
}

describe('promotion form (C5)', () => {
  it('turns percents, roubles, points and units into basis points, kopecks, hundredths and thousandths', () => {
    const form = typed({ kind: 'ladder', steps: [0, 10, 25.5] });
    form.targeting.windows = [{ from: '09:00', to: '12:00' }];
    form.targeting.storeAttributes.city = ['Казань'];
    form.targeting.balanceMin = 100;
    form.conditions.minReceiptAmount = 1500.5;
    form.conditions.requiredItems = [{ productIds: [PRODUCT], categoryIds: [], minQuantity: 2 }];
    form.limits.maxDiscount = 300;
    form.limits.maxAccrual = 50;
    const body = promotionBodySchema.parse(bodyOf(form, null));
    expect(body.name).toBe('Лесенка');
    expect(body.effect).toEqual({ kind: 'ladder', steps: [0, 1000, 2550] });
    expect(body.targeting).toMatchObject({
      windows: [{ from: '09:00', to: '12:00' }],
      storeAttributes: { city: ['Казань'] },
      balanceMin: 10_000,
      balanceMax: null,
    });
    expect(body.conditions).toEqual({
      minReceiptAmount: 150_050,
      requiredItems: [{ productIds: [PRODUCT], categoryIds: [], minQuantity: 2000 }],
    });
    expect(body.limits).toEqual({ maxDiscount: 30_000, maxAccrual: 5000, maxPointsPayment: null });
    const buy = promotionBodySchema.parse(
      bodyOf(typed({ kind: 'buy_x_get_y', buy: 2, get: 1, percent: 100 }), null),
    );
    expect(buy.effect).toEqual({ kind: 'buy_x_get_y', buy: 2, get: 1, percent: 10_000 });
  });

  it('loads and saves every field of an existing promotion unchanged, keeping other store attributes and the coupon link', () => {
    const stored = promotionBodySchema.parse({
      name: 'Подарочные баллы',
      priority: 7,
      from: 1_790_000_000_000,
      to: null,
      effect: {
        kind: 'gift_points',
        points: 50_000,
        terms: {
          expiry: { kind: 'fixed_dates', dates: ['12-31'] },
          activation: { kind: 'after_days', days: 3 },
        },
      },
      targeting: {
        productIds: [PRODUCT],
        excludeCategoryIds: [CATEGORY],
        storeAttributes: { format: ['hyper'], region: ['Юг'] },
        segmentIds: ['vip'],
        days: [6, 7],
        favouriteCategoriesOnly: true,
        balanceMax: 100_000,
        couponSeriesId: 'series-1',
      },
      conditions: { requiredItems: [{ categoryIds: [CATEGORY], minQuantity: 1500 }] },
      stacking: { stackable: false, exclusivityGroup: 'весна', base: 'original', excludesCardDiscount: true },
      flags: { noAccrualOnDiscounted: true },
      limits: { maxPointsPayment: 20_000 },
    });
    const promotion = {
      ...stored,
      id: '5f0c7a4e-2b7d-4a52-9d57-1f3a9b2c1d03',
      state: 'active',
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    } as Promotion;
    expect(promotionBodySchema.parse(bodyOf(toForm(promotion), promotion))).toEqual(stored);
  });

  it('names the field and its tab for request paths and for the engine snapshot paths', () => {
    const issues = fieldIssues({
      issues: [
        { path: 'body.effect.steps.1', message: 'Слишком большое значение' },
        { path: 'body.targeting.windows.0.from', message: 'Ожидается время в формате ЧЧ:ММ' },
        { path: 'promotions[3].effect.terms.expiry', message: 'Неверный срок' },
        { path: 'body.to', message: 'Неверная дата' },
        { code: 'no path' },
      ],
    });
    expect(issues).toEqual([
      { name: ['effect', 'steps', 1], message: 'Слишком большое значение' },
      { name: ['targeting', 'windows', 0, 'from'], message: 'Ожидается время в формате ЧЧ:ММ' },
      { name: ['effect', 'terms', 'expiry'], message: 'Неверный срок' },
      { name: ['period'], message: 'Неверная дата' },
    ]);
    expect(issues.map((i) => tabOf(i.name))).toEqual(['effect', 'targeting', 'effect', 'main']);
    expect(fieldIssues(null)).toEqual([]);
  });
});
