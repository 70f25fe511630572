// Reading the cells of an import as people type them in Excel: "199,90" and "1 234.5" are money,
// "да", "+" and "yes" are true, "31.12.2026" is a date. Every reader returns a value or a
// problem, never throws: a bad cell is one line of the error report, not a failed request.
import { err, ok, type Result } from '@loyalty/core/shared/result';

const NUMBER = /^-?\d+(?:[.,]\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RU_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** Spaces inside numbers: ordinary, no-break and narrow no-break (Excel's thousands separator). */
const withoutSpaces = (text: string) => text.replace(/[\s\u00a0\u202f]/g, '');

const problem = (code: string, message: string) => err({ code, message });

/**
 * An amount with at most two decimals in hundredths: roubles to kopecks, points to hundredths of
 * a point. Exact: the digits are shifted as text, never multiplied as a float.
 */
export function parseHundredths(text: string): Result<number> {
  const compact = withoutSpaces(text).replace(/(?:₽|руб\.?|р\.?)$/i, '');
  if (!NUMBER.test(compact)) return problem('invalid_number', 'Ожидается число, например 199,90');
  const [whole = '', fraction = ''] = compact.replace(',', '.').split('.');
  if (fraction.length > 2) return problem('invalid_number', 'Не больше двух знаков после запятой');
  const value = Number(whole.replace('-', '')) * 100 + Number(fraction.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(value)) return problem('invalid_number', 'Слишком большое число');
  return ok(whole.startsWith('-') ? -value : value);
}

/** A decimal number as a questionnaire "number" answer. */
export function parseDecimal(text: string): Result<number> {
  const compact = withoutSpaces(text);
  if (!NUMBER.test(compact)) return problem('invalid_number', 'Ожидается число');
  return ok(Number(compact.replace(',', '.')));
}

/** True when the text is a real calendar date. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A date as 'YYYY-MM-DD' from 'YYYY-MM-DD' or the Russian 'DD.MM.YYYY'. */
export function parseDate(text: string): Result<string> {
  const iso = ISO_DATE.exec(text);
  const ru = RU_DATE.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : ru
      ? [Number(ru[3]), Number(ru[2]), Number(ru[1])]
      : [0, 0, 0];
  if (year === 0 || !isCalendarDate(year, month, day))
    return problem('invalid_date', 'Ожидается дата ДД.ММ.ГГГГ или ГГГГ-ММ-ДД');
  return ok(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const YES = new Set(['да', 'д', 'yes', 'y', 'true', '1', '+', 'есть', 'v', 'x']);
const NO = new Set(['нет', 'н', 'no', 'n', 'false', '0', '-']);

/** Yes or no. */
export function parseYesNo(text: string): Result<boolean> {
  const key = text.trim().toLowerCase();
  if (YES.has(key)) return ok(true);
  if (NO.has(key)) return ok(false);
  return problem('invalid_yes_no', 'Ожидается «да» или «нет»');
}

const MALE = new Set(['м', 'муж', 'мужской', 'male', 'm']);
const FEMALE = new Set(['ж', 'жен', 'женский', 'female', 'f']);

/** A gender in any of the usual spellings. */
export function parseGender(text: string): Result<'male' | 'female'> {
  const key = text.trim().toLowerCase().replace(/\.$/, '');
  if (MALE.has(key)) return ok('male');
  if (FEMALE.has(key)) return ok('female');
  return problem('invalid_gender', 'Ожидается «м» или «ж»');
}

/** A list in one cell, split on the given separators; empty parts dropped. */
export const splitList = (text: string, separators: RegExp): string[] =>
  text
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
