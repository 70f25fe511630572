import { describe, expect, it } from 'vitest';
import { points } from '#money/money.ts';
import { LOT_PROBLEM_CODES } from './lot-problems.ts';
import { planRestore } from './lot-restore.ts';
import type { LotMovement } from './points-lot.ts';

const move = (lotId: string, amount: number): LotMovement => ({ lotId, points: points(amount) });
// A redemption that took 20 from "soon", 30 from "late" and 15.50 from "forever", in that order.
const consumed = [move('soon', 20_00), move('late', 30_00), move('forever', 15_50)];

describe('planRestore', () => {
  it('restores the last consumed lot first', () => {
    expect(planRestore(consumed, points(10_00))).toEqual({ ok: true, value: [move('forever', 10_00)] });
    expect(planRestore(consumed, points(40_00))).toEqual({
      ok: true,
      value: [move('forever', 15_50), move('late', 24_50)],
    });
  });

  it('restores everything to the same lots', () => {
    expect(planRestore(consumed, points(65_50))).toEqual({
      ok: true,
      value: [move('forever', 15_50), move('late', 30_00), move('soon', 20_00)],
    });
  });

  it('continues after earlier partial restores', () => {
    const first = planRestore(consumed, points(10_00));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = planRestore(consumed, points(40_00), first.value);
    expect(second).toEqual({
      ok: true,
      value: [move('forever', 5_50), move('late', 30_00), move('soon', 4_50)],
    });
  });

  it('returns an empty plan for zero points', () => {
    expect(planRestore(consumed, points(0))).toEqual({ ok: true, value: [] });
    expect(planRestore([], points(0))).toEqual({ ok: true, value: [] });
  });

  it('handles a lot that appears twice in the consumption list in undo order', () => {
    const twice = [move('a', 5_00), move('b', 5_00), move('a', 3_00)];
    expect(planRestore(twice, points(4_00))).toEqual({ ok: true, value: [move('a', 3_00), move('b', 1_00)] });
    expect(planRestore(twice, points(9_00), [move('a', 3_00), move('b', 1_00)])).toEqual({
      ok: true,
      value: [move('b', 4_00), move('a', 5_00)],
    });
  });

  it('fails with restore_exceeds_consumed when asked for more than is left to restore', () => {
    const result = planRestore(consumed, points(60_00), [move('forever', 10_00)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(LOT_PROBLEM_CODES.restoreExceedsConsumed);
    expect(result.error.code).toBe('restore_exceeds_consumed');
    expect(result.error.details).toEqual({
      consumed: 65_50,
      alreadyRestored: 10_00,
      requested: 60_00,
      restorable: 55_50,
    });
    expect(result.error.message).toBe('Нельзя вернуть 60.00 баллов: к возврату доступно только 55.50.');
  });

  it('fails with restore_exceeds_consumed when an earlier restore gave a lot more than was taken', () => {
    const result = planRestore(consumed, points(1), [move('soon', 20_01)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('restore_exceeds_consumed');
    expect(result.error.details).toMatchObject({ lotId: 'soon', alreadyRestored: 20_01 });
  });

  it('fails when an earlier restore names a lot the redemption never took from', () => {
    const result = planRestore(consumed, points(0), [move('stranger', 1)]);
    expect(!result.ok && result.error.details.lotId).toBe('stranger');
  });

  it('throws on a negative amount', () => {
    expect(() => planRestore(consumed, points(-1))).toThrow(RangeError);
  });
});
