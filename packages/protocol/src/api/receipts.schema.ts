// Receipts for the cabinet's sales log and the buyer card (D1 purchases, G5): a paged list by the
// merchant's calendar days, store and buyer, and one receipt with its lines on demand.
import { z } from 'zod';
import { listParam, pageOf } from '#api/common.schema.ts';

const dateParam = z.iso.date('Дата в формате ГГГГ-ММ-ДД').optional();

/** Newest first; days are the merchant's (both ends included). */
export const receiptListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  dateFrom: dateParam,
  dateTo: dateParam,
  storeId: z.uuid().optional(),
  buyerId: z.uuid().optional(),
  /** Receipts of these cashiers (`?cashierId=a&cashierId=b` or comma-separated), as the sales log. */
  cashierId: listParam(z.uuid()),
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
    /** Who made the sale, when the till or the API said (null before issue 6 and for unknown ones). */
    cashierId: z.uuid().nullable(),
    cashierName: z.string().nullable(),
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

/** What the sales log lists: sales, returns, or both (the default). */
export const salesLogTypeSchema = z.enum(['sale', 'return']);

/**
 * The sales log (G5): sales and returns in one list, with the receipts' filters; a return counts on
 * the day it was made and carries its receipt's store, buyer and number.
 */
export const salesLogQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    dateFrom: dateParam,
    dateTo: dateParam,
    storeId: z.uuid().optional(),
    buyerId: z.uuid().optional(),
    /** Operations of these cashiers: sales they made, returns they took (`?cashierId=a&cashierId=b`). */
    cashierId: listParam(z.uuid()),
    type: salesLogTypeSchema.optional(),
    sort: z.enum(['createdAt', 'total']).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .refine((q) => !q.dateFrom || !q.dateTo || q.dateFrom <= q.dateTo, {
    path: ['dateTo'],
    message: 'Конец периода раньше начала',
  });

/**
 * One operation. Money in kopecks, points in hundredths; a return's figures are negative, so a
 * column sums to the period's net: `total` is the amount after discounts (a return: the value of
 * the goods taken back), `paidMoney` the money paid (refunded), `pointsPaid` the points paid
 * (given back), `accrual` the points accrued (taken back, receipt-level rewards included).
 */
export const salesLogEntrySchema = z
  .object({
    id: z.uuid(),
    type: salesLogTypeSchema,
    receiptId: z.uuid(),
    createdAt: z.iso.datetime(),
    number: z.string().nullable(),
    storeId: z.uuid().nullable(),
    buyerId: z.uuid().nullable(),
    /** Who made the sale or took the return, when the till or the API said (null before issue 6). */
    cashierId: z.uuid().nullable(),
    cashierName: z.string().nullable(),
    source: z.string(),
    total: z.number().int(),
    discount: z.number().int(),
    pointsPaid: z.number().int(),
    paidMoney: z.number().int(),
    accrual: z.number().int(),
    /** A sale's points spent beyond the buyer's balance (offline), booked as debt; 0 for returns. */
    overdraft: z.number().int(),
  })
  .meta({ id: 'SalesLogEntry' });

export const salesLogPageSchema = pageOf(salesLogEntrySchema);

/** A return with its lines: what each returned receipt line gave back and took back. */
export const returnWithLinesSchema = z
  .object({
    id: z.uuid(),
    receiptId: z.uuid(),
    createdAt: z.iso.datetime(),
    lines: z.array(
      z.object({
        position: z.number().int(),
        productId: z.string(),
        /** Thousandths of a unit returned. */
        quantity: z.number().int(),
        amount: z.number().int(),
        refundMoney: z.number().int(),
        pointsRestored: z.number().int(),
        accrualReversed: z.number().int(),
      }),
    ),
    /** Receipt-level rewards (gifts, referral points) taken back by this return. */
    receiptAccrualsReversed: z.number().int(),
  })
  .meta({ id: 'ReturnWithLines' });
