import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { telescopingShare, telescopingStep } from './telescoping-share.ts';

describe('telescopingShare', () => {
  it('floors below the whole and gives the full figure at the whole', () => {
    expect(telescopingShare(100, 1000, 3000)).toBe(33);
    expect(telescopingShare(100, 2000, 3000)).toBe(66);
    expect(telescopingShare(100, 3000, 3000)).toBe(100);
    expect(telescopingShare(100, 0, 3000)).toBe(0);
  });

  it('lets the last piece take what flooring left: 100 kopecks over three units is 33 + 33 + 34', () => {
    expect([
      telescopingStep(100, 0, 1000, 3000),
      telescopingStep(100, 1000, 2000, 3000),
      telescopingStep(100, 2000, 3000, 3000),
    ]).toEqual([33, 33, 34]);
  });

  it('stays exact for products past the safe integer range', () => {
    expect(telescopingShare(9_000_000_000_000, 999_999_999, 1_000_000_000)).toBe(8_999_999_991_000);
  });

  it('throws on a part outside the whole (a bug, not an expected failure)', () => {
    expect(() => telescopingShare(100, 3001, 3000)).toThrow(RangeError);
    expect(() => telescopingShare(100, -1, 3000)).toThrow(RangeError);
    expect(() => telescopingStep(100, 2000, 1000, 3000)).toThrow(RangeError);
  });

  it('sums any partition of the whole to the figure, each step non-negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000_000 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000_000 }), { maxLength: 8 }),
        (figure, whole, rawCuts) => {
          const cuts = [...new Set(rawCuts.map((cut) => cut % whole))].sort((a, b) => a - b);
          const points = [0, ...cuts.filter((cut) => cut > 0), whole];
          let total = 0;
          for (let i = 1; i < points.length; i++) {
            const step = telescopingStep(figure, points[i - 1] ?? 0, points[i] ?? 0, whole);
            expect(step).toBeGreaterThanOrEqual(0);
            total += step;
          }
          expect(total).toBe(figure);
        },
      ),
    );
  });
});
