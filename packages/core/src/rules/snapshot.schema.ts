// The rules snapshot: everything the engine needs to price a receipt, as the server stores it and
// terminals sync it. Server and till run the same engine on the same snapshot, so they agree.
import { z } from 'zod';
import {
  activationSchema,
  expirySchema,
  idSchema,
  instantSchema,
  kopecksSchema,
  lotTermsSchema,
  percentSchema,
  pointsSchema,
  timeWindowSchema,
  weekdaySchema,
} from './schema-primitives.ts';

/** How points accrue on a line (C3). */
export const accrualSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('percent'), percent: percentSchema }),
  /** Y points for every full X kopecks of the line's base; at most 100 points per rouble. */
  z
    .object({ kind: z.literal('per_amount'), everyKopecks: z.int().min(1), points: pointsSchema })
    .refine((a) => a.points <= a.everyKopecks * 100, {
      message: 'Не более 100 баллов за рубль',
      path: ['points'],
    }),
  /** The percent is chosen by the receipt sum after discounts: the highest tier reached. */
  z.object({
    kind: z.literal('progressive'),
    tiers: z
      .array(z.object({ fromReceiptAmount: kopecksSchema, percent: percentSchema }))
      .min(1)
      .max(20),
  }),
]);
export type Accrual = z.output<typeof accrualSchema>;

/** Whether and how much of a line may be paid with points (C3, A5). */
export const pointsPaymentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forbidden') }),
  z.object({
    kind: z.literal('up_to'),
    percent: percentSchema,
    /** The least a buyer may redeem on one receipt. */
    minPoints: pointsSchema.prefault(0),
  }),
]);
export type PointsPaymentRule = z.output<typeof pointsPaymentSchema>;

/** Rounding of accrued points: to whole points down, to nearest whole point, or kept in hundredths. */
export const roundingSchema = z.enum(['down_whole', 'nearest_whole', 'hundredth']);
export type Rounding = z.output<typeof roundingSchema>;

/** One cell of the card type x category matrix (C3); `categoryId: null` is the card type's default. */
export const ruleSchema = z.object({
  id: idSchema,
  cardTypeId: idSchema,
  categoryId: idSchema.nullable(),
  accrual: accrualSchema,
  /** 'paid': accrue on the amount paid in money; 'full': on the amount after discounts. */
  accrualBase: z.enum(['paid', 'full']).default('paid'),
  rounding: roundingSchema.default('down_whole'),
  expiry: expirySchema,
  activation: activationSchema,
  payment: pointsPaymentSchema,
  discountPercent: percentSchema.default(0),
});
export type Rule = z.output<typeof ruleSchema>;

/** A card type (tier, status) (C2). */
export const cardTypeSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(100),
  rank: z.int().min(0).max(1000),
  /** Total purchases from which the type is reached; null for types not reached by purchases. */
  threshold: kopecksSchema.nullable(),
  issue: z.enum(['default', 'threshold', 'manual']),
});
export type CardType = z.output<typeof cardTypeSchema>;

/** Happy hours (C4): while active they override accrual and/or discount of matching rules. */
export const happyHourSchema = z.object({
  id: idSchema,
  name: z.string().max(200).default(''),
  days: z.array(weekdaySchema).min(1).max(7),
  windows: z.array(timeWindowSchema).min(1).max(10),
  from: instantSchema.nullable().default(null),
  to: instantSchema.nullable().default(null),
  cardTypeIds: z.array(idSchema).default([]),
  categoryIds: z.array(idSchema).default([]),
  storeIds: z.array(idSchema).default([]),
  accrual: accrualSchema.nullable().default(null),
  discountPercent: percentSchema.nullable().default(null),
});
export type HappyHour = z.output<typeof happyHourSchema>;

