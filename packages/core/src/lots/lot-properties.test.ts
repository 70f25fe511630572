// Property tests across the lot planners: the invariants the ledger relies on (ARCHITECTURE
// "Points ledger"), checked on random lots with many ties in time so the tie-breaks are exercised.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Points } from '#money/money.ts';
import { points } from '#money/money.ts';
import { applyConsumption, applyRestore } from './apply-lot-movements.ts';
import { balanceAt } from './lot-balance.ts';
import { expireLots } from './lot-expiry.ts';
import { planRedemption, planRedemptionWithOverdraft } from './lot-redemption.ts';
import { planRestore } from './lot-restore.ts';
import type { LotMovement, PointsLot } from './points-lot.ts';
import { lotStateAt, totalMoved } from './points-lot.ts';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const HOUR = 3_600_000;
const RUNS = { numRuns: 300 };

// Whole hours in a narrow window so that equal expiries, equal activations and `now` landing
// exactly on a boundary all happen often.
const lotArb: fc.Arbitrary<PointsLot> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 3 }),
    remaining: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000_000 })),
    activatesHour: fc.integer({ min: -6, max: 6 }),
    lifeHours: fc.option(fc.integer({ min: -2, max: 8 }), { nil: null }),
  })
  .map(({ id, remaining, activatesHour, lifeHours }) => ({
    id,
    remaining: points(remaining),
    activatesAt: T0 + activatesHour * HOUR,
    expiresAt: lifeHours === null ? null : T0 + (activatesHour + lifeHours) * HOUR,
  }));

const scenarioArb = fc.uniqueArray(lotArb, { selector: (lot) => lot.id, maxLength: 12 }).chain((lots) =>
  fc.record({
    lots: fc.constant(lots),
    shuffled: fc.shuffledSubarray(lots, { minLength: lots.length, maxLength: lots.length }),
    now: fc.integer({ min: -8, max: 14 }).map((hour) => T0 + hour * HOUR),
    seed: fc.nat(),
  }),
);

/** An amount the active lots can cover, picked by `seed`. */
const coverableAmount = (lots: readonly PointsLot[], now: number, seed: number): Points =>
  points(seed % (balanceAt(lots, now).active + 1));

const byLot = (movements: readonly LotMovement[]): Map<string, number> => {
  const sums = new Map<string, number>();
  for (const m of movements) sums.set(m.lotId, (sums.get(m.lotId) ?? 0) + m.points);
  return sums;
};

/** Splits `total` into parts at the given cut points. */
const splitAt = (total: number, cuts: readonly number[]): number[] => {
  const marks = [0, ...cuts.map((c) => c % (total + 1)).sort((a, b) => a - b), total];
  return marks.slice(1).map((mark, i) => mark - (marks[i] ?? 0));
};

