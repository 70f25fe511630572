// The merchant's own settings over REST: read (settings:read), change name and time zone
// (settings:write, owners and admins).
import type { z } from 'zod';
import {
  merchantSettingsSchema,
  type merchantSettingsUpdateSchema,
} from '@loyalty/protocol/api/merchant.schema';
import { api } from '#api/http-client.ts';

export type MerchantSettings = z.output<typeof merchantSettingsSchema>;

export const fetchMerchantSettings = () => api(merchantSettingsSchema, 'GET', '/merchant');

export const updateMerchantSettings = (body: z.input<typeof merchantSettingsUpdateSchema>) =>
  api(merchantSettingsSchema, 'PATCH', '/merchant', body);

/** Every IANA zone the browser knows, Russia's first (the programme's home market). */
export function timeZoneOptions(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  const russian = new Set([
    'Europe/Kaliningrad',
    'Europe/Moscow',
    'Europe/Samara',
    'Asia/Yekaterinburg',
    'Asia/Omsk',
    'Asia/Novosibirsk',
    'Asia/Krasnoyarsk',
    'Asia/Irkutsk',
    'Asia/Yakutsk',
    'Asia/Vladivostok',
    'Asia/Magadan',
    'Asia/Kamchatka',
  ]);
  return [...zones.filter((z) => russian.has(z)), ...zones.filter((z) => !russian.has(z))];
}
