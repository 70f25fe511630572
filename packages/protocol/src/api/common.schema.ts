// Shapes every REST API v1 route shares: errors, ids, paging.
import { z } from 'zod';

/** Every 4xx and 5xx body. */
export const errorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().nullable(),
  })
  .meta({ id: 'Error' });

/** A UUID path parameter. */
export const idParamsSchema = z.object({ id: z.uuid() });

/** Server-side paging for lists. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** A list parameter: repeated (`?x=a&x=b`) or comma-separated (`?x=a,b`). */
export const listParam = <T extends z.ZodType>(item: T) =>
  z
    .preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part.length > 0)
          : value,
      z.array(item).min(1).max(100),
    )
    .optional();

/** A page of items with the total count. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

/** Error responses a route may answer, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  429: errorSchema,
} as const;
