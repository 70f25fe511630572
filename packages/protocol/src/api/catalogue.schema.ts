// The product catalogue: a category tree and products with barcodes. Prices are integer kopecks.
import { z } from 'zod';
import { ZERO_KOPECKS } from '@loyalty/core/money/money';
import { kopecksSchema } from '@loyalty/core/rules/schema-primitives';
import { pageOf } from '#api/common.schema.ts';
import {
  listQueryShape,
  listStateSchema,
  nameSchema,
  somethingToChange,
  textSchema,
} from '#api/fields.schema.ts';

export const categorySchema = z
  .object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable(), position: z.int() })
  .meta({ id: 'Category' });

/** A category with its subcategories, ordered by position then name. */
export const categoryNodeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable(),
    position: z.int(),
    get children(): z.ZodArray<typeof categoryNodeSchema> {
      return z.array(categoryNodeSchema);
    },
  })
  .meta({ id: 'CategoryNode' });

const position = z.int().min(0).max(1_000_000);

export const categoryCreateSchema = z.object({
  name: nameSchema(200),
  parentId: z.uuid().nullable().default(null),
  position: position.default(0),
});

export const categoryUpdateSchema = z
  .object({ name: nameSchema(200), parentId: z.uuid().nullable(), position })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');

export const categorySortSchema = z.enum(['name', 'position']);

export const categoryListQuerySchema = z.object({
  ...listQueryShape,
  sort: categorySortSchema.default('position'),
  /** Only the direct children of this category. */
  parentId: z.uuid().optional(),
});

export const categoryPageSchema = pageOf(categorySchema);

/** What a scanner reads: printable ASCII without spaces (EAN, UPC, Code 128). */
export const barcodeSchema = z
  .string()
  .regex(/^[\x21-\x7E]{1,64}$/, 'Штрихкод — от 1 до 64 латинских букв, цифр или знаков без пробелов');

export const productUnitSchema = z.enum(['piece', 'kg']);

export const productSchema = z
  .object({
    id: z.uuid(),
    categoryId: z.uuid().nullable(),
    sku: z.string(),
    name: z.string(),
    /** Shelf price in kopecks (per kilogram for weighed goods). */
    price: kopecksSchema,
    /** The lowest price discounts may bring it to, in kopecks. */
    minPrice: kopecksSchema,
    barcodes: z.array(z.string()),
    noDiscount: z.boolean(),
    noAccrual: z.boolean(),
    noPointsPayment: z.boolean(),
    unit: productUnitSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Product' });

const productFields = {
  sku: textSchema(64).min(1, 'Укажите артикул'),
  name: nameSchema(300),
  categoryId: z.uuid().nullable(),
  price: kopecksSchema,
  minPrice: kopecksSchema,
  barcodes: z.array(barcodeSchema).max(50, 'Не больше 50 штрихкодов'),
  noDiscount: z.boolean(),
  noAccrual: z.boolean(),
  noPointsPayment: z.boolean(),
  unit: productUnitSchema,
};

const MIN_PRICE_ABOVE_PRICE = 'Минимальная цена не может быть больше цены';

export const productCreateSchema = z
  .object({
    ...productFields,
    categoryId: productFields.categoryId.default(null),
    minPrice: productFields.minPrice.default(ZERO_KOPECKS),
    barcodes: productFields.barcodes.default([]),
    noDiscount: productFields.noDiscount.default(false),
    noAccrual: productFields.noAccrual.default(false),
    noPointsPayment: productFields.noPointsPayment.default(false),
    unit: productUnitSchema.default('piece'),
  })
  .refine((p) => p.minPrice <= p.price, { message: MIN_PRICE_ABOVE_PRICE, path: ['minPrice'] });

/** A partial change; `barcodes`, when given, replaces the whole list. */
export const productUpdateSchema = z
  .object(productFields)
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить')
  .refine((p) => p.minPrice === undefined || p.price === undefined || p.minPrice <= p.price, {
    message: MIN_PRICE_ABOVE_PRICE,
    path: ['minPrice'],
  });

export const productSortSchema = z.enum(['name', 'sku', 'price', 'createdAt', 'updatedAt']);

export const productListQuerySchema = z.object({
  ...listQueryShape,
  sort: productSortSchema.default('name'),
  state: listStateSchema.default('active'),
  barcode: barcodeSchema.optional(),
  /** Products of this category and of all its subcategories. */
  categoryId: z.uuid().optional(),
});

export const productPageSchema = pageOf(productSchema);

export const barcodeParamsSchema = z.object({ barcode: barcodeSchema });
