// Money arrives in kopecks and points in hundredths of a point (README "Conventions"); dates are
// shown in the merchant's time zone, in the interface language.

/** Number and date formatting for one language and time zone. */
export type Formatters = {
  money(kopecks: number | null | undefined): string;
  points(hundredths: number | null | undefined): string;
  count(value: number | null | undefined): string;
  percent(basisPoints: number | null | undefined): string;
  dateTime(instant: string | number | null | undefined): string;
  date(iso: string | null | undefined): string;
};

const DASH = '—';

/** Formatters for `language` ('ru' or 'en') and the merchant's `timeZone`. */
export function formattersFor(language: string, timeZone: string): Formatters {
  const locale = language === 'en' ? 'en-GB' : 'ru-RU';
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'RUB',
    minimumFractionDigits: 2,
  });
  const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone });
  // Calendar dates ('YYYY-MM-DD') are not instants: format them in UTC so they never shift a day.
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' });
  const missing = (v: number | string | null | undefined): v is null | undefined =>
    v === null || v === undefined;
  return {
    money: (v) => (missing(v) ? DASH : money.format(v / 100)),
    points: (v) => (missing(v) ? DASH : points.format(v / 100)),
    count: (v) => (missing(v) ? DASH : count.format(v)),
    percent: (v) => (missing(v) ? DASH : percent.format(v / 10_000)),
    dateTime: (v) => (missing(v) ? DASH : dateTime.format(new Date(v))),
    date: (v) => (missing(v) ? DASH : date.format(new Date(v.length === 10 ? `${v}T00:00:00Z` : v))),
  };
}

/** Today's date ('YYYY-MM-DD') in the merchant's time zone: periods are the merchant's days. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
