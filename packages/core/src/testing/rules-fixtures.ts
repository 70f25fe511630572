// Small builders for rules snapshots and receipts, shared by tests and benchmarks across the repo.
import { prepareRules, type PreparedRules } from '#rules/prepared-rules.ts';
import type { RulesSnapshotInput } from '#rules/snapshot.schema.ts';

/** 2026-01-15 12:00 Moscow time (a Thursday), as epoch ms. */
export const THURSDAY_NOON_MSK = Date.UTC(2026, 0, 15, 9, 0);

/**
 * A BonusPlus-like programme: "Стандартная" 2 % accrual on the money paid, rounded to whole
 * points, payment with points up to 100 %, 365-day expiry; "Серебряная" 5 % from 50 000 RUB.
 */
export function standardSnapshot(overrides: Partial<RulesSnapshotInput> = {}): RulesSnapshotInput {
  return {
    version: 'test-1',
    timeZone: 'Europe/Moscow',
    programme: { type: 'bonus', defaultCardTypeId: 'standard' },
    cardTypes: [
      { id: 'standard', name: 'Стандартная', rank: 0, threshold: null, issue: 'default' },
      { id: 'silver', name: 'Серебряная', rank: 1, threshold: 5_000_000, issue: 'threshold' },
    ],
    categories: [
      { id: 'food', parentId: null },
      { id: 'dairy', parentId: 'food' },
      { id: 'alcohol', parentId: null },
    ],
    stores: [
      { id: 'store-1', attributes: { format: 'hyper', city: 'Москва' } },
      { id: 'store-2', attributes: { format: 'convenience', city: 'Казань' } },
    ],
    rules: [
      {
        id: 'r-standard',
        cardTypeId: 'standard',
        categoryId: null,
        accrual: { kind: 'percent', percent: 200 },
        accrualBase: 'paid',
        rounding: 'nearest_whole',
        expiry: { kind: 'days', days: 365 },
        activation: { kind: 'immediate' },
        payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
      },
      {
        id: 'r-silver',
        cardTypeId: 'silver',
        categoryId: null,
        accrual: { kind: 'percent', percent: 500 },
        accrualBase: 'paid',
        rounding: 'nearest_whole',
        expiry: { kind: 'days', days: 365 },
        activation: { kind: 'immediate' },
        payment: { kind: 'up_to', percent: 5_000, minPoints: 0 },
      },
    ],
    ...overrides,
  };
}

/** Prepares a snapshot or throws: fixtures are expected to be valid. */
export function prepared(snapshot: RulesSnapshotInput): PreparedRules {
  const result = prepareRules(snapshot);
  if (!result.ok) throw new Error(`fixture snapshot is invalid: ${JSON.stringify(result.error.details)}`);
  return result.value;
}

/** A receipt line of whole pieces. */
export function line(productId: string, price: number, pieces = 1, categoryId: string | null = 'food') {
  return { productId, price, quantity: pieces * 1000, categoryId };
}

/** A buyer holding one active lot of `balance` hundredths. */
export function buyerWith(balance: number, overrides: Record<string, unknown> = {}) {
  return {
    id: 'buyer-1',
    cardTypeId: 'standard',
    purchasesCount: 5,
    lots: balance > 0 ? [{ id: 'lot-1', remaining: balance, activatesAt: 0, expiresAt: null }] : [],
    ...overrides,
  };
}
