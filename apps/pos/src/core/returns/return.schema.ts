// Arguments of the return handlers; quantities in thousandths of a unit.
import { z } from 'zod';

/** `return.find`: a receipt of this terminal by id or by its number. */
export const findReturnArgsSchema = z
  .object({ receiptId: z.string().min(1).max(100).optional(), number: z.string().min(1).max(100).optional() })
  .refine((a) => (a.receiptId === undefined) !== (a.number === undefined), {
    message: 'Укажите receiptId или number, одно из двух',
  });

/** `return.calculate`: which lines and how much of each. */
export const returnArgsSchema = z.object({
  receiptId: z.string().min(1).max(100),
  lines: z
    .array(z.object({ index: z.int().min(0), quantity: z.int().min(1).max(1_000_000_000) }))
    .min(1, 'Выберите строки для возврата')
    .max(1000),
});
export type ReturnArgs = z.output<typeof returnArgsSchema>;

/** `return.commit`: the same, booked; a retry with the same key returns the same return. */
export const commitReturnArgsSchema = returnArgsSchema.extend({
  idempotencyKey: z.string().min(8).max(100).optional(),
});
export type CommitReturnArgs = z.output<typeof commitReturnArgsSchema>;
