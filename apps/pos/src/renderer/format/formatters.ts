// Money arrives in kopecks and points in hundredths of a point; quantities in thousandths.

/** Number formatting for one interface language. */
export type Formatters = {
  money(kopecks: number): string;
  points(hundredths: number): string;
  quantity(thousandths: number): string;
  time(epochMs: number): string;
};

/** Formatters for `language` ('ru' or 'en'). */
export function formattersFor(language: string): Formatters {
  const locale = language === 'en' ? 'en-GB' : 'ru-RU';
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'RUB',
    minimumFractionDigits: 2,
  });
  const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const quantity = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  return {
    money: (v) => money.format(v / 100),
    points: (v) => points.format(v / 100),
    quantity: (v) => quantity.format(v / 1000),
    time: (v) => time.format(new Date(v)),
  };
}

/** Roubles as typed by the cashier ("123,45" or "123.45") to kopecks; null when not a number. */
export function parseRoubles(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The digits of a Russian mobile number as typed, shown as +7 (912) 345-67-89 while typing. */
export function maskPhoneInput(text: string): string {
  let digits = text.replace(/\D/g, '');
  if (digits.startsWith('8') || digits.startsWith('7')) digits = digits.slice(1);
  digits = digits.slice(0, 10);
  const d = (from: number, to: number) => digits.slice(from, to);
  let out = '+7';
  if (digits.length > 0) out += ` (${d(0, 3)}`;
  if (digits.length >= 3) out += ')';
  if (digits.length > 3) out += ` ${d(3, 6)}`;
  if (digits.length > 6) out += `-${d(6, 8)}`;
  if (digits.length > 8) out += `-${d(8, 10)}`;
  return out;
}

/** True when the masked phone has all ten digits after +7. */
export const phoneComplete = (masked: string): boolean => masked.replace(/\D/g, '').length === 11;

/** A quantity as typed ("2", "0,5", "1.250") to thousandths; null when not a number. */
export function parseQuantity(text: string): number | null {
  const match = /^\s*(\d{1,6})(?:[.,](\d{1,3}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** What a scanned or typed return reference means: the slip's QR (`receipt:<id>`) or a number. */
export function returnReference(text: string): { receiptId: string } | { number: string } | null {
  const value = text.trim();
  if (!value) return null;
  const qr = /^receipt:(.+)$/i.exec(value);
  return qr?.[1] ? { receiptId: qr[1] } : { number: value };
}
