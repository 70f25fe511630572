// Money from kopecks, points from hundredths, calendar dates that never shift a day, instants in
// the merchant's zone, and the merchant's today.
import { describe, expect, it } from 'vitest';
import { formattersFor, todayIn } from './formatters.ts';

// Intl separates groups and the currency with no-break spaces.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatters', () => {
  const ru = formattersFor('ru', 'Europe/Moscow');
  const en = formattersFor('en', 'Asia/Vladivostok');

  it('formats kopecks as roubles and hundredths as points', () => {
    expect(plain(ru.money(123_456_78))).toBe('123 456,78 ₽');
    expect(plain(ru.points(15_050))).toBe('150,5');
    expect(ru.points(-200)).toBe('-2');
    expect(plain(en.money(100))).toBe('RUB 1.00');
    expect(ru.money(null)).toBe('—');
    expect(plain(ru.percent(6_667))).toBe('66,7 %');
  });

  it('shows calendar dates as they are and instants in the merchant zone', () => {
    expect(ru.date('1990-03-10')).toBe('10.03.1990');
    expect(ru.dateTime('2026-03-01T21:30:00Z')).toBe('02.03.2026, 00:30');
    expect(en.dateTime('2026-03-01T21:30:00Z')).toBe('02/03/2026, 07:30');
  });

  it("answers the merchant's today, not the browser's", () => {
    const lateUtc = new Date('2026-11-22T21:30:00Z');
    expect(todayIn('Europe/Moscow', lateUtc)).toBe('2026-11-23');
    expect(todayIn('America/New_York', lateUtc)).toBe('2026-11-22');
  });
});
