// Money is integer kopecks and points are integer hundredths of a point (1 point = 1 rouble,
// so one hundredth of a point pays exactly one kopeck). Brands keep the two from mixing by accident.

// The brands are zod's, so schemas brand without a runtime transform: values pass through
// untouched, JSON Schema stays exact in both directions, and encoding responses needs no codec.
import type { z } from 'zod';

/** An amount of money in kopecks (integer). */
export type Kopecks = number & z.$brand<'Kopecks'>;
/** An amount of points in hundredths of a point (integer). */
export type Points = number & z.$brand<'Points'>;
/** A share in basis points: 10000 = 100 %, 250 = 2.5 %. */
export type BasisPoints = number;

export const FULL_SHARE: BasisPoints = 10_000;

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/** The one factory for money: rejects fractions, NaN and infinities. */
export function kopecks(value: number): Kopecks {
  assertSafeInteger(value, 'Kopecks');
  return value as Kopecks;
}

/** The one factory for points: rejects fractions, NaN and infinities. */
export function points(value: number): Points {
  assertSafeInteger(value, 'Points');
  return value as Points;
}

export const ZERO_KOPECKS = kopecks(0);
export const ZERO_POINTS = points(0);

/** Points pay money one hundredth to one kopeck. */
export const pointsToKopecks = (value: Points): Kopecks => value as number as Kopecks;
export const kopecksToPoints = (value: Kopecks): Points => value as number as Points;

/** floor(value * numerator / denominator) for non-negative integers, exact while the product is safe. */
export function mulDivFloor(value: number, numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  const product = value * numerator;
  if (Number.isSafeInteger(product)) return Math.floor(product / denominator);
  // Fall back to BigInt for very large products so the result stays exact.
  return Number((BigInt(value) * BigInt(numerator)) / BigInt(denominator));
}

/** Rounds value * numerator / denominator half up (for non-negative inputs). */
export function mulDivRound(value: number, numerator: number, denominator: number): number {
  return mulDivFloor(value * 2, numerator, denominator) - mulDivFloor(value, numerator, denominator);
}

/** The share of an amount in basis points, rounded down to the minor unit. */
export const shareFloor = (amount: number, share: BasisPoints): number =>
  mulDivFloor(amount, share, FULL_SHARE);

/** Formats kopecks as roubles with two decimals, e.g. 19234 -> "192.34". */
export function formatMinor(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Splits `total` over slots proportionally to `weights`, never giving a slot more than its `cap`
 * (caps default to the weights). Every slot gets floor(total * weight / sum); the kopecks left
 * go to the slot with the most room left, then the next, ties to the later slot. Deterministic,
 * and the parts always sum to `total` when total <= sum(caps).
 */
export function allocateProportionally(
  total: number,
  weights: readonly number[],
  caps: readonly number[] = weights,
): number[] {
  const parts = weights.map(() => 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || weightSum <= 0) return parts;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const share = Math.min(mulDivFloor(total, weights[i] ?? 0, weightSum), caps[i] ?? 0);
    parts[i] = share;
    given += share;
  }
  let left = total - given;
  if (left <= 0) return parts;
  // Usually the slot with the most room takes every kopeck left: find it without sorting.
  let best = -1;
  let bestRoom = 0;
  for (let i = 0; i < parts.length; i++) {
    const room = (caps[i] ?? 0) - (parts[i] ?? 0);
    if (room > 0 && room >= bestRoom) {
      best = i;
      bestRoom = room;
    }
  }
  if (best >= 0 && bestRoom >= left) {
    parts[best] = (parts[best] ?? 0) + left;
    return parts;
  }
  const order = parts
    .map((part, i) => ({ i, room: (caps[i] ?? 0) - part }))
    .filter((slot) => slot.room > 0)
    .sort((a, b) => b.room - a.room || b.i - a.i);
  for (const slot of order) {
    if (left <= 0) break;
    const add = Math.min(slot.room, left);
    parts[slot.i] = (parts[slot.i] ?? 0) + add;
    left -= add;
  }
  return parts;
}