/** What a promotion gives (C5). */
export const promotionEffectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('discount_percent'), percent: percentSchema }),
  /** A sum off: per receipt (spread over the promotion's lines) or per unit. */
  z.object({ kind: z.literal('discount_amount'), amount: kopecksSchema, per: z.enum(['receipt', 'unit']) }),
  z.object({ kind: z.literal('fixed_price'), price: kopecksSchema }),
  /** The highest tier reached by the sum of the promotion's lines gives its percent. */
  z.object({
    kind: z.literal('threshold_discount'),
    tiers: z
      .array(z.object({ fromAmount: kopecksSchema, percent: percentSchema }))
      .min(1)
      .max(20),
  }),
  /** Discount by position: steps[0] for the 1st unit, steps[1] for the 2nd...; the last step repeats. */
  z.object({ kind: z.literal('ladder'), steps: z.array(percentSchema).min(1).max(20) }),
  /** In every group of buy + get units (dearest first) the `get` cheapest are discounted by percent. */
  z.object({
    kind: z.literal('buy_x_get_y'),
    buy: z.int().min(1).max(100),
    get: z.int().min(1).max(100),
    percent: percentSchema.default(10_000),
  }),
  z.object({
    kind: z.literal('gift_line'),
    productId: idSchema,
    quantity: z.int().min(1).max(1_000_000).default(1000),
  }),
  z.object({ kind: z.literal('points_percent'), percent: percentSchema }),
  z.object({ kind: z.literal('gift_points'), points: pointsSchema, terms: lotTermsSchema }),
  /** Only the flags and limits act (e.g. "no payment with points on these goods"). */
  z.object({ kind: z.literal('flags_only') }),
]);
export type PromotionEffect = z.output<typeof promotionEffectSchema>;

/** A promotion (C5) with its targeting, conditions, effect, stacking and limits. */
export const promotionSchema = z.object({
  id: idSchema,
  name: z.string().max(200).default(''),
  /** Higher runs first; the cascade applies promotions in this order. */
  priority: z.int().min(-1_000_000).max(1_000_000).default(0),
  from: instantSchema.nullable().default(null),
  to: instantSchema.nullable().default(null),
  archived: z.boolean().default(false),
  targeting: z
    .object({
      productIds: z.array(idSchema).default([]),
      categoryIds: z.array(idSchema).default([]),
      excludeProductIds: z.array(idSchema).default([]),
      excludeCategoryIds: z.array(idSchema).default([]),
      storeIds: z.array(idSchema).default([]),
      /** Every key must match one of its values, e.g. { format: ['hyper'], city: ['Казань'] }. */
      storeAttributes: z.record(z.string(), z.array(z.string())).default({}),
      cardTypeIds: z.array(idSchema).default([]),
      segmentIds: z.array(idSchema).default([]),
      buyerIds: z.array(idSchema).default([]),
      days: z.array(weekdaySchema).default([]),
      windows: z.array(timeWindowSchema).default([]),
      requiresCard: z.boolean().default(false),
      /** Applies only to lines in the buyer's chosen favourite categories. */
      favouriteCategoriesOnly: z.boolean().default(false),
      /** Rewards by current balance: the buyer's active balance must lie within these bounds. */
      balanceMin: pointsSchema.nullable().default(null),
      balanceMax: pointsSchema.nullable().default(null),
      /** Applies only when a valid coupon of this series is presented. */
      couponSeriesId: idSchema.nullable().default(null),
    })
    .prefault({}),
  conditions: z
    .object({
      minReceiptAmount: kopecksSchema.nullable().default(null),
      /** Every entry must be present: a product or set in the receipt. */
      requiredItems: z
        .array(
          z.object({
            productIds: z.array(idSchema).default([]),
            categoryIds: z.array(idSchema).default([]),
            minQuantity: z.int().min(1).default(1000),
          }),
        )
        .max(20)
        .default([]),
    })
    .prefault({}),
  effect: promotionEffectSchema,
  stacking: z
    .object({
      stackable: z.boolean().default(true),
      exclusivityGroup: z.string().min(1).max(100).nullable().default(null),
      base: z.enum(['original', 'discounted']).default('discounted'),
      excludesCardDiscount: z.boolean().default(false),
    })
    .prefault({}),
  flags: z
    .object({
      forbidPointsPayment: z.boolean().default(false),
      noAccrualOnDiscounted: z.boolean().default(false),
      requiresConfirmationCode: z.boolean().default(false),
    })
    .prefault({}),
  limits: z
    .object({
      maxDiscount: kopecksSchema.nullable().default(null),
      maxAccrual: pointsSchema.nullable().default(null),
      maxPointsPayment: pointsSchema.nullable().default(null),
    })
    .prefault({}),
});
export type Promotion = z.output<typeof promotionSchema>;

