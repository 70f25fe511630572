import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { MS_PER_DAY } from '#time/zoned-time.ts';
import { availableToSpend, balanceAt } from './lot-balance.ts';
import type { PointsLot } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const lot = (id: string, remaining: number, activatesAt: number, expiresAt: number | null): PointsLot => ({
  id,
  remaining: points(remaining),
  activatesAt,
  expiresAt,
});

const lots = [
  lot('active-expiring', 100_00, T0 - MS_PER_DAY, T0 + 30 * MS_PER_DAY),
  lot('active-forever', 50_00, T0 - 10 * MS_PER_DAY, null),
  lot('pending', 25_00, T0 + 14 * MS_PER_DAY, T0 + 60 * MS_PER_DAY),
  lot('expired', 70_00, T0 - 60 * MS_PER_DAY, T0 - MS_PER_DAY),
];

describe('balanceAt', () => {
  it('splits lots into active and pending and drops expired ones', () => {
    expect(balanceAt(lots, T0)).toEqual({ active: 150_00, pending: 25_00, total: 175_00 });
  });

  it('counts a lot as active from the instant it activates', () => {
    const at = lot('a', 10_00, T0, null);
    expect(balanceAt([at], T0 - 1)).toEqual({ active: 0, pending: 10_00, total: 10_00 });
    expect(balanceAt([at], T0)).toEqual({ active: 10_00, pending: 0, total: 10_00 });
  });

  it('drops a lot at the instant it expires', () => {
    const expiring = lot('a', 10_00, T0 - MS_PER_DAY, T0);
    expect(balanceAt([expiring], T0 - 1).active).toBe(10_00);
    expect(balanceAt([expiring], T0)).toEqual({ active: 0, pending: 0, total: 0 });
  });

  it('counts a not-yet-active lot that has already expired nowhere', () => {
    expect(balanceAt([lot('odd', 5_00, T0 + MS_PER_DAY, T0)], T0)).toEqual({
      active: 0,
      pending: 0,
      total: 0,
    });
  });

  it('is zero for no lots', () => {
    expect(balanceAt([], T0)).toEqual({ active: 0, pending: 0, total: 0 });
  });
});

describe('availableToSpend', () => {
  it('subtracts debt and reservations from the active points', () => {
    expect(availableToSpend(lots, T0, { debt: points(20_00), reserved: points(30_50) })).toBe(99_50);
  });

  it('ignores pending points', () => {
    expect(availableToSpend(lots, T0, { debt: points(0), reserved: points(0) })).toBe(150_00);
  });

  it('never goes below zero', () => {
    expect(availableToSpend(lots, T0, { debt: points(100_00), reserved: points(60_00) })).toBe(0);
  });
});
