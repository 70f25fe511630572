// The merchant's own settings (C10, issue 6): name and time zone. The currency is fixed at
// creation (every amount is stored in its minor units), so it is shown, never changed.
import { z } from 'zod';
import { nameSchema, somethingToChange } from '#api/fields.schema.ts';

/** True when the runtime knows the zone as an IANA name ("Europe/Moscow", "Asia/Yekaterinburg"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    // Offsets like "+03:00" also pass Intl, but only named zones follow daylight-saving rules.
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'Укажите часовой пояс из списка IANA, например Europe/Moscow');

export const merchantSettingsSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** Reports, day filters and expiry dates count in this zone's calendar. */
    timeZone: z.string(),
    /** ISO 4217 code; amounts are integers in its minor units (kopecks for RUB). */
    currency: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'MerchantSettings' });

export const merchantSettingsUpdateSchema = z
  .object({ name: nameSchema(200), timeZone: timeZoneSchema })
  .partial()
  .refine(somethingToChange, 'Укажите, что изменить');
