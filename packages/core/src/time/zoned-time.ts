// Calendar arithmetic in the merchant's time zone. Intl is deterministic for a given instant and
// zone, so this stays pure: the caller always passes the instant.

/** Milliseconds since the Unix epoch, UTC. */
export type Instant = number;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** Wall-clock fields in a time zone. `weekday` is ISO: 1 = Monday ... 7 = Sunday. */
export type LocalParts = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function intlParts(instant: Instant, timeZone: string): LocalParts {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return fromUtcFields(
    Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    ),
  );
}

function fromUtcFields(wallClock: number): LocalParts {
  const d = new Date(wallClock);
  const weekdaySundayZero = d.getUTCDay();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute,
    second: d.getUTCSeconds(),
    weekday: weekdaySundayZero === 0 ? 7 : weekdaySundayZero,
    minuteOfDay: hour * 60 + minute,
  };
}

// Intl formatting costs tens of microseconds, so offsets are memoised per zone and quarter hour.
// Offset changes mostly fall on quarter-hour boundaries of UTC, but not all (Goose Bay changed at
// 00:01 local until 2011): a quarter hour whose two ends disagree is never cached, so a reading
// never depends on what was asked before.
const QUARTER_HOUR = 15 * MS_PER_MINUTE;
const offsetCache = new Map<string, number>();

function intlOffset(instant: Instant, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  const p = intlParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

function cachedOffset(instant: Instant, timeZone: string): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const key = `${timeZone}|${quarter}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = intlOffset(quarter * QUARTER_HOUR, timeZone);
    if (intlOffset((quarter + 1) * QUARTER_HOUR - 1, timeZone) !== offset)
      return intlOffset(instant, timeZone);
    if (offsetCache.size > 10_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function localParts(instant: Instant, timeZone: string): LocalParts {
  return fromUtcFields(instant + cachedOffset(instant, timeZone));
}

/** The zone's offset from UTC at `instant`, in milliseconds. */
export function zoneOffset(instant: Instant, timeZone: string): number {
  return cachedOffset(instant, timeZone);
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function instantOfLocal(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): Instant {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes settle the offset across a daylight-saving change.
  const first = guess - zoneOffset(guess, timeZone);
  return guess - zoneOffset(first, timeZone);
}

/** The same wall-clock time `days` calendar days later in `timeZone`. */
export function addLocalDays(instant: Instant, days: number, timeZone: string): Instant {
  const p = localParts(instant, timeZone);
  const shifted = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  const base = instantOfLocal(
    timeZone,
    shifted.getUTCFullYear(),
    shifted.getUTCMonth() + 1,
    shifted.getUTCDate(),
    p.hour,
    p.minute,
  );
  return base + p.second * 1000 + (((instant % 1000) + 1000) % 1000);
}

/** Local midnight at the start of the day that contains `instant`. */
export function startOfLocalDay(instant: Instant, timeZone: string): Instant {
  const p = localParts(instant, timeZone);
  return instantOfLocal(timeZone, p.year, p.month, p.day);
}

/**
 * The first local midnight strictly after `instant` that falls on one of the given month-days
 * ("MM-DD", e.g. "01-01" for New Year). Used for "points expire on fixed dates".
 */
export function nextFixedDate(
  instant: Instant,
  monthDays: readonly string[],
  timeZone: string,
): Instant | null {
  const p = localParts(instant, timeZone);
  let best: Instant | null = null;
  for (const monthDay of monthDays) {
    const [m, d] = monthDay.split('-').map(Number);
    if (!m || !d) continue;
    // 29 Feb may be up to 8 years away (2096-03-01 -> 2104-02-29: 2100 is not a leap year).
    for (let year = p.year; year <= p.year + 8; year++) {
      // 29 Feb only exists in leap years; Date.UTC would roll it over to 1 March.
      const check = new Date(Date.UTC(year, m - 1, d));
      if (check.getUTCMonth() !== m - 1) continue;
      const candidate = instantOfLocal(timeZone, year, m, d);
      if (candidate > instant) {
        if (best === null || candidate < best) best = candidate;
        break;
      }
    }
  }
  return best;
}

/** Parses "HH:MM" into minutes since midnight; "24:00" is allowed as the end of a day. */
export function parseClock(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
