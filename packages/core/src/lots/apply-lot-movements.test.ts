import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { applyConsumption, applyRestore } from './apply-lot-movements.ts';
import type { PointsLot } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const lots: readonly PointsLot[] = [
  { id: 'a', remaining: points(10_00), activatesAt: T0, expiresAt: null },
  { id: 'b', remaining: points(5_00), activatesAt: T0, expiresAt: T0 + 1 },
];

describe('applyConsumption', () => {
  it('takes points out of the named lots without touching the input', () => {
    const next = applyConsumption(lots, [{ lotId: 'a', points: points(2_50) }]);
    expect(next.map((l) => l.remaining)).toEqual([7_50, 5_00]);
    expect(lots[0]?.remaining).toBe(10_00);
    expect(next[1]).toBe(lots[1]);
  });

  it('adds up several movements for one lot', () => {
    const next = applyConsumption(lots, [
      { lotId: 'b', points: points(1_00) },
      { lotId: 'b', points: points(4_00) },
    ]);
    expect(next.map((l) => l.remaining)).toEqual([10_00, 0]);
  });

  it('throws when a lot would go negative, a movement names an unknown lot or is negative', () => {
    expect(() => applyConsumption(lots, [{ lotId: 'b', points: points(5_01) }])).toThrow(RangeError);
    expect(() => applyConsumption(lots, [{ lotId: 'zz', points: points(1) }])).toThrow(RangeError);
    expect(() => applyConsumption(lots, [{ lotId: 'a', points: points(-1) }])).toThrow(RangeError);
  });
});

describe('applyRestore', () => {
  it('gives points back to the named lots without touching the input', () => {
    const next = applyRestore(lots, [
      { lotId: 'b', points: points(3_00) },
      { lotId: 'a', points: points(1) },
    ]);
    expect(next.map((l) => l.remaining)).toEqual([10_01, 8_00]);
    expect(lots[1]?.remaining).toBe(5_00);
  });

  it('throws for an unknown lot', () => {
    expect(() => applyRestore(lots, [{ lotId: 'zz', points: points(1) }])).toThrow(RangeError);
  });
});
