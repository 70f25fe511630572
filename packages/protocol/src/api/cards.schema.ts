// Plastic cards (C9): series with number ranges, personal and anonymous cards, activation, blocking
// with a reason, replacement that keeps the buyer and so the balance.
import { z } from 'zod';
import { pageOf, pageQuerySchema } from '#api/common.schema.ts';
import { nameSchema, textSchema } from '#api/fields.schema.ts';

/** Cards generated in one go; a bigger print run is issued as several series. */
export const MAX_SERIES_SIZE = 100_000;
const MAX_NUMBER = 999_999_999_999_999;

/** issued: printed, not in use; active: in use; blocked: refused at the till; replaced: see replacedById. */
export const cardStatusSchema = z.enum(['issued', 'active', 'blocked', 'replaced']);
/** Personal cards work once attached to a buyer; anonymous ones may be activated without one. */
export const cardSeriesKindSchema = z.enum(['personal', 'anonymous']);

const cardNumber = z.string().regex(/^\d{1,30}$/, 'Номер карты — от 1 до 30 цифр');

/**
 * A card number is the prefix followed by the number zero-padded to the width of `numberTo`:
 * prefix "4602", 1..99999 gives 460200001 ... 460299999.
 */
export const cardSeriesCreateSchema = z
  .object({
    name: nameSchema(100),
    prefix: z
      .string()
      .regex(/^\d{0,10}$/, 'Префикс — до 10 цифр')
      .default(''),
    numberFrom: z.number().int().min(0).max(MAX_NUMBER),
    numberTo: z.number().int().min(0).max(MAX_NUMBER),
    kind: cardSeriesKindSchema,
  })
  .refine((s) => s.numberFrom <= s.numberTo, {
    path: ['numberTo'],
    message: 'Конец диапазона меньше начала',
  })
  .refine((s) => s.numberTo - s.numberFrom < MAX_SERIES_SIZE, {
    path: ['numberTo'],
    message: `Не больше ${MAX_SERIES_SIZE} карт в серии`,
  });

export const cardSeriesSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    numberFrom: z.number().int(),
    numberTo: z.number().int(),
    kind: cardSeriesKindSchema,
    /** Cards by status. */
    cards: z.record(cardStatusSchema, z.number().int()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CardSeries' });

export const cardSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    seriesId: z.uuid().nullable(),
    kind: cardSeriesKindSchema.nullable(),
    buyerId: z.uuid().nullable(),
    status: cardStatusSchema,
    blockReason: z.string().nullable(),
    replacedById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    activatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Card' });

export const cardListQuerySchema = pageQuerySchema.extend({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  number: cardNumber.optional(),
  seriesId: z.uuid().optional(),
  buyerId: z.uuid().optional(),
  status: cardStatusSchema.optional(),
});

export const cardPageSchema = pageOf(cardSchema);

export const cardAttachSchema = z.object({ buyerId: z.uuid() });
export const cardBlockSchema = z.object({ reason: textSchema(200).min(1, 'Укажите причину блокировки') });
/** The new card, by the number printed on it; it must be issued and free. */
export const cardReplaceSchema = z.object({ newNumber: cardNumber });
