// The purchase flow for third-party tills and 1C (B4): calculate, hold, confirm, return; and
// the buyer's points (balance, history, manual changes).
import { z } from 'zod';

/** How the till identified the buyer: exactly one of id, phone or card number. */
export const buyerRefSchema = z
  .object({
    buyerId: z.uuid().optional(),
    phone: z.string().min(5).max(40).optional(),
    cardNumber: z
      .string()
      .regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр')
      .optional(),
  })
  .refine((b) => [b.buyerId, b.phone, b.cardNumber].filter((v) => v !== undefined).length === 1, {
    message: 'Укажите ровно одно: buyerId, phone или cardNumber',
  });

/** A receipt line: the product by our id or the merchant's SKU; quantity in thousandths. */
export const purchaseLineSchema = z.object({
  lineId: z.string().min(1).max(100).optional(),
  productId: z.string().min(1).max(100),
  quantity: z.int().min(1).max(1_000_000_000),
  price: z.int().min(0).max(10_000_000_000_000),
  /** Overrides of what the catalogue says about the product. */
  categoryId: z.uuid().nullable().optional(),
  minPrice: z.int().min(0).max(10_000_000_000_000).optional(),
  noDiscount: z.boolean().optional(),
  noAccrual: z.boolean().optional(),
  noPointsPayment: z.boolean().optional(),
});

export const calculateRequestSchema = z.object({
  storeId: z.uuid(),
  buyer: buyerRefSchema.nullable().default(null),
  lines: z.array(purchaseLineSchema).min(1, 'В чеке нет строк').max(1000),
  coupons: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  /** Points to pay with, in hundredths, or 'max'. */
  pointsToPay: z.union([z.int().min(0).max(10_000_000_000_000), z.literal('max')]).default(0),
});

export const confirmRequestSchema = calculateRequestSchema.extend({
  /** The same key retried returns the same answer and books nothing twice. */
  idempotencyKey: z.string().min(8).max(100),
  /** A hold made before the sale; its points are spent by this receipt. */
  holdId: z.uuid().optional(),
  /** The till's own receipt number, for finding the receipt later. */
  number: z.string().max(100).optional(),
  /** The cashier who made the sale (GET /cashiers), shown and filtered in the sales log. */
  cashierId: z.uuid().optional(),
});

export const buyerPointsSchema = z
  .object({
    buyerId: z.uuid(),
    balance: z.number().int(),
    active: z.number().int(),
    pending: z.number().int(),
    debt: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
  })
  .meta({ id: 'BuyerPoints' });

export const calculateResponseSchema = z
  .object({ buyer: buyerPointsSchema.nullable(), calculation: z.unknown() })
  .meta({ id: 'PurchaseCalculation' });

export const confirmResponseSchema = z
  .object({
    receiptId: z.uuid(),
    buyer: buyerPointsSchema.nullable(),
    calculation: z.unknown(),
  })
  .meta({ id: 'PurchaseConfirmation' });

export const holdRequestSchema = z.object({
  buyer: buyerRefSchema,
  points: z.int().min(1).max(10_000_000_000_000),
  ttlSeconds: z.int().min(10).max(3600).default(300),
});
export const holdSchema = z
  .object({
    id: z.uuid(),
    buyerId: z.uuid(),
    points: z.number().int(),
    status: z.enum(['active', 'consumed', 'cancelled']),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'PointsHold' });

export const returnRequestSchema = z.object({
  idempotencyKey: z.string().min(8).max(100),
  lines: z
    .array(z.object({ index: z.int().min(0), quantity: z.int().min(1).max(1_000_000_000) }))
    .min(1)
    .max(1000),
  /** The cashier who took the goods back (GET /cashiers), shown and filtered in the sales log. */
  cashierId: z.uuid().optional(),
});
export const returnResponseSchema = z
  .object({
    returnId: z.uuid(),
    receiptId: z.uuid(),
    result: z.unknown(),
    buyer: buyerPointsSchema.nullable(),
  })
  .meta({ id: 'PurchaseReturn' });

export const manualPointsSchema = z.object({
  operation: z.enum(['accrue', 'deduct']),
  points: z.int().min(1).max(10_000_000_000),
  reason: z.string().trim().min(3, 'Укажите причину').max(500),
  /** For accruals: the points burn after this many days (null: never). */
  expiryDays: z.int().min(1).max(3650).nullable().default(null),
});

export const ledgerEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    points: z.number().int(),
    receiptId: z.uuid().nullable(),
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'LedgerEntry' });

export const lotSchema = z
  .object({
    id: z.uuid(),
    source: z.string(),
    initial: z.number().int(),
    remaining: z.number().int(),
    activatesAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PointsLot' });