/** A coupon or promo-code series (C6); its codes unlock one promotion. */
export const couponSeriesSchema = z.object({
  id: idSchema,
  name: z.string().max(200).default(''),
  promotionId: idSchema,
  from: instantSchema.nullable().default(null),
  to: instantSchema.nullable().default(null),
  usage: z.enum(['single', 'multi']),
  maxUsesPerCode: z.int().min(1).nullable().default(null),
  maxUsesPerBuyer: z.int().min(1).nullable().default(null),
  requiresBuyer: z.boolean().default(false),
});
export type CouponSeries = z.output<typeof couponSeriesSchema>;

/** A referral level's reward (C8), for referrers of the given card types (empty: all). */
export const referralLevelSchema = z.object({
  level: z.int().min(1).max(5),
  reward: z.discriminatedUnion('kind', [
    /** A percent of what the referred buyer pays in money, on every purchase in the period. */
    z.object({ kind: z.literal('percent'), percent: percentSchema }),
    /** A fixed amount once, on the referred buyer's first purchase. */
    z.object({ kind: z.literal('fixed'), points: pointsSchema }),
  ]),
  cardTypeIds: z.array(idSchema).default([]),
});
export type ReferralLevel = z.output<typeof referralLevelSchema>;

/** Store with its attributes (format, cluster, city...). */
export const storeSchema = z.object({
  id: idSchema,
  attributes: z.record(z.string(), z.string()).default({}),
});

/** A node of the product category tree. */
export const categorySchema = z.object({ id: idSchema, parentId: idSchema.nullable().default(null) });

/** The whole rules snapshot for one merchant. */
export const rulesSnapshotSchema = z.object({
  version: z.string().min(1).max(100),
  timeZone: z.string().min(1).max(64),
  programme: z.object({
    type: z.enum(['bonus', 'discount', 'combined']),
    defaultCardTypeId: idSchema,
    allowDowngrade: z.boolean().default(true),
    /** Redemption of points needs a code the buyer receives (A5). */
    redemptionRequiresCode: z.boolean().default(false),
  }),
  cardTypes: z.array(cardTypeSchema).min(1).max(100),
  categories: z.array(categorySchema).max(100_000).default([]),
  stores: z.array(storeSchema).max(100_000).default([]),
  rules: z.array(ruleSchema).min(1).max(100_000),
  happyHours: z.array(happyHourSchema).max(1000).default([]),
  promotions: z.array(promotionSchema).max(20_000).default([]),
  couponSeries: z.array(couponSeriesSchema).max(20_000).default([]),
  gifts: z
    .object({
      firstPurchase: z.object({ points: pointsSchema, terms: lotTermsSchema }).nullable().default(null),
    })
    .prefault({}),
  referral: z
    .object({
      levels: z.array(referralLevelSchema).max(5).default([]),
      /** Rewards accrue for purchases within this many days of the referred buyer's registration. */
      periodDays: z.int().min(1).max(3650).nullable().default(null),
      terms: lotTermsSchema.default({ expiry: { kind: 'never' }, activation: { kind: 'immediate' } }),
    })
    .prefault({}),
});
export type RulesSnapshot = z.output<typeof rulesSnapshotSchema>;
/** The snapshot as it travels (before defaults are filled in). */
export type RulesSnapshotInput = z.input<typeof rulesSnapshotSchema>;
