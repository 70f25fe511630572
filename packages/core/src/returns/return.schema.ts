// Runtime shapes of the return inputs: they cross IPC and HTTP and come from other terminals, so
// the types alone prove nothing. Semantic checks (lines exist, quantities remain) live in return-validation.ts.
import { z } from 'zod';

// Bounds keep every product of a figure and a quantity exact (mulDivFloor falls back to BigInt)
// and every receipt total a safe integer.
const MAX_MINOR = 10_000_000_000_000;
const MAX_QUANTITY = 1_000_000_000;
const MAX_LINES = 10_000;

/** A quantity in integer thousandths of a unit, > 0. */
export const quantitySchema = z.int().min(1).max(MAX_QUANTITY);

/** Kopecks, non-negative. */
export const returnKopecksSchema = z.int().min(0).max(MAX_MINOR).brand<'Kopecks'>();

/** Points in hundredths, non-negative. */
export const returnPointsSchema = z.int().min(0).max(MAX_MINOR).brand<'Points'>();

/** One line of the committed sale. */
export const returnBasisLineSchema = z.object({
  quantity: quantitySchema,
  amount: returnKopecksSchema,
  pointsPaid: returnPointsSchema,
  paidMoney: returnKopecksSchema,
  accrual: returnPointsSchema,
});

/** The committed sale's figures for returns. */
export const returnBasisSchema = z.object({
  lines: z.array(returnBasisLineSchema).max(MAX_LINES),
  receiptAccruals: z
    .array(z.object({ key: z.string().min(1).max(200), points: returnPointsSchema }))
    .max(100),
});

/** One line of a return request. */
export const returnRequestLineSchema = z.object({
  // No upper bound here: an index past the receipt is reported as unknown_line, which says more.
  index: z.int().min(0),
  quantity: quantitySchema,
});

/** A return request, and each earlier return in the history. */
export const returnRequestSchema = z.object({ lines: z.array(returnRequestLineSchema).max(MAX_LINES) });

/** The returns already booked for the receipt. */
export const previousReturnsSchema = z.array(returnRequestSchema).max(MAX_LINES);
