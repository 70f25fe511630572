// Reports for the cabinet's dashboard (G1) and sales summary (G5).
import { z } from 'zod';
import { listParam } from '#api/common.schema.ts';

const day = z.iso.date('Дата в формате ГГГГ-ММ-ДД');

/**
 * Both ends included, in the merchant's calendar (its time zone); at most about two years. With
 * `cashierId` (one or several): the sales these cashiers made, the returns they took and the
 * buyers they registered.
 */
export const salesSummaryQuerySchema = z
  .object({ from: day, to: day, cashierId: listParam(z.uuid()) })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'Конец периода раньше начала' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 800 * 86_400_000, {
    path: ['to'],
    message: 'Период не длиннее 800 дней',
  });

/**
 * Sales figures of one day or of the whole period; money in kopecks, points in hundredths. A return
 * counts on the day it was made: it takes its goods' value off the revenue and its points off the
 * points accrued and spent; the receipt itself stays counted.
 */
export const salesFiguresSchema = z.object({
  /** Receipt totals after discounts, minus the value of the goods returned. */
  revenue: z.number().int(),
  receipts: z.number().int(),
  /** revenue / receipts, rounded; null without receipts. */
  averageCheck: z.number().int().nullable(),
  /** Returns made, and the value of the goods they took back (after discounts). */
  returns: z.number().int(),
  returnedAmount: z.number().int(),
  /** Receipts with an identified buyer. */
  loyaltyReceipts: z.number().int(),
  discount: z.number().int(),
  pointsAccrued: z.number().int(),
  pointsSpent: z.number().int(),
  newBuyers: z.number().int(),
});

export const salesSummarySchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    timeZone: z.string(),
    totals: salesFiguresSchema,
    /** Every day of the period, including days without sales. */
    days: z.array(salesFiguresSchema.extend({ date: z.iso.date() })),
  })
  .meta({ id: 'SalesSummary' });
