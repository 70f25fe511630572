// Stores of a merchant with their attributes: format, cluster, city and free keys (C11, B7).
import { z } from 'zod';
import { pageOf } from '#api/common.schema.ts';
import {
  isStorableText,
  listQueryShape,
  listStateSchema,
  nameSchema,
  somethingToChange,
  textSchema,
} from '#api/fields.schema.ts';

const MAX_ATTRIBUTES = 30;

/** Attributes as sent: the three known ones plus free keys, all text; empty values are dropped. */
export const storeAttributesInputSchema = z
  .object({ format: textSchema(100), cluster: textSchema(100), city: textSchema(100) })
  .partial()
  .catchall(textSchema(200))
  .refine((value) => Object.keys(value).length <= MAX_ATTRIBUTES, `Не больше ${MAX_ATTRIBUTES} атрибутов`)
  .refine(
    (value) => Object.keys(value).every((key) => key.length >= 1 && key.length <= 50 && isStorableText(key)),
    'Название атрибута — от 1 до 50 допустимых символов',
  );

/** Attributes as stored and answered. */
export const storeAttributesSchema = z
  .object({ format: z.string(), cluster: z.string(), city: z.string() })
  .partial()
  .catchall(z.string())
  .meta({ id: 'StoreAttributes' });

export const storeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string(),
    attributes: storeAttributesSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Store' });

export const storeCreateSchema = z.object({
  name: nameSchema(200),
  address: textSchema(500).default(''),
  attributes: storeAttributesInputSchema.default({}),
});

/** A partial change; `attributes`, when given, replaces the whole set. */
export const storeUpdateSchema = z
  .object({ name: nameSchema(200), address: textSchema(500), attributes: storeAttributesInputSchema })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

export const storeSortSchema = z.enum(['name', 'format', 'cluster', 'city', 'createdAt', 'updatedAt']);

export const storeListQuerySchema = z.object({
  ...listQueryShape,
  sort: storeSortSchema.default('name'),
  state: listStateSchema.default('active'),
  format: textSchema(100).optional(),
  cluster: textSchema(100).optional(),
  city: textSchema(100).optional(),
});

export const storePageSchema = pageOf(storeSchema);
