// The audit log's period filter: a day picked in the cabinet starts at the merchant's midnight,
// whatever zone the browser runs in (east and west of UTC, and on a day that changes offset).
import { describe, expect, it } from 'vitest';
import { dayStartIn } from './audit-api.ts';

describe('dayStartIn', () => {
  it("is the merchant's midnight as an instant", () => {
    expect(dayStartIn('2026-03-01', 'Europe/Moscow')).toBe('2026-02-28T21:00:00.000Z');
    expect(dayStartIn('2026-03-01', 'Asia/Vladivostok')).toBe('2026-02-28T14:00:00.000Z');
    expect(dayStartIn('2026-03-01', 'America/New_York')).toBe('2026-03-01T05:00:00.000Z');
    // New York moves to summer time on 8 March 2026 at 02:00: midnight is still winter time.
    expect(dayStartIn('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(dayStartIn('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });
});
