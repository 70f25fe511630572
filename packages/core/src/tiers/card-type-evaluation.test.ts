import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kopecks } from '#money/money.ts';
import type { CardTypeForTiers } from './card-type-evaluation.ts';
import { CARD_TYPE_PROBLEM_CODES, evaluateCardType, tierPeriodStart } from './card-type-evaluation.ts';

const type = (
  id: string,
  rank: number,
  threshold: number | null,
  issue: CardTypeForTiers['issue'],
): CardTypeForTiers => ({
  id,
  name: id.toUpperCase(),
  rank,
  threshold: threshold === null ? null : kopecks(threshold),
  issue,
});

// Base from 0, silver from 10 000 roubles, gold from 50 000 roubles, staff handed out by hand.
const cardTypes = [
  type('base', 0, null, 'default'),
  type('silver', 1, 10_000_00, 'threshold'),
  type('gold', 2, 50_000_00, 'threshold'),
  type('staff', 9, null, 'manual'),
];

const evaluate = (currentCardTypeId: string, total: number, allowDowngrade = false, types = cardTypes) =>
  evaluateCardType({ cardTypes: types, currentCardTypeId, purchasesTotal: kopecks(total), allowDowngrade });

describe('evaluateCardType', () => {
  it('upgrades to the highest type whose threshold is reached', () => {
    expect(evaluate('base', 12_000_00)).toEqual({
      ok: true,
      value: { cardTypeId: 'silver', change: 'upgrade', reason: 'threshold_reached' },
    });
    expect(evaluate('base', 50_000_00)).toEqual({
      ok: true,
      value: { cardTypeId: 'gold', change: 'upgrade', reason: 'threshold_reached' },
    });
  });

  it('treats the threshold as inclusive', () => {
    expect(evaluate('base', 10_000_00 - 1)).toMatchObject({ value: { cardTypeId: 'base', change: 'none' } });
    expect(evaluate('base', 10_000_00)).toMatchObject({ value: { cardTypeId: 'silver', change: 'upgrade' } });
  });

  it('keeps the type when the best earned type has the same rank', () => {
    expect(evaluate('silver', 20_000_00)).toEqual({
      ok: true,
      value: { cardTypeId: 'silver', change: 'none', reason: 'unchanged' },
    });
  });

  it('downgrades only when allowed', () => {
    expect(evaluate('gold', 12_000_00, false)).toEqual({
      ok: true,
      value: { cardTypeId: 'gold', change: 'none', reason: 'downgrade_not_allowed' },
    });
    expect(evaluate('gold', 12_000_00, true)).toEqual({
      ok: true,
      value: { cardTypeId: 'silver', change: 'downgrade', reason: 'below_threshold' },
    });
    expect(evaluate('gold', 0, true)).toMatchObject({ value: { cardTypeId: 'base', change: 'downgrade' } });
  });

  it('leaves a manual type alone, even past every threshold and with downgrades allowed', () => {
    expect(evaluate('staff', 1_000_000_00, true)).toEqual({
      ok: true,
      value: { cardTypeId: 'staff', change: 'none', reason: 'manual' },
    });
    const lowManual = [...cardTypes, type('promo', -1, null, 'manual')];
    expect(evaluate('promo', 60_000_00, false, lowManual)).toMatchObject({
      value: { cardTypeId: 'promo', change: 'none', reason: 'manual' },
    });
  });

  it('never awards a manual type or a threshold type without a threshold', () => {
    const types = [
      type('base', 0, null, 'default'),
      type('broken', 5, null, 'threshold'),
      type('vip', 9, 0, 'manual'),
    ];
    expect(evaluate('base', 1_000_000_00, false, types)).toMatchObject({
      value: { cardTypeId: 'base', change: 'none', reason: 'unchanged' },
    });
  });

  it('honours a threshold on the default type', () => {
    const types = [type('base', 0, 1_000_00, 'default'), type('silver', 1, 10_000_00, 'threshold')];
    expect(evaluate('silver', 500_00, true, types)).toEqual({
      ok: true,
      value: { cardTypeId: 'silver', change: 'none', reason: 'no_eligible_type' },
    });
  });

  it('breaks a rank tie by the smaller id', () => {
    const types = [
      type('base', 0, null, 'default'),
      type('b-silver', 1, 5_000_00, 'threshold'),
      type('a-silver', 1, 10_000_00, 'threshold'),
    ];
    expect(evaluate('base', 20_000_00, false, types)).toMatchObject({ value: { cardTypeId: 'a-silver' } });
    expect(evaluate('base', 6_000_00, false, types)).toMatchObject({ value: { cardTypeId: 'b-silver' } });
  });

  it('fails with unknown_card_type for a card type not in the programme', () => {
    const result = evaluate('platinum', 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(CARD_TYPE_PROBLEM_CODES.unknownCardType);
    expect(result.error.code).toBe('unknown_card_type');
    expect(result.error.details).toEqual({ cardTypeId: 'platinum' });
    expect(result.error.message).toBe('Тип карты «platinum» не найден.');
  });

  it('fails with unknown_card_type for an empty programme', () => {
    expect(evaluate('base', 0, false, [])).toMatchObject({ ok: false, error: { code: 'unknown_card_type' } });
  });
});

describe('evaluateCardType properties', () => {
  const typesArb = fc
    .uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 3 }),
        rank: fc.integer({ min: 0, max: 5 }),
        threshold: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        issue: fc.constantFrom('default', 'threshold', 'manual'),
      }),
      { selector: (t) => t.id, minLength: 1, maxLength: 8 },
    )
    .map((types) => types.map((t) => type(t.id, t.rank, t.threshold, t.issue)));

  const scenarioArb = typesArb.chain((types) =>
    fc.record({
      types: fc.constant(types),
      shuffled: fc.shuffledSubarray(types, { minLength: types.length, maxLength: types.length }),
      current: fc.constantFrom(...types),
      total: fc.integer({ min: 0, max: 120 }),
      allowDowngrade: fc.boolean(),
    }),
  );

  it('does not depend on the order of card types, and never moves the wrong way', () => {
    fc.assert(
      fc.property(scenarioArb, ({ types, shuffled, current, total, allowDowngrade }) => {
        const result = evaluate(current.id, total, allowDowngrade, types);
        expect(evaluate(current.id, total, allowDowngrade, shuffled)).toEqual(result);
        if (!result.ok) throw new Error('a known card type must not fail');
        const next = types.find((t) => t.id === result.value.cardTypeId);
        if (!next) throw new Error('the result must be one of the card types');
        switch (result.value.change) {
          case 'upgrade':
            expect(next.rank).toBeGreaterThan(current.rank);
            break;
          case 'downgrade':
            expect(allowDowngrade).toBe(true);
            expect(next.rank).toBeLessThan(current.rank);
            break;
          case 'none':
            expect(next.id).toBe(current.id);
            break;
        }
        if (current.issue === 'manual')
          expect(result.value).toEqual({ cardTypeId: current.id, change: 'none', reason: 'manual' });
        if (result.value.change !== 'none') expect(next.issue).not.toBe('manual');
      }),
      { numRuns: 300 },
    );
  });
});

