// What a till (or the server's calculate endpoint) passes to the engine for one receipt.
import { z } from 'zod';
import { idSchema, instantSchema, kopecksSchema, pointsSchema } from '#rules/schema-primitives.ts';

/** An instant the engine does calendar arithmetic from (up to ~10 years on): at most year 9999. */
const calendarInstantSchema = instantSchema.max(Date.UTC(9999, 11, 31));

/** A receipt line; quantity in thousandths of a unit (1000 = one piece, 1250 = 1.25 kg). */
export const receiptLineSchema = z.object({
  lineId: z.string().min(1).max(100).optional(),
  productId: idSchema,
  categoryId: idSchema.nullable().default(null),
  quantity: z.int().min(1).max(1_000_000_000),
  /** Price of one unit, kopecks. */
  price: kopecksSchema,
  /** The least one unit may cost after every discount and points payment. */
  minPrice: kopecksSchema.prefault(0),
  noDiscount: z.boolean().default(false),
  noAccrual: z.boolean().default(false),
  noPointsPayment: z.boolean().default(false),
});
export type ReceiptLine = z.output<typeof receiptLineSchema>;

/** A coupon code as presented, with the usage counters the caller looked up (C6). */
export const presentedCouponSchema = z.object({
  code: z.string().trim().min(1).max(64),
  /** The series the caller found for this code; null when the code is unknown. */
  seriesId: idSchema.nullable(),
  uses: z.int().min(0).default(0),
  buyerUses: z.int().min(0).default(0),
  issuedToBuyerId: idSchema.nullable().default(null),
  blocked: z.boolean().default(false),
});
export type PresentedCoupon = z.output<typeof presentedCouponSchema>;

/** The receipt being priced. */
export const receiptSchema = z.object({
  storeId: idSchema,
  lines: z.array(receiptLineSchema).min(1).max(1000),
  coupons: z.array(presentedCouponSchema).max(20).default([]),
  /** Points the buyer wants to pay with, in hundredths, or 'max' for the most allowed. */
  pointsToPay: z.union([pointsSchema, z.literal('max')]).prefault(0),
});
export type Receipt = z.output<typeof receiptSchema>;

/** A lot of the buyer's points as the caller knows it (server ledger or terminal snapshot). */
export const lotSchema = z.object({
  id: idSchema,
  remaining: pointsSchema,
  activatesAt: instantSchema,
  expiresAt: instantSchema.nullable(),
});

/** What the engine needs to know about the identified buyer. */
export const buyerStateSchema = z.object({
  id: idSchema,
  cardTypeId: idSchema,
  segmentIds: z.array(idSchema).max(1000).default([]),
  favouriteCategoryIds: z.array(idSchema).max(100).default([]),
  lots: z.array(lotSchema).max(100_000).default([]),
  /** Overdraft owed from offline spends beyond the balance (C12). */
  debt: pointsSchema.prefault(0),
  /** Points held or spent on this terminal but not yet confirmed by the server. */
  reserved: pointsSchema.prefault(0),
  /** Completed purchases before this one; 0 makes this the first purchase (C7). */
  purchasesCount: z.int().min(0).default(0),
  registeredAt: calendarInstantSchema.nullable().default(null),
  /** Who brought this buyer, by level (C8): level 1 invited them, level 2 invited level 1... */
  referrers: z
    .array(z.object({ buyerId: idSchema, level: z.int().min(1).max(5), cardTypeId: idSchema }))
    .max(5)
    .default([]),
});
export type BuyerState = z.output<typeof buyerStateSchema>;

/** The engine's whole input besides the rules: receipt, buyer (null when anonymous) and time. */
export const calculationInputSchema = z.object({
  receipt: receiptSchema,
  buyer: buyerStateSchema.nullable().default(null),
  now: calendarInstantSchema,
});
export type CalculationInput = z.input<typeof calculationInputSchema>;
