// Receipts for the cabinet's sales log and the buyer card (D1 purchases, G5): a paged list by the
// merchant's calendar days, store and buyer, and one receipt with its lines on demand.
import { z } from 'zod';
import { pageOf } from '#api/common.schema.ts';

const dateParam = z.iso.date('Дата в формате ГГГГ-ММ-ДД').optional();

/** Newest first; days are the merchant's (both ends included). */
export const receiptListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  dateFrom: dateParam,
  dateTo: dateParam,
  storeId: z.uuid().optional(),
  buyerId: z.uuid().optional(),
});

/** A receipt's money in kopecks and points in hundredths. */
export const receiptSchema = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    number: z.string().nullable(),
    storeId: z.uuid().nullable(),
    buyerId: z.uuid().nullable(),
    terminalId: z.uuid().nullable(),
    source: z.string(),
    amount: z.number().int(),
    discount: z.number().int(),
    pointsPaid: z.number().int(),
    paidMoney: z.number().int(),
    accrual: z.number().int(),
    /** Points spent beyond the buyer's balance (offline), booked as debt. */
    overdraft: z.number().int(),
  })
  .meta({ id: 'Receipt' });

export const receiptPageSchema = pageOf(receiptSchema);

export const receiptLineSchema = z.object({
  position: z.number().int(),
  productId: z.string(),
  categoryId: z.string().nullable(),
  /** Thousandths of a unit, as the purchase flow stores quantities. */
  quantity: z.number().int(),
  price: z.number().int(),
  amount: z.number().int(),
  discount: z.number().int(),
  pointsPaid: z.number().int(),
  paidMoney: z.number().int(),
  accrual: z.number().int(),
});

export const receiptWithLinesSchema = receiptSchema
  .extend({ lines: z.array(receiptLineSchema) })
  .meta({ id: 'ReceiptWithLines' });
