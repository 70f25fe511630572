// Arguments of the sale handlers. Amounts are integers: money in kopecks, points in hundredths,
// quantities in thousandths of a unit (1000 = one piece or one kilogram).
import { z } from 'zod';

const MAX_AMOUNT = 10_000_000_000_000;

/** A line as the cashier (or a third-party till) sends it: a product by id, SKU or barcode. */
export const saleLineArgsSchema = z
  .object({
    lineId: z.string().min(1).max(100).optional(),
    /** Our product id or the merchant's SKU. */
    productId: z.string().min(1).max(100).optional(),
    barcode: z.string().min(1).max(64).optional(),
    quantity: z.int().min(1).max(1_000_000_000),
    /** Price of one unit in kopecks; defaults to the catalogue price. */
    price: z.int().min(0).max(MAX_AMOUNT).optional(),
  })
  .refine((line) => (line.productId === undefined) !== (line.barcode === undefined), {
    message: 'Укажите товар: productId (код или артикул) или barcode, одно из двух',
  });
export type SaleLineArgs = z.output<typeof saleLineArgsSchema>;

export const identifiedBySchema = z.enum(['phone', 'card', 'qr', 'manual']);

/** `sale.calculate`: price a receipt, change nothing. */
export const saleArgsSchema = z.object({
  buyerId: z.string().min(1).max(100).nullable().default(null),
  identifiedBy: identifiedBySchema.nullable().default(null),
  lines: z.array(saleLineArgsSchema).min(1, 'В чеке нет строк').max(1000),
  coupons: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  /** Points to pay with (hundredths), or 'max' for the most allowed. */
  pointsToPay: z.union([z.int().min(0).max(MAX_AMOUNT), z.literal('max')]).default(0),
});
export type SaleArgs = z.output<typeof saleArgsSchema>;

/**
 * `sale.scan`: a scanned code and the receipt as the screen has it (lines may be empty). The core
 * tells a product from a buyer's card or QR and prices the receipt with it in the same answer.
 */
export const scanArgsSchema = saleArgsSchema.extend({
  code: z.string().trim().min(1, 'Пустой код сканера').max(8192),
  lines: z.array(saleLineArgsSchema).max(999).default([]),
});
export type ScanArgs = z.output<typeof scanArgsSchema>;

/** `sale.commit`: the same receipt, booked; a retry with the same key returns the same receipt. */
export const commitArgsSchema = saleArgsSchema.extend({
  idempotencyKey: z.string().min(8).max(100).optional(),
  /** What the cashier saw; a different result now (rules or balance changed) is refused. */
  expected: z.object({ paidMoney: z.int().min(0), pointsPaid: z.int().min(0) }).optional(),
  /** The code the buyer told, when the calculation asks for one to pay with points (`sale.sendPointsCode`). */
  pointsCode: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, 'Код — от 4 до 8 цифр')
    .optional(),
});
export type CommitArgs = z.output<typeof commitArgsSchema>;
