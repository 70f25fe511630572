// The demo loyalty programme, stored exactly as the cabinet's routes store it (bodies parsed by
// the protocol schemas, so every default is filled in): Стандартная 2 % and Серебряная 5 % from
// 50,000 RUB, 365-day points, payment up to 50 %, no points on alcohol, a first-purchase gift,
// promotions of different mechanics and two coupon series.
import type { Transaction } from 'kysely';
import {
  defaultRuleBodySchema,
  programmeSettingsSchema,
  promotionBodySchema,
} from '@loyalty/protocol/api/programme.schema';
import type { Database } from '#db/database-schema.ts';
import type { DemoCatalogue } from './demo-catalogue.ts';
import type { SeededRandom } from './seeded-random.ts';

/** The shared promo code printed on leaflets. */
export const DEMO_SHARED_COUPON = 'ROMASHKA300';
/** Silver is reached at 50,000 roubles of purchases. */
export const SILVER_THRESHOLD = 5_000_000;
// The look-alike-free alphabet of coupon-codes.ts, so demo codes read like generated ones.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Ids of what the receipt replay refers to. */
export type DemoProgramme = {
  standardId: string;
  silverId: string;
  shared: { seriesId: string; codeId: string; code: string };
  unique: { seriesId: string; codes: Array<{ id: string; code: string }> };
};

type Trx = Transaction<Database>;

const lotTerms = (days: number) => ({
  expiry: { kind: 'days' as const, days },
  activation: { kind: 'immediate' as const },
});

function rule(percent: number) {
  return defaultRuleBodySchema.parse({
    accrual: percent > 0 ? { kind: 'percent', percent } : { kind: 'none' },
    accrualBase: 'paid',
    rounding: 'nearest_whole',
    ...lotTerms(365),
    payment: percent > 0 ? { kind: 'up_to', percent: 5_000, minPoints: 0 } : { kind: 'forbidden' },
  });
}

