// A receipt of any terminal of the merchant, fetched online for a return at another till (B3, A7):
// the calculation the server stores and the returns already made of it.
import { z } from 'zod';
import { epochMsSchema, serverTimeSchema } from '#sync/sync-common.schema.ts';

/** Exactly one of the receipt id or its printed number (numbers are searched in the terminal's store). */
export const receiptLookupQuerySchema = z
  .object({
    receiptId: z.uuid().optional(),
    number: z.string().trim().min(1).max(100).optional(),
  })
  .refine((q) => (q.receiptId === undefined) !== (q.number === undefined), {
    message: 'Укажите ровно одно: receiptId или number',
  });

export const returnLinesSchema = z.array(z.object({ index: z.int().min(0), quantity: z.int().min(1) }));

export const storedReceiptSchema = z.object({
  id: z.uuid(),
  number: z.string().nullable(),
  storeId: z.uuid().nullable(),
  buyerId: z.uuid().nullable(),
  /** The terminal that made it (null for receipts posted through the API). */
  terminalId: z.uuid().nullable(),
  createdAt: epochMsSchema,
  /** Product names by line index, for the screen and the return slip. */
  names: z.array(z.string()),
  /** The engine's `Calculation` the server booked (what was printed); the till's return basis. */
  calculation: z.unknown(),
  /** Returns already booked on the server, oldest first: the till's earlier-returns input. */
  returns: z.array(z.object({ returnId: z.uuid(), lines: returnLinesSchema, createdAt: epochMsSchema })),
  /** Quantity already returned per line index, in thousandths. */
  returned: z.array(z.int().min(0)),
});
export type StoredReceiptItem = z.infer<typeof storedReceiptSchema>;

export const receiptLookupResponseSchema = z
  .object({ receipt: storedReceiptSchema, serverTime: serverTimeSchema })
  .meta({ id: 'SyncReceiptLookup' });

/** Error codes of the lookup. */
export const ReceiptLookupError = {
  /** Several receipts of the store carry the number (each till numbers its own): ask for the id. */
  ambiguous: 'receipt_number_ambiguous',
} as const;
