// The engine's `Calculation` (packages/core/src/engine/calculation-result.ts) as it travels inside
// a receipt op: the server books what the till printed, so it checks the shape of every figure
// it books. Unknown keys pass through (they are stored, not read).
import { z } from 'zod';
import { epochMsSchema } from '#sync/sync-common.schema.ts';

const amount = z.int().min(0).max(10_000_000_000_000);
const id = z.string().min(1).max(100);

export const calculatedLineSchema = z.looseObject({
  index: z.int().min(0),
  lineId: z.string().nullable(),
  productId: id,
  categoryId: id.nullable(),
  quantity: z.int().min(1).max(1_000_000_000),
  price: amount,
  amount,
  discount: amount,
  amountAfterDiscount: amount,
  pointsPaid: amount,
  paidMoney: amount,
  maxPoints: amount,
  accrual: amount,
  ruleId: id.nullable(),
  happyHourId: id.nullable(),
  applied: z.array(z.unknown()),
  considered: z.array(z.unknown()),
});

export const accrualLotSchema = z.object({
  source: z.enum(['purchase', 'promotion', 'promotion_gift', 'first_purchase']),
  promotionId: id.nullable(),
  points: amount,
  activatesAt: epochMsSchema,
  expiresAt: epochMsSchema.nullable(),
});

export const referralRewardSchema = z.object({
  referrerId: z.uuid(),
  level: z.int().min(1).max(5),
  points: amount,
  activatesAt: epochMsSchema,
  expiresAt: epochMsSchema.nullable(),
});

export const calculationSchema = z
  .looseObject({
    rulesVersion: z.string().min(1).max(100),
    cardTypeId: id.nullable(),
    lines: z.array(calculatedLineSchema).min(1).max(1000),
    giftLines: z.array(
      z.object({ promotionId: id, productId: id, quantity: z.int().min(1).max(1_000_000_000) }),
    ),
    totals: z.object({
      amount,
      discount: amount,
      amountAfterDiscount: amount,
      pointsPaid: amount,
      paidMoney: amount,
      accrual: amount,
    }),
    pointsPayment: z.looseObject({
      requested: amount,
      applied: amount,
      maximum: amount,
      limitedBy: z.string(),
      minimum: amount,
      available: amount,
      consumedLots: z.array(z.object({ lotId: id, points: amount })),
    }),
    accruals: z.array(accrualLotSchema).max(1000),
    referralRewards: z.array(referralRewardSchema).max(5),
    promotions: z.array(z.unknown()),
    coupons: z.object({
      accepted: z.array(z.object({ code: z.string(), seriesId: id, promotionId: id })).max(20),
      // `message` (the cashier's sentence, C6) is optional: tills of older versions push without it.
      rejected: z
        .array(z.object({ code: z.string(), reason: z.string(), message: z.string().max(500).optional() }))
        .max(20),
    }),
    requiresConfirmationCode: z.boolean(),
  })
  .refine((c) => c.lines.reduce((sum, line) => sum + line.pointsPaid, 0) === c.totals.pointsPaid, {
    message: 'Сумма баллов по строкам не равна итогу',
    path: ['totals', 'pointsPaid'],
  })
  .refine((c) => c.accruals.reduce((sum, lot) => sum + lot.points, 0) === c.totals.accrual, {
    message: 'Сумма начислений не равна итогу',
    path: ['totals', 'accrual'],
  });
export type SyncCalculation = z.infer<typeof calculationSchema>;