describe('tierPeriodStart', () => {
  const moscow = 'Europe/Moscow';
  const berlin = 'Europe/Berlin';
  const at = (iso: string) => Date.parse(iso);

  it('is null for an all-time programme', () => {
    expect(tierPeriodStart(at('2026-11-22T12:00:00Z'), null, moscow)).toBeNull();
  });

  it('starts at local midnight N-1 days before today, so today counts as one of the N days', () => {
    // 02:30 in Moscow on 22 November is still 21 November in UTC: the merchant's day decides.
    const now = at('2026-11-21T23:30:00Z');
    expect(tierPeriodStart(now, 1, moscow)).toBe(at('2026-11-21T21:00:00Z'));
    expect(tierPeriodStart(now, 30, moscow)).toBe(at('2026-10-23T21:00:00Z'));
    expect(tierPeriodStart(now, 365, moscow)).toBe(at('2025-11-22T21:00:00Z'));
  });

  it('moves at the merchant midnight, not at the hour of the purchase', () => {
    const morning = tierPeriodStart(at('2026-11-22T05:00:00Z'), 30, moscow);
    const evening = tierPeriodStart(at('2026-11-22T20:59:59Z'), 30, moscow);
    const nextDay = tierPeriodStart(at('2026-11-22T21:00:00Z'), 30, moscow);
    expect(morning).toBe(evening);
    expect(nextDay).toBe((morning ?? 0) + 86_400_000);
  });

  it('counts calendar days across a daylight-saving change', () => {
    // Berlin moves to summer time on 29 March 2026: the window still starts at local midnight.
    expect(tierPeriodStart(at('2026-04-05T10:00:00Z'), 30, berlin)).toBe(at('2026-03-06T23:00:00Z'));
    expect(tierPeriodStart(at('2026-04-05T10:00:00Z'), 7, berlin)).toBe(at('2026-03-29T22:00:00Z'));
  });

  it('refuses a period that is not a positive whole number of days (a caller bug)', () => {
    expect(() => tierPeriodStart(0, 0, moscow)).toThrow(RangeError);
    expect(() => tierPeriodStart(0, 1.5, moscow)).toThrow(RangeError);
  });
});
