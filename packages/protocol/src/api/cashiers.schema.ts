// Cashiers with access codes for the terminal (C11). A code is shown once, at creation or reset;
// the server keeps only its hash.
import { z } from 'zod';
import { pageOf } from '#api/common.schema.ts';
import { listQueryShape, listStateSchema, nameSchema, somethingToChange } from '#api/fields.schema.ts';

export const cashierRoleSchema = z.enum(['cashier', 'senior']);

/** An access code typed at the terminal: digits only. */
export const accessCodeSchema = z.string().regex(/^\d{4,12}$/, 'Код доступа — от 4 до 12 цифр');

export const cashierSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: cashierRoleSchema,
    storeId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Cashier' });

/** The answer to creation and code reset: the only time the code is shown. */
export const cashierWithCodeSchema = cashierSchema
  .extend({ code: z.string() })
  .meta({ id: 'CashierWithCode' });

export const cashierCreateSchema = z.object({
  name: nameSchema(200),
  role: cashierRoleSchema.default('cashier'),
  storeId: z.uuid().nullable().default(null),
  /** Six random digits when not given. */
  code: accessCodeSchema.optional(),
});

export const cashierUpdateSchema = z
  .object({ name: nameSchema(200), role: cashierRoleSchema, storeId: z.uuid().nullable() })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

/** A new code: the given one, or six random digits (the body may be left out). */
export const cashierCodeResetSchema = z.object({ code: accessCodeSchema.optional() }).nullish();

export const cashierSortSchema = z.enum(['name', 'role', 'createdAt', 'updatedAt']);

export const cashierListQuerySchema = z.object({
  ...listQueryShape,
  sort: cashierSortSchema.default('name'),
  state: listStateSchema.default('active'),
  storeId: z.uuid().optional(),
  role: cashierRoleSchema.optional(),
});

export const cashierPageSchema = pageOf(cashierSchema);
