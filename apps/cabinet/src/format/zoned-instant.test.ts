// The happy hours preview's moment (C4): a wall-clock time in the merchant's zone is the instant
// the engine reads back as that same local time, in zones east and west of UTC and across DST.
import { describe, expect, it } from 'vitest';
import { instantAt } from './zoned-instant.ts';

describe('instantAt', () => {
  it('reads the date and time in the merchant’s zone', () => {
    expect(instantAt('2026-06-01', '18:00', 'Europe/Moscow')).toBe(Date.parse('2026-06-01T15:00:00Z'));
    expect(instantAt('2026-06-01', '12:00', 'Asia/Yekaterinburg')).toBe(Date.parse('2026-06-01T07:00:00Z'));
    expect(instantAt('2026-01-01', '00:30', 'Asia/Kamchatka')).toBe(Date.parse('2025-12-31T12:30:00Z'));
    expect(instantAt('2026-03-01', '09:15', 'UTC')).toBe(Date.parse('2026-03-01T09:15:00Z'));
  });

  it('follows a zone’s change of offset (summer time)', () => {
    expect(instantAt('2026-01-15', '18:00', 'Europe/Berlin')).toBe(Date.parse('2026-01-15T17:00:00Z'));
    expect(instantAt('2026-07-15', '18:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-15T16:00:00Z'));
    expect(instantAt('2026-07-15', '18:00', 'America/New_York')).toBe(Date.parse('2026-07-15T22:00:00Z'));
  });
});
