// Coupon codes checked online before a sale (C6 at the till): the counters the engine needs for
// each code, so the till prices coupons exactly as the server would.
import { z } from 'zod';
import { serverTimeSchema } from '#sync/sync-common.schema.ts';

export const couponLookupQuerySchema = z.object({
  /** Up to 20 codes, comma-separated, as typed (compared without spaces and case). */
  codes: z
    .string()
    .min(1)
    .max(1400)
    .transform((value) => [...new Set(value.split(',').map((code) => code.trim()))].filter(Boolean))
    .pipe(z.array(z.string().min(1).max(64)).min(1).max(20)),
  /** The buyer of the sale: counts their uses and checks codes issued to someone. */
  buyerId: z.uuid().optional(),
});

/** A code with its counters: the engine's `PresentedCoupon`; `seriesId` null means unknown. */
export const couponItemSchema = z.object({
  code: z.string(),
  seriesId: z.uuid().nullable(),
  uses: z.int().min(0),
  buyerUses: z.int().min(0),
  issuedToBuyerId: z.uuid().nullable(),
  blocked: z.boolean(),
});
export type CouponItem = z.infer<typeof couponItemSchema>;

export const couponLookupResponseSchema = z
  .object({
    coupons: z.array(couponItemSchema),
    /** This terminal's last applied op, read with the counters: its later uses are not in them. */
    appliedSeq: z.int(),
    serverTime: serverTimeSchema,
  })
  .meta({ id: 'SyncCouponLookup' });