describe('lot properties', () => {
  it('redemption consumes exactly the amount, from active lots only, within their remainders', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now, seed }) => {
        const amount = coverableAmount(lots, now, seed);
        const plan = planRedemption(lots, amount, now);
        if (!plan.ok) throw new Error('a coverable amount must not fail');
        const { consumed } = plan.value;
        expect(totalMoved(consumed)).toBe(amount);
        const ids = consumed.map((m) => m.lotId);
        expect(new Set(ids).size).toBe(ids.length);
        consumed.forEach((m, i) => {
          const lot = lots.find((l) => l.id === m.lotId);
          expect(lot).toBeDefined();
          if (!lot) return;
          expect(lotStateAt(lot, now)).toBe('active');
          expect(m.points).toBeGreaterThan(0);
          expect(m.points).toBeLessThanOrEqual(lot.remaining);
          // Greedy: every lot but the last is emptied.
          if (i < consumed.length - 1) expect(m.points).toBe(lot.remaining);
        });
      }),
      RUNS,
    );
  });

  it('redemption never uses a lot expiring later while one expiring sooner has points left', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now, seed }) => {
        const plan = planRedemption(lots, coverableAmount(lots, now, seed), now);
        if (!plan.ok) throw new Error('a coverable amount must not fail');
        const used = new Set(plan.value.consumed.map((m) => m.lotId));
        const after = applyConsumption(lots, plan.value.consumed);
        const expiryKey = (lot: PointsLot) => lot.expiresAt ?? Number.POSITIVE_INFINITY;
        for (const left of after) {
          if (left.remaining === 0 || lotStateAt(left, now) !== 'active') continue;
          for (const usedLot of lots.filter((l) => used.has(l.id))) {
            if (usedLot.id !== left.id) expect(expiryKey(usedLot)).toBeLessThanOrEqual(expiryKey(left));
          }
        }
      }),
      RUNS,
    );
  });

  it('redemption does not depend on the input order of lots', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, shuffled, now, seed }) => {
        const amount = coverableAmount(lots, now, seed);
        expect(planRedemption(shuffled, amount, now)).toEqual(planRedemption(lots, amount, now));
        const beyond = points(amount + (seed % 1000));
        expect(planRedemptionWithOverdraft(shuffled, beyond, now)).toEqual(
          planRedemptionWithOverdraft(lots, beyond, now),
        );
        expect(expireLots(shuffled, now)).toEqual(expireLots(lots, now));
      }),
      RUNS,
    );
  });

  it('redemption beyond the active points fails; with overdraft it takes them all and books the rest', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now, seed }) => {
        const { active } = balanceAt(lots, now);
        const amount = points(active + 1 + (seed % 10_000));
        const plan = planRedemption(lots, amount, now);
        expect(plan).toMatchObject({
          ok: false,
          error: {
            code: 'insufficient_points',
            details: { available: active, requested: amount, shortfall: amount - active },
          },
        });
        const withOverdraft = planRedemptionWithOverdraft(lots, amount, now);
        expect(totalMoved(withOverdraft.consumed)).toBe(active);
        expect(withOverdraft.overdraft).toBe(amount - active);
        expect(balanceAt(applyConsumption(lots, withOverdraft.consumed), now).active).toBe(0);
      }),
      RUNS,
    );
  });

  it('applying a redemption lowers the active balance by exactly the amount and nothing else', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now, seed }) => {
        const amount = coverableAmount(lots, now, seed);
        const plan = planRedemption(lots, amount, now);
        if (!plan.ok) throw new Error('a coverable amount must not fail');
        const before = balanceAt(lots, now);
        const after = balanceAt(applyConsumption(lots, plan.value.consumed), now);
        expect(after.active).toBe(before.active - amount);
        expect(after.pending).toBe(before.pending);
        // Overdraft plans keep the same books: consumed + overdraft = amount.
        const withOverdraft = planRedemptionWithOverdraft(lots, amount, now);
        expect(withOverdraft).toEqual({ consumed: plan.value.consumed, overdraft: 0 });
      }),
      RUNS,
    );
  });

  it('any split of a restore into partial restores adds up to the full restore, lot by lot', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat(),
        ({ lots, now, seed }, cuts, pick) => {
          const plan = planRedemption(lots, coverableAmount(lots, now, seed), now);
          if (!plan.ok) throw new Error('a coverable amount must not fail');
          const { consumed } = plan.value;
          const consumedTotal = totalMoved(consumed);
          const restoreTotal = pick % (consumedTotal + 1);

          const restored: LotMovement[] = [];
          for (const part of splitAt(restoreTotal, cuts)) {
            const step = planRestore(consumed, points(part), restored);
            if (!step.ok) throw new Error(`partial restore failed: ${step.error.code}`);
            expect(totalMoved(step.value)).toBe(part);
            restored.push(...step.value);
          }
          const whole = planRestore(consumed, points(restoreTotal));
          if (!whole.ok) throw new Error('a full restore within the consumed total must not fail');
          expect(byLot(restored)).toEqual(byLot(whole.value));

          const taken = byLot(consumed);
          for (const [lotId, given] of byLot(restored))
            expect(given).toBeLessThanOrEqual(taken.get(lotId) ?? 0);

          // Anything beyond what is left is refused.
          const tooMuch = planRestore(consumed, points(consumedTotal - restoreTotal + 1), restored);
          expect(tooMuch.ok || tooMuch.error.code).toBe('restore_exceeds_consumed');
        },
      ),
      RUNS,
    );
  });

  it('a full restore puts every lot back exactly as it was', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now, seed }) => {
        const plan = planRedemption(lots, coverableAmount(lots, now, seed), now);
        if (!plan.ok) throw new Error('a coverable amount must not fail');
        const restore = planRestore(plan.value.consumed, totalMoved(plan.value.consumed));
        if (!restore.ok) throw new Error('a full restore must not fail');
        expect(applyRestore(applyConsumption(lots, plan.value.consumed), restore.value)).toEqual(lots);
      }),
      RUNS,
    );
  });

  it('applying expiry leaves no expired remainder and changes no balance', () => {
    fc.assert(
      fc.property(scenarioArb, ({ lots, now }) => {
        const expired = expireLots(lots, now);
        const after = applyConsumption(lots, expired);
        for (const lot of after) {
          if (lot.expiresAt !== null && lot.expiresAt <= now) expect(lot.remaining).toBe(0);
        }
        expect(expireLots(after, now)).toEqual([]);
        expect(balanceAt(after, now)).toEqual(balanceAt(lots, now));
        const expiredRemainder = lots
          .filter((l) => lotStateAt(l, now) === 'expired')
          .reduce((sum, l) => sum + l.remaining, 0);
        expect(totalMoved(expired)).toBe(expiredRemainder);
      }),
      RUNS,
    );
  });
});
