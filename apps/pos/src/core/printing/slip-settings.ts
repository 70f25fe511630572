// The slip's own texts on this workstation (the `slip` local setting, A6): lines under the store's
// name and address, the footer, and a second QR with the merchant's review or referral link. The
// receipt's own QR (`receipt:<id>`, scanned at a return) is always printed; this one comes before
// it with a caption so the buyer knows which is which.
import { z } from 'zod';
import type { SlipExtras, SlipQr } from '@loyalty/devices/escpos/slip-document';
import { unprintableChars } from '@loyalty/devices/escpos/slip-format';
import { readLocalSettings } from '#core/store/local-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';

/** Stands for the buyer's id in a referral link; a receipt without a buyer prints no referral QR. */
export const BUYER_PLACEHOLDER = '{buyer}';
/** What the test page puts in place of the buyer in a referral link. */
const SAMPLE_BUYER = 'test';

const slipLine = z
  .string()
  .trim()
  .min(1, 'Пустая строка: удалите её или впишите текст')
  .max(64, 'Строка длиннее 64 символов: сократите её (на бумаге она переносится по ширине ленты)')
  .superRefine((text, check) => {
    const bad = unprintableChars(text);
    if (bad.length > 0)
      check.addIssue({
        code: 'custom',
        message: `Принтер не напечатает символы ${bad.join(' ')} (их нет в кодовой странице CP866): уберите их`,
      });
  });

const lines = (what: string) => z.array(slipLine).max(3, `${what}: не больше трёх строк`);

const defaultCaptions = {
  review: 'Оцените покупку и оставьте отзыв',
  referral: 'Приглашайте друзей и получайте баллы',
} as const;

/** The stored `slip` setting, validated (Russian messages, paths by field). */
export const slipSettingsSchema = z
  .object({
    header: lines('Шапка чека').default([]),
    footer: lines('Подвал чека').default(['Спасибо за покупку!']),
    /** The second QR: none, a review link, or a referral link with the buyer's id in it. */
    qrKind: z.enum(['none', 'review', 'referral']).default('none'),
    qrLink: z.string().trim().max(300, 'Ссылка длиннее 300 символов: сократите её').default(''),
    qrCaption: z.string().trim().max(64, 'Подпись длиннее 64 символов: сократите её').default(''),
  })
  .superRefine((s, check) => {
    if (s.qrKind === 'none') return;
    const issue = (message: string, path: string) =>
      check.addIssue({ code: 'custom', path: [path], message });
    if (!s.qrLink) return issue('Укажите ссылку для QR-кода, например https://example.ru/otzyv', 'qrLink');
    if (!/^https?:\/\//i.test(s.qrLink) || !URL.canParse(s.qrLink.replaceAll(BUYER_PLACEHOLDER, 'x')))
      issue('Ссылка для QR-кода должна начинаться с https:// или http://', 'qrLink');
    if (s.qrKind === 'referral' && !s.qrLink.includes(BUYER_PLACEHOLDER))
      issue(
        `В реферальной ссылке нужен ${BUYER_PLACEHOLDER} — на его место встанет код покупателя`,
        'qrLink',
      );
    const bad = unprintableChars(s.qrCaption);
    if (bad.length > 0)
      issue(
        `Принтер не напечатает символы ${bad.join(' ')} (их нет в кодовой странице CP866): уберите их`,
        'qrCaption',
      );
  });
export type SlipSettings = z.output<typeof slipSettingsSchema>;

/** The `slip` setting with defaults; the defaults when unset or unreadable. */
export function readSlipSettings(db: Sqlite): SlipSettings {
  const parsed = slipSettingsSchema.safeParse(readLocalSettings(db).slip ?? {});
  return parsed.success ? parsed.data : slipSettingsSchema.parse({});
}

/** The second QR of a receipt (null without one, or a referral link on a sale without a buyer). */
export function extraQrFor(settings: SlipSettings, buyerId: string | null): SlipQr | null {
  if (settings.qrKind === 'none') return null;
  if (settings.qrKind === 'referral' && !buyerId) return null;
  const content =
    settings.qrKind === 'referral'
      ? settings.qrLink.replaceAll(BUYER_PLACEHOLDER, encodeURIComponent(buyerId ?? ''))
      : settings.qrLink;
  return { caption: settings.qrCaption || defaultCaptions[settings.qrKind], content };
}

/** What the test page shows of the setting (a referral link with a sample buyer). */
export function testPageExtras(settings: SlipSettings): SlipExtras {
  return {
    header: settings.header,
    footer: settings.footer,
    extraQr: extraQrFor(settings, SAMPLE_BUYER),
  };
}
