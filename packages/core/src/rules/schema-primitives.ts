// Shared zod building blocks for the rules snapshot and the engine inputs.
import { z } from 'zod';

/** Identifiers are opaque strings chosen by the server (UUIDs in practice). */
export const idSchema = z.string().min(1).max(100);

/** Kopecks: non-negative integers up to 10^13 (100 billion roubles). */
export const kopecksSchema = z.int().min(0).max(10_000_000_000_000).brand<'Kopecks'>();

/** Points in hundredths: non-negative integers. */
export const pointsSchema = z.int().min(0).max(10_000_000_000_000).brand<'Points'>();

/** A share in basis points, 0..10000 (0..100 %). */
export const percentSchema = z.int().min(0).max(10_000);

/** An instant as epoch milliseconds. */
export const instantSchema = z.int().min(0).max(8_640_000_000_000_000);

/** An ISO weekday, 1 = Monday ... 7 = Sunday. */
export const weekdaySchema = z.int().min(1).max(7);

/** A wall-clock time "HH:MM"; "24:00" closes a window at midnight. */
export const clockSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Ожидается время в формате ЧЧ:ММ');

/** A time window within a day; `from` < `to`. */
export const timeWindowSchema = z
  .object({ from: clockSchema, to: clockSchema })
  .refine((w) => w.from < w.to, { message: 'Начало окна должно быть раньше конца', path: ['to'] });

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A month-day "MM-DD". */
export const monthDaySchema = z
  .string()
  .regex(MONTH_DAY, 'Ожидается дата ММ-ДД')
  // A day no year has ("02-30", "04-31") would never come, and its points would never expire.
  .refine(
    (value) => {
      if (!MONTH_DAY.test(value)) return true; // the regex has already reported it
      const [m = 0, d = 0] = value.split('-').map(Number);
      return new Date(Date.UTC(2024, m - 1, d)).getUTCMonth() === m - 1; // 2024 is a leap year
    },
    { message: 'Такой даты нет в календаре' },
  );

/** When accrued points expire (C3). */
export const expirySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('never') }),
  z.object({ kind: z.literal('days'), days: z.int().min(1).max(3650) }),
  z.object({ kind: z.literal('fixed_dates'), dates: z.array(monthDaySchema).min(1).max(12) }),
]);
export type Expiry = z.output<typeof expirySchema>;

/** When accrued points become spendable (C3). */
export const activationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('immediate') }),
  z.object({ kind: z.literal('after_days'), days: z.int().min(1).max(365) }),
]);
export type Activation = z.output<typeof activationSchema>;

/** Terms of the lot that an accrual creates. */
export const lotTermsSchema = z.object({ expiry: expirySchema, activation: activationSchema });
export type LotTerms = z.output<typeof lotTermsSchema>;
