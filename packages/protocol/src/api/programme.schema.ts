// The loyalty programme over the API (C1-C6). Bodies reuse the engine's snapshot schemas from
// packages/core, so whatever the API accepts the engine can price. Instants are epoch ms.
import { z } from 'zod';
import {
  accrualSchema,
  happyHourSchema,
  pointsPaymentSchema,
  promotionSchema,
  referralLevelSchema,
  roundingSchema,
} from '@loyalty/core/rules/snapshot.schema';
import {
  activationSchema,
  expirySchema,
  instantSchema,
  kopecksSchema,
  lotTermsSchema,
  percentSchema,
  pointsSchema,
} from '@loyalty/core/rules/schema-primitives';
import { TIER_PERIOD_DAYS } from '@loyalty/core/tiers/card-type-evaluation';

/** One cell of the card type x category matrix; categoryId null is the card type's default. */
export const ruleBodySchema = z.object({
  cardTypeId: z.uuid(),
  categoryId: z.uuid().nullable(),
  accrual: accrualSchema,
  accrualBase: z.enum(['paid', 'full']).default('paid'),
  rounding: roundingSchema.default('down_whole'),
  expiry: expirySchema,
  activation: activationSchema,
  payment: pointsPaymentSchema,
  discountPercent: percentSchema.default(0),
});
export const ruleSchema = ruleBodySchema.extend({ id: z.uuid() }).meta({ id: 'ProgrammeRule' });

/** A card type's default rule given at creation, so the programme is never left without one. */
export const defaultRuleBodySchema = ruleBodySchema.omit({ cardTypeId: true, categoryId: true });

export const cardTypeBodySchema = z.object({
  name: z.string().min(1).max(100),
  rank: z.int().min(0).max(1000),
  threshold: kopecksSchema.nullable().default(null),
  issue: z.enum(['default', 'threshold', 'manual']),
});
export const cardTypeCreateSchema = cardTypeBodySchema.extend({ defaultRule: defaultRuleBodySchema });
export const cardTypeUpdateSchema = cardTypeBodySchema.partial();
/** Responses use plain integers: brands are for values inside the engine. */
export const cardTypeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    rank: z.int(),
    threshold: z.int().nullable(),
    issue: z.enum(['default', 'threshold', 'manual']),
  })
  .meta({ id: 'CardType' });

/** Limits on redemption while a terminal is offline (B3, A8). */
export const offlineLimitsSchema = z.object({
  maxSnapshotAgeHours: z
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  maxOfflineHours: z
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  maxPointsPerReceipt: pointsSchema.nullable().default(null),
  maxPointsPerBuyerPerDay: pointsSchema.nullable().default(null),
  maxPointsPerTerminalSinceSync: pointsSchema.nullable().default(null),
  maxClockSkewMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(5),
});

export const programmeSettingsSchema = z
  .object({
    type: z.enum(['bonus', 'discount', 'combined']),
    defaultCardTypeId: z.uuid(),
    allowDowngrade: z.boolean().default(true),
    redemptionRequiresCode: z.boolean().default(false),
    /**
     * Net purchases over the last this many days (the merchant's days, today included) decide
     * the card type (C2), re-checked every night; null: all-time total.
     */
    tierPeriodDays: z.int().min(TIER_PERIOD_DAYS.min).max(TIER_PERIOD_DAYS.max).nullable().default(null),
    gifts: z
      .object({
        firstPurchase: z.object({ points: pointsSchema, terms: lotTermsSchema }).nullable().default(null),
      })
      .prefault({}),
    referral: z
      .object({
        levels: z.array(referralLevelSchema).max(5).default([]),
        periodDays: z.int().min(1).max(3650).nullable().default(null),
        terms: lotTermsSchema.default({ expiry: { kind: 'never' }, activation: { kind: 'immediate' } }),
        /**
         * 'anyone': any buyer may bring others (C8). 'invite_only': only buyers the merchant allowed
         * to invite (`canInvite`) can be named as referrers, and only they earn rewards.
         */
        mode: z.enum(['anyone', 'invite_only']).default('anyone'),
      })
      .prefault({}),
    offlineLimits: offlineLimitsSchema.prefault({}),
    /**
     * Which buyers a terminal keeps in its cache (the `buyers` sync stream): 'merchant', all of
     * them; 'city', those registered or last seen in a store of the terminal's store city (a
     * store without a city gets the whole merchant). Others are found online by lookup.
     */
    terminalBuyerScope: z.enum(['merchant', 'city']).default('merchant'),
  })
  .meta({ id: 'ProgrammeSettings' });

/** Everything of the programme but promotions, for the cabinet's programme page. */
export const programmeSchema = z
  .object({
    version: z.number().int(),
    settings: programmeSettingsSchema.nullable(),
    cardTypes: z.array(cardTypeSchema),
    rules: z.array(ruleSchema),
    happyHours: z.array(happyHourSchema.omit({ id: true }).extend({ id: z.uuid() })),
  })
  .meta({ id: 'Programme' });

