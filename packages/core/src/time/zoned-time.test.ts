import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { THURSDAY_NOON_MSK } from '#testing/rules-fixtures.ts';
import {
  addLocalDays,
  instantOfLocal,
  isValidTimeZone,
  localParts,
  nextFixedDate,
  parseClock,
  startOfLocalDay,
  zoneOffset,
} from './zoned-time.ts';

const MSK = 'Europe/Moscow';
const BERLIN = 'Europe/Berlin';
const HOUR = 3_600_000;

describe('localParts', () => {
  it('reads 09:00 UTC on 15 Jan 2026 as Thursday 12:00 in Moscow (UTC+3)', () => {
    expect(localParts(THURSDAY_NOON_MSK, MSK)).toEqual({
      year: 2026,
      month: 1,
      day: 15,
      hour: 12,
      minute: 0,
      second: 0,
      weekday: 4,
      minuteOfDay: 720,
    });
  });

  it('moves to the next local day before UTC does: 22:30 UTC Thursday is 01:30 Friday in Moscow', () => {
    // 22:30 + 3 h = 25:30 -> 01:30 on the 16th; minuteOfDay = 60 + 30 = 90.
    const p = localParts(Date.UTC(2026, 0, 15, 22, 30), MSK);
    expect([p.day, p.weekday, p.hour, p.minute, p.minuteOfDay]).toEqual([16, 5, 1, 30, 90]);
    // The same instant in UTC is still Thursday.
    expect(localParts(Date.UTC(2026, 0, 15, 22, 30), 'UTC').weekday).toBe(4);
  });

  it('numbers Sunday 7 (ISO) and keeps seconds', () => {
    const p = localParts(Date.UTC(2026, 0, 18, 9, 0, 42, 123), MSK);
    expect(p.weekday).toBe(7);
    expect(p.second).toBe(42);
  });

  it('reads New York behind UTC: 09:00 UTC is 04:00 EST (UTC-5)', () => {
    const p = localParts(THURSDAY_NOON_MSK, 'America/New_York');
    expect([p.day, p.hour, p.weekday]).toEqual([15, 4, 4]);
  });
});

