// Field shapes the settings resources share: text PostgreSQL can store, and sorted, paged,
// searchable list queries.
import { z } from 'zod';
import { pageQuerySchema } from '#api/common.schema.ts';

// PostgreSQL refuses NUL in text and lone UTF-16 surrogates inside jsonb: such input must end in
// a 400, never reach the database.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the string as text and inside jsonb. */
export const isStorableText = (value: string): boolean =>
  !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/** Trimmed text of at most `max` characters that PostgreSQL can store. */
export const textSchema = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Не длиннее ${max} символов`)
    .refine(isStorableText, 'Текст содержит недопустимые символы');

/** A required name: trimmed, not empty. */
export const nameSchema = (max: number) => textSchema(max).min(1, 'Укажите название');

/** Sort direction of a list. */
export const sortOrderSchema = z.enum(['asc', 'desc']);

/** Which rows a list shows: active ones (the default), archived ones, or both. */
export const listStateSchema = z.enum(['active', 'archived', 'all']);

/** Paging, direction and a name search; each list adds its `sort` columns and filters. */
export const listQueryShape = {
  ...pageQuerySchema.shape,
  // Bounded so the offset stays a safe integer whatever the caller sends.
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  order: sortOrderSchema.default('asc'),
  search: textSchema(100).optional(),
};

/** A patch body must change something. */
export const somethingToChange = (value: object): boolean =>
  Object.values(value).some((v) => v !== undefined);
