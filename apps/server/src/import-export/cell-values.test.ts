// Cells as people type them: money and points to the hundredth exactly, Russian and ISO dates,
// yes/no and gender in their usual spellings; anything else is a problem, never a guess.
import { describe, expect, it } from 'vitest';
import { parseDate, parseGender, parseHundredths, parseYesNo } from './cell-values.ts';

const value = <T>(result: { ok: true; value: T } | { ok: false }) => (result.ok ? result.value : 'refused');

describe('parseHundredths', () => {
  it.each([
    ['199,90', 19990],
    ['199.9', 19990],
    ['1 234,50', 123450],
    ['1\u00a0234,5 ₽', 123450],
    ['0,01', 1],
    ['42', 4200],
    ['-3,5', -350],
    // 0.1 + 0.2 in floating point is 0.30000000000000004; text shifting never sees it.
    ['0.3', 30],
  ])('reads %j as %d', (text, expected) => {
    expect(value(parseHundredths(text))).toBe(expected);
  });

  it.each(['abc', '1,234,5', '0,001', '1e5', '', '12.'])('refuses %j', (text) => {
    expect(parseHundredths(text).ok).toBe(false);
  });
});

describe('parseDate', () => {
  it.each([
    ['31.12.2026', '2026-12-31'],
    ['1.2.1990', '1990-02-01'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %j as %s', (text, expected) => {
    expect(value(parseDate(text))).toBe(expected);
  });

  it.each(['31.02.2026', '2023-02-29', '12/31/2026', '2026-1-1', 'вчера'])('refuses %j', (text) => {
    expect(parseDate(text).ok).toBe(false);
  });
});

describe('yes/no and gender', () => {
  it('reads the usual spellings and refuses the rest', () => {
    expect(['да', 'Yes', '1', '+'].map((t) => value(parseYesNo(t)))).toEqual([true, true, true, true]);
    expect(['нет', 'NO', '0', '-'].map((t) => value(parseYesNo(t)))).toEqual([false, false, false, false]);
    expect(parseYesNo('может быть').ok).toBe(false);
    expect(['м', 'Муж.', 'male', 'Ж', 'женский', 'F'].map((t) => value(parseGender(t)))).toEqual([
      'male',
      'male',
      'male',
      'female',
      'female',
      'female',
    ]);
    expect(parseGender('x').ok).toBe(false);
  });
});