describe('zone offsets and local instants', () => {
  it('reads the same whatever was asked before, even where a zone changed offset mid quarter-hour', () => {
    // Goose Bay (Labrador) moved its clocks at 00:01 local until 2011: on 14 Mar 2010 at 04:01 UTC
    // from -4 h to -3 h. 04:00:30 UTC is 00:00:30 AST; 04:05 UTC is 01:05 ADT.
    const zone = 'America/Goose_Bay';
    expect(localParts(Date.UTC(2010, 2, 14, 4, 0, 30), zone).hour).toBe(0);
    expect(localParts(Date.UTC(2010, 2, 14, 4, 5), zone).hour).toBe(1);
    expect(zoneOffset(Date.UTC(2010, 2, 14, 4, 5), zone)).toBe(-3 * HOUR);
    expect(zoneOffset(Date.UTC(2010, 2, 14, 4, 0, 59), zone)).toBe(-4 * HOUR);
  });

  it('knows Moscow is +3 h all year and Berlin +1 h in winter, +2 h in summer', () => {
    expect(zoneOffset(THURSDAY_NOON_MSK, MSK)).toBe(3 * HOUR);
    expect(zoneOffset(Date.UTC(2026, 6, 1), MSK)).toBe(3 * HOUR);
    expect(zoneOffset(THURSDAY_NOON_MSK, BERLIN)).toBe(HOUR);
    expect(zoneOffset(Date.UTC(2026, 6, 1), BERLIN)).toBe(2 * HOUR);
  });

  it('finds the instant of a local wall-clock time', () => {
    expect(instantOfLocal(MSK, 2026, 1, 15, 12, 0)).toBe(THURSDAY_NOON_MSK);
    // 12:00 CEST (UTC+2) on 1 July = 10:00 UTC.
    expect(instantOfLocal(BERLIN, 2026, 7, 1, 12, 0)).toBe(Date.UTC(2026, 6, 1, 10, 0));
  });

  it('starts the local day at local midnight: 15 Jan 00:00 MSK = 14 Jan 21:00 UTC', () => {
    expect(startOfLocalDay(THURSDAY_NOON_MSK, MSK)).toBe(Date.UTC(2026, 0, 14, 21, 0));
    // 01:30 MSK on the 16th belongs to the 16th, although in UTC it is still the 15th.
    expect(startOfLocalDay(Date.UTC(2026, 0, 15, 22, 30), MSK)).toBe(Date.UTC(2026, 0, 15, 21, 0));
  });

  it('recognises IANA zone names', () => {
    expect(isValidTimeZone(MSK)).toBe(true);
    expect(isValidTimeZone('Asia/Vladivostok')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('addLocalDays', () => {
  it('adds 365 days to 15 Jan 2026 12:00 MSK: 15 Jan 2027 12:00 MSK', () => {
    expect(addLocalDays(THURSDAY_NOON_MSK, 365, MSK)).toBe(Date.UTC(2027, 0, 15, 9, 0));
  });

  it('counts calendar days through a short February', () => {
    // 31 Jan 22:30 UTC = 1 Feb 01:30 MSK. February 2026 has 28 days, so +28 days = 1 Mar 01:30 MSK
    // (= 28 Feb 22:30 UTC) and +30 days = 3 Mar 01:30 MSK (= 2 Mar 22:30 UTC).
    const start = Date.UTC(2026, 0, 31, 22, 30);
    expect(addLocalDays(start, 28, MSK)).toBe(Date.UTC(2026, 1, 28, 22, 30));
    expect(addLocalDays(start, 30, MSK)).toBe(Date.UTC(2026, 2, 2, 22, 30));
  });

  it('crosses the year: 31 Dec 23:00 MSK + 1 day = 1 Jan 23:00 MSK', () => {
    expect(addLocalDays(Date.UTC(2026, 11, 31, 20, 0), 1, MSK)).toBe(Date.UTC(2027, 0, 1, 20, 0));
  });

  it('keeps the wall clock across a DST change: Berlin 28 Mar 12:00 CET + 1 day = 29 Mar 12:00 CEST', () => {
    // 12:00 CET = 11:00 UTC; the next day 12:00 CEST = 10:00 UTC: only 23 hours later.
    const saturdayNoon = Date.UTC(2026, 2, 28, 11, 0);
    const next = addLocalDays(saturdayNoon, 1, BERLIN);
    expect(next).toBe(Date.UTC(2026, 2, 29, 10, 0));
    expect(next - saturdayNoon).toBe(23 * HOUR);
  });

  it('keeps seconds and milliseconds, and goes backwards with negative days', () => {
    expect(addLocalDays(THURSDAY_NOON_MSK + 42_123, 1, MSK)).toBe(Date.UTC(2026, 0, 16, 9, 0, 42, 123));
    expect(addLocalDays(THURSDAY_NOON_MSK, -15, MSK)).toBe(Date.UTC(2025, 11, 31, 9, 0));
  });
});

describe('nextFixedDate', () => {
  it('picks the first listed date after the instant, at local midnight', () => {
    // From 15 Jan 2026: 1 Jan 2026 has passed, 1 Jul 2026 00:00 MSK = 30 Jun 21:00 UTC comes first.
    expect(nextFixedDate(THURSDAY_NOON_MSK, ['01-01', '07-01'], MSK)).toBe(Date.UTC(2026, 5, 30, 21, 0));
  });

  it('is strictly after: exactly at 1 Jul 00:00 MSK the next one is 1 Jan 2027', () => {
    const julyFirst = Date.UTC(2026, 5, 30, 21, 0);
    expect(nextFixedDate(julyFirst, ['01-01', '07-01'], MSK)).toBe(Date.UTC(2026, 11, 31, 21, 0));
    expect(nextFixedDate(julyFirst - 1, ['07-01'], MSK)).toBe(julyFirst);
  });

  it('uses the local date: 31 Dec 21:30 UTC is already 1 Jan 00:30 in Moscow', () => {
    // Local 1 Jan 2027 00:30 is after 1 Jan 00:00, so the next "01-01" is 1 Jan 2028.
    expect(nextFixedDate(Date.UTC(2026, 11, 31, 21, 30), ['01-01'], MSK)).toBe(Date.UTC(2027, 11, 31, 21, 0));
  });

  it('finds 29 February in the next leap year, however far', () => {
    // 2026 -> 2028 (two years on).
    expect(nextFixedDate(THURSDAY_NOON_MSK, ['02-29'], MSK)).toBe(Date.UTC(2028, 1, 28, 21, 0));
    // 1 Mar 2025 -> 29 Feb 2028 (three years on).
    expect(nextFixedDate(Date.UTC(2025, 2, 1), ['02-29'], MSK)).toBe(Date.UTC(2028, 1, 28, 21, 0));
    // 1 Mar 2028 -> 29 Feb 2032 (four years on).
    expect(nextFixedDate(Date.UTC(2028, 2, 1), ['02-29'], MSK)).toBe(Date.UTC(2032, 1, 28, 21, 0));
    // 1 Mar 2096 -> 29 Feb 2104: 2100 is not a leap year (eight years on).
    expect(nextFixedDate(Date.UTC(2096, 2, 1), ['02-29'], MSK)).toBe(Date.UTC(2104, 1, 28, 21, 0));
  });

  it('prefers an ordinary date over a far 29 February', () => {
    expect(nextFixedDate(Date.UTC(2025, 2, 1), ['02-29', '12-31'], MSK)).toBe(Date.UTC(2025, 11, 30, 21, 0));
  });

  it('answers null when no listed date ever comes', () => {
    expect(nextFixedDate(THURSDAY_NOON_MSK, [], MSK)).toBeNull();
    expect(nextFixedDate(THURSDAY_NOON_MSK, ['02-30'], MSK)).toBeNull();
  });
});

describe('parseClock', () => {
  it('turns HH:MM into minutes since midnight, 24:00 into 1440', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('23:59')).toBe(1439);
    expect(parseClock('24:00')).toBe(1440);
  });
});

describe('agreement with Intl', () => {
  // Zones with DST, half-hour and quarter-hour offsets and half-hour DST shifts.
  const zones = [
    MSK,
    BERLIN,
    'America/New_York',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Santiago',
  ];
  const reference = (instant: number, timeZone: string) => {
    const fields: Record<string, number> = {};
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    for (const part of format.formatToParts(instant))
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    return [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second];
  };

  it('reads the same wall clock as Intl at any instant, also around DST changes', () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
      // Within two hours of the top of an hour, where zones change offset.
      fc
        .tuple(
          fc.integer({ min: 20 * 365 * 24, max: 130 * 365 * 24 }),
          fc.integer({ min: -7_200_000, max: 7_200_000 }),
        )
        .map(([hour, ms]) => hour * HOUR + ms),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(instant, { minLength: 1, maxLength: 20 }),
        (zone, instants) => {
          for (const at of instants) {
            const p = localParts(at, zone);
            expect([p.year, p.month, p.day, p.hour, p.minute, p.second], `${zone} ${at}`).toEqual(
              reference(at, zone),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the local instant back from its wall clock', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, at) => {
          const whole = at - (at % MS_PER_MINUTE_TEST);
          const p = localParts(whole, zone);
          const back = instantOfLocal(zone, p.year, p.month, p.day, p.hour, p.minute);
          // An ambiguous wall clock (the repeated hour in autumn) may map to its other instant.
          const q = localParts(back, zone);
          expect([q.year, q.month, q.day, q.hour, q.minute]).toEqual([
            p.year,
            p.month,
            p.day,
            p.hour,
            p.minute,
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const MS_PER_MINUTE_TEST = 60_000;