export const rulesReplaceSchema = z.object({ rules: z.array(ruleBodySchema).max(10_000) });
export const happyHoursReplaceSchema = z.object({
  happyHours: z.array(happyHourSchema.omit({ id: true })).max(1000),
});

/** A promotion as the engine reads it, minus the id the server assigns. */
export const promotionBodySchema = promotionSchema.omit({ id: true });
export const promotionViewSchema = promotionSchema
  .extend({
    id: z.uuid(),
    state: z.enum(['scheduled', 'active', 'ended', 'archived']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Promotion' });
export const promotionListQuerySchema = z.object({
  state: z.enum(['scheduled', 'active', 'ended', 'archived']).optional(),
  search: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** A coupon series (C6): one shared code, or unique codes generated for a print run. */
export const couponSeriesCreateSchema = z.object({
  name: z.string().min(1).max(200),
  promotionId: z.uuid(),
  from: instantSchema.nullable().default(null),
  to: instantSchema.nullable().default(null),
  usage: z.enum(['single', 'multi']),
  maxUsesPerCode: z.int().min(1).nullable().default(null),
  maxUsesPerBuyer: z.int().min(1).nullable().default(null),
  requiresBuyer: z.boolean().default(false),
  codes: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('shared'), code: z.string().trim().min(3).max(64) }),
    z.object({
      kind: z.literal('unique'),
      count: z.int().min(1).max(100_000),
      prefix: z.string().max(10).default(''),
      length: z.int().min(6).max(20).default(8),
    }),
  ]),
});
export const couponSeriesSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    promotionId: z.uuid(),
    from: z.number().nullable(),
    to: z.number().nullable(),
    usage: z.enum(['single', 'multi']),
    maxUsesPerCode: z.number().nullable(),
    maxUsesPerBuyer: z.number().nullable(),
    requiresBuyer: z.boolean(),
    codesCount: z.number().int(),
    usedCount: z.number().int(),
    blockedCount: z.number().int(),
    /** Receipts the series' codes were used on. */
    redemptionsCount: z.number().int(),
  })
  .meta({ id: 'CouponSeries' });
export const couponCodeSchema = z
  .object({
    code: z.string(),
    uses: z.number().int(),
    blocked: z.boolean(),
    issuedToBuyerId: z.uuid().nullable(),
  })
  .meta({ id: 'CouponCode' });
export const couponSeriesListQuerySchema = z.object({
  /** A part of the series name. */
  search: z.string().trim().max(200).optional(),
  promotionId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export const couponCodeListQuerySchema = z.object({
  /** A part of the code, any case. */
  search: z.string().trim().max(64).optional(),
  state: z.enum(['unused', 'used', 'blocked']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(5000).default(100),
});
export const couponCodeParamsSchema = z.object({ id: z.uuid(), code: z.string().trim().min(1).max(64) });
/** Blocks or unblocks: a blocked code is refused at the till with the reason `blocked`. */
export const couponBlockSchema = z.object({ blocked: z.boolean() });
export const couponBlockResultSchema = z.object({ codes: z.number().int() });
/**
 * Issues a code of a unique-code series to a named buyer (C6): it becomes personal, and only that
 * buyer may redeem it. Without `code` the first free code of the series (unused, unblocked, not
 * issued) is taken; a buyer who already holds an unused code of the series gets that one again.
 */
export const couponIssueSchema = z.object({
  buyerId: z.uuid(),
  code: z.string().trim().min(1).max(64).optional(),
});
/** A code issued to a buyer, with its series (the buyer card's coupons). */
export const buyerCouponSchema = z
  .object({
    code: z.string(),
    uses: z.number().int(),
    blocked: z.boolean(),
    seriesId: z.uuid(),
    seriesName: z.string(),
    promotionId: z.uuid(),
    usage: z.enum(['single', 'multi']),
    from: z.number().nullable(),
    to: z.number().nullable(),
  })
  .meta({ id: 'BuyerCoupon' });
/** One redemption of a code: the receipt it was used on, the buyer and when (C6 usage). */
export const couponRedemptionSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    redeemedAt: z.iso.datetime(),
    receiptId: z.uuid().nullable(),
    receiptNumber: z.string().nullable(),
    storeName: z.string().nullable(),
    amount: z.number().int().nullable().describe('Сумма чека, копейки'),
    discount: z.number().int().nullable().describe('Скидка по чеку, копейки'),
    buyerId: z.uuid().nullable(),
    /** Shown to callers who may read buyers (buyers:read); null otherwise. */
    buyerName: z.string().nullable(),
    buyerPhone: z.string().nullable(),
  })
  .meta({ id: 'CouponRedemption' });
export const couponRedemptionListQuerySchema = z.object({
  code: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
