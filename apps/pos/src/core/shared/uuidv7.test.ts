import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from './uuidv7.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the version and variant bits and the timestamp', () => {
    const at = Date.UTC(2026, 0, 15, 9, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(UUID_V7);
    expect(uuidv7Time(id)).toBeGreaterThanOrEqual(at);
  });

  it('is strictly increasing in a burst within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => uuidv7(1_800_000_000_000));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(UUID_V7);
  });

  it('never goes back when the clock does', () => {
    const later = uuidv7(1_900_000_000_000);
    const earlier = uuidv7(1_000_000_000_000);
    expect(earlier > later).toBe(true);
  });
});
