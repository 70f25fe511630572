import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { assertNonNegative, assertUniqueLotIds, lotStateAt, totalMoved } from './points-lot.ts';
import type { PointsLot } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const lot: PointsLot = { id: 'a', remaining: points(1_00), activatesAt: T0, expiresAt: T0 + 1000 };

describe('lotStateAt', () => {
  it('is pending before activation, active from activation, expired from expiry', () => {
    expect(lotStateAt(lot, T0 - 1)).toBe('pending');
    expect(lotStateAt(lot, T0)).toBe('active');
    expect(lotStateAt(lot, T0 + 999)).toBe('active');
    expect(lotStateAt(lot, T0 + 1000)).toBe('expired');
  });

  it('never expires a lot without expiry', () => {
    expect(lotStateAt({ ...lot, expiresAt: null }, T0 + 1e12)).toBe('active');
  });

  it('lets expiry win over pending', () => {
    expect(lotStateAt({ ...lot, activatesAt: T0 + 5000 }, T0 + 2000)).toBe('expired');
  });
});

describe('totalMoved', () => {
  it('sums the points of movements', () => {
    expect(totalMoved([])).toBe(0);
    expect(
      totalMoved([
        { lotId: 'a', points: points(1_50) },
        { lotId: 'b', points: points(2_25) },
      ]),
    ).toBe(3_75);
  });
});

describe('assertions', () => {
  it('reject duplicate ids and negative amounts', () => {
    expect(() => assertUniqueLotIds([lot, { ...lot }])).toThrow(RangeError);
    expect(() => assertUniqueLotIds([lot, { ...lot, id: 'b' }])).not.toThrow();
    expect(() => assertNonNegative(points(-1), 'x')).toThrow(RangeError);
    expect(() => assertNonNegative(points(0), 'x')).not.toThrow();
  });
});