/** Writes the programme of `merchantId`; `from` is when its promotions started. */
export async function writeDemoProgramme(
  trx: Trx,
  random: SeededRandom,
  merchantId: string,
  catalogue: DemoCatalogue,
  from: Date,
  uniqueCodes: number,
): Promise<DemoProgramme> {
  const standardId = random.uuid();
  const silverId = random.uuid();
  await trx
    .insertInto('card_types')
    .values([
      {
        id: standardId,
        merchant_id: merchantId,
        name: 'Стандартная',
        rank: 0,
        threshold: null,
        issue: 'default',
      },
      {
        id: silverId,
        merchant_id: merchantId,
        name: 'Серебряная',
        rank: 1,
        threshold: SILVER_THRESHOLD,
        issue: 'threshold',
      },
    ])
    .execute();
  const settings = programmeSettingsSchema.parse({
    type: 'bonus',
    defaultCardTypeId: standardId,
    gifts: { firstPurchase: { points: 100_00, terms: lotTerms(30) } },
  });
  await trx
    .insertInto('programme_settings')
    .values({ merchant_id: merchantId, body: JSON.stringify(settings) })
    .execute();
  const cells = [
    { card: standardId, category: null, body: rule(200) },
    { card: silverId, category: null, body: rule(500) },
    // Points may be neither earned nor spent on alcohol (Russian law on alcohol promotion).
    { card: standardId, category: catalogue.alcoholCategoryId, body: rule(0) },
    { card: silverId, category: catalogue.alcoholCategoryId, body: rule(0) },
  ];
  await trx
    .insertInto('programme_rules')
    .values(
      cells.map((c) => ({
        merchant_id: merchantId,
        card_type_id: c.card,
        category_id: c.category,
        body: JSON.stringify(c.body),
      })),
    )
    .execute();

  const sharedSeriesId = random.uuid();
  const uniqueSeriesId = random.uuid();
  // Promotions aimed at what they discount: the engine explains, on every line it considered,
  // why a promotion did not act, so narrow targeting also keeps each receipt's explanation short.
  const promotions = [
    {
      id: random.uuid(),
      body: {
        name: 'Молочные выходные: −10 % на молочные продукты',
        priority: 10,
        targeting: {
          categoryIds: [catalogue.dairyCategoryId],
          days: [6, 7],
          storeAttributes: { format: ['hyper', 'supermarket'] },
        },
        effect: { kind: 'discount_percent', percent: 1_000 },
      },
    },
    {
      id: random.uuid(),
      body: {
        name: '3 по цене 2 на чипсы и снеки',
        priority: 20,
        targeting: { productIds: catalogue.snackProductIds },
        effect: { kind: 'buy_x_get_y', buy: 2, get: 1, percent: 10_000 },
      },
    },
    {
      id: random.uuid(),
      body: {
        name: 'Бытовая химия: −5 % от 1 000 ₽, −10 % от 2 000 ₽',
        priority: 0,
        targeting: { categoryIds: [catalogue.householdCategoryId] },
        effect: {
          kind: 'threshold_discount',
          tiers: [
            { fromAmount: 100_000, percent: 500 },
            { fromAmount: 200_000, percent: 1_000 },
          ],
        },
      },
    },
    {
      id: random.uuid(),
      series: sharedSeriesId,
      body: {
        name: `Промокод ${DEMO_SHARED_COUPON}: −300 ₽ от 2 000 ₽`,
        priority: 5,
        targeting: { excludeCategoryIds: [catalogue.alcoholCategoryId], couponSeriesId: sharedSeriesId },
        conditions: { minReceiptAmount: 200_000 },
        effect: { kind: 'discount_amount', amount: 30_000, per: 'receipt' },
      },
    },
    {
      id: random.uuid(),
      series: uniqueSeriesId,
      body: {
        name: 'Персональный купон: −20 % на кофе и чай',
        priority: 5,
        targeting: {
          categoryIds: catalogue.couponCategoryIds,
          couponSeriesId: uniqueSeriesId,
          requiresCard: true,
        },
        effect: { kind: 'discount_percent', percent: 2_000 },
      },
    },
  ];
  await trx
    .insertInto('promotions')
    .values(
      promotions.map((p) => {
        const body = promotionBodySchema.parse({ ...p.body, from: from.getTime() });
        return {
          id: p.id,
          merchant_id: merchantId,
          name: body.name,
          priority: body.priority,
          starts_at: from,
          ends_at: null,
          body: JSON.stringify(body),
        };
      }),
    )
    .execute();
  const promotionOf = (series: string) => promotions.find((p) => p.series === series)?.id ?? '';
  // The terms the coupon-series route stores: its body minus codes, promotion and name.
  const seriesTerms = (usage: 'single' | 'multi') =>
    JSON.stringify({
      from: from.getTime(),
      to: null,
      usage,
      maxUsesPerCode: null,
      maxUsesPerBuyer: usage === 'multi' ? 1 : null,
      requiresBuyer: true,
    });
  await trx
    .insertInto('coupon_series')
    .values([
      {
        id: sharedSeriesId,
        merchant_id: merchantId,
        promotion_id: promotionOf(sharedSeriesId),
        name: `Листовки ${DEMO_SHARED_COUPON}`,
        body: seriesTerms('multi'),
      },
      {
        id: uniqueSeriesId,
        merchant_id: merchantId,
        promotion_id: promotionOf(uniqueSeriesId),
        name: 'Персональные купоны −20 % на кофе и чай',
        body: seriesTerms('single'),
      },
    ])
    .execute();

  const codes = new Set<string>();
  while (codes.size < uniqueCodes) {
    let code = 'RM';
    for (let i = 0; i < 8; i++) code += CODE_ALPHABET[random.int(0, CODE_ALPHABET.length - 1)];
    codes.add(code);
  }
  return {
    standardId,
    silverId,
    shared: { seriesId: sharedSeriesId, codeId: random.uuid(), code: DEMO_SHARED_COUPON },
    unique: { seriesId: uniqueSeriesId, codes: [...codes].map((code) => ({ id: random.uuid(), code })) },
  };
}
