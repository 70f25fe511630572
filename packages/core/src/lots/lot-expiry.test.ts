import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { MS_PER_DAY } from '#time/zoned-time.ts';
import { expireLots } from './lot-expiry.ts';
import type { PointsLot } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const lot = (id: string, remaining: number, activatesAt: number, expiresAt: number | null): PointsLot => ({
  id,
  remaining: points(remaining),
  activatesAt,
  expiresAt,
});

describe('expireLots', () => {
  it('writes off every lot with points left whose expiry has come, by expiry then id', () => {
    const lots = [
      lot('c', 3_00, T0 - 9 * MS_PER_DAY, T0 - MS_PER_DAY),
      lot('b', 2_00, T0 - 9 * MS_PER_DAY, T0 - 2 * MS_PER_DAY),
      lot('a', 1_00, T0 - 9 * MS_PER_DAY, T0 - MS_PER_DAY),
      lot('at-now', 4_00, T0 - 9 * MS_PER_DAY, T0),
      lot('future', 5_00, T0 - 9 * MS_PER_DAY, T0 + 1),
      lot('forever', 6_00, T0 - 9 * MS_PER_DAY, null),
      lot('used-up', 0, T0 - 9 * MS_PER_DAY, T0 - MS_PER_DAY),
    ];
    expect(expireLots(lots, T0)).toEqual([
      { lotId: 'b', points: 2_00 },
      { lotId: 'a', points: 1_00 },
      { lotId: 'c', points: 3_00 },
      { lotId: 'at-now', points: 4_00 },
    ]);
  });

  it('expires a lot that never became active', () => {
    expect(expireLots([lot('never-active', 7_00, T0 + MS_PER_DAY, T0)], T0)).toEqual([
      { lotId: 'never-active', points: 7_00 },
    ]);
  });

  it('returns nothing when nothing is due', () => {
    expect(expireLots([lot('a', 1_00, T0, T0 + MS_PER_DAY)], T0)).toEqual([]);
    expect(expireLots([], T0)).toEqual([]);
  });
});
