import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { MS_PER_DAY } from '#time/zoned-time.ts';
import { LOT_PROBLEM_CODES } from './lot-problems.ts';
import { compareForRedemption, planRedemption, planRedemptionWithOverdraft } from './lot-redemption.ts';
import type { PointsLot } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const lot = (id: string, remaining: number, activatesAt: number, expiresAt: number | null): PointsLot => ({
  id,
  remaining: points(remaining),
  activatesAt,
  expiresAt,
});

const lots = [
  lot('forever', 40_00, T0 - 20 * MS_PER_DAY, null),
  lot('late', 30_00, T0 - 5 * MS_PER_DAY, T0 + 90 * MS_PER_DAY),
  lot('soon', 20_00, T0 - 10 * MS_PER_DAY, T0 + 7 * MS_PER_DAY),
  lot('pending', 500_00, T0 + MS_PER_DAY, T0 + 3 * MS_PER_DAY),
  lot('expired', 500_00, T0 - 30 * MS_PER_DAY, T0),
  lot('empty', 0, T0 - 30 * MS_PER_DAY, T0 + MS_PER_DAY),
];

describe('planRedemption', () => {
  it('consumes soonest-expiring lots first and never-expiring lots last', () => {
    const plan = planRedemption(lots, points(65_50), T0);
    expect(plan).toEqual({
      ok: true,
      value: {
        consumed: [
          { lotId: 'soon', points: 20_00 },
          { lotId: 'late', points: 30_00 },
          { lotId: 'forever', points: 15_50 },
        ],
      },
    });
  });

  it('takes only part of the first lot when it covers the amount', () => {
    expect(planRedemption(lots, points(1), T0)).toEqual({
      ok: true,
      value: { consumed: [{ lotId: 'soon', points: 1 }] },
    });
  });

  it('returns an empty plan for zero points', () => {
    expect(planRedemption(lots, points(0), T0)).toEqual({ ok: true, value: { consumed: [] } });
  });

  it('can consume all active points exactly', () => {
    const plan = planRedemption(lots, points(90_00), T0);
    expect(plan.ok && plan.value.consumed.map((m) => m.points)).toEqual([20_00, 30_00, 40_00]);
  });

  it('fails with insufficient_points when the active lots hold less, ignoring pending and expired lots', () => {
    const plan = planRedemption(lots, points(100_00), T0);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe(LOT_PROBLEM_CODES.insufficientPoints);
    expect(plan.error.code).toBe('insufficient_points');
    expect(plan.error.details).toEqual({ available: 90_00, requested: 100_00, shortfall: 10_00 });
    expect(plan.error.message).toBe('Недостаточно баллов: доступно 90.00, требуется 100.00.');
  });

  it('breaks expiry ties by earlier activation, then by id', () => {
    const expiresAt = T0 + 10 * MS_PER_DAY;
    const tied = [
      lot('b', 10_00, T0 - MS_PER_DAY, expiresAt),
      lot('a', 10_00, T0 - MS_PER_DAY, expiresAt),
      lot('z-older', 10_00, T0 - 2 * MS_PER_DAY, expiresAt),
    ];
    const plan = planRedemption(tied, points(25_00), T0);
    expect(plan.ok && plan.value.consumed).toEqual([
      { lotId: 'z-older', points: 10_00 },
      { lotId: 'a', points: 10_00 },
      { lotId: 'b', points: 5_00 },
    ]);
  });

  it('orders ids by code unit, not by locale', () => {
    const tied = [lot('b', 1, T0, null), lot('B', 1, T0, null), lot('a', 1, T0, null)];
    expect([...tied].sort(compareForRedemption).map((l) => l.id)).toEqual(['B', 'a', 'b']);
  });

  it('throws on a negative amount and on duplicate lot ids (bugs, not business failures)', () => {
    expect(() => planRedemption(lots, points(-1), T0)).toThrow(RangeError);
    expect(() => planRedemption([lot('x', 1, T0, null), lot('x', 2, T0, null)], points(1), T0)).toThrow(
      RangeError,
    );
  });
});

describe('planRedemptionWithOverdraft', () => {
  it('consumes like planRedemption when the balance covers the amount', () => {
    expect(planRedemptionWithOverdraft(lots, points(25_00), T0)).toEqual({
      consumed: [
        { lotId: 'soon', points: 20_00 },
        { lotId: 'late', points: 5_00 },
      ],
      overdraft: 0,
    });
  });

  it('consumes every active lot and books the rest as overdraft', () => {
    expect(planRedemptionWithOverdraft(lots, points(100_00), T0)).toEqual({
      consumed: [
        { lotId: 'soon', points: 20_00 },
        { lotId: 'late', points: 30_00 },
        { lotId: 'forever', points: 40_00 },
      ],
      overdraft: 10_00,
    });
  });

  it('books everything as overdraft when nothing is active', () => {
    expect(
      planRedemptionWithOverdraft(
        lots.filter((l) => l.id === 'pending' || l.id === 'expired'),
        points(12_34),
        T0,
      ),
    ).toEqual({
      consumed: [],
      overdraft: 12_34,
    });
  });
});
