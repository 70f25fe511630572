// Applying a plan to lots, for tests and simulations; the server applies plans in SQL instead.
// A movement that does not fit the lots is a bug in whoever built the plan, so it throws.
import { points } from '#money/money.ts';
import type { LotMovement, PointsLot } from './points-lot.ts';
import { assertUniqueLotIds } from './points-lot.ts';

function applyDeltas(
  lots: readonly PointsLot[],
  movements: readonly LotMovement[],
  sign: 1 | -1,
): PointsLot[] {
  assertUniqueLotIds(lots);
  const delta = new Map<string, number>();
  for (const movement of movements) {
    if (movement.points < 0) throw new RangeError(`Movement for lot ${movement.lotId} is negative`);
    delta.set(movement.lotId, (delta.get(movement.lotId) ?? 0) + sign * movement.points);
  }
  const known = new Set(lots.map((lot) => lot.id));
  for (const lotId of delta.keys()) {
    if (!known.has(lotId)) throw new RangeError(`Movement for unknown lot ${lotId}`);
  }
  return lots.map((lot) => {
    const change = delta.get(lot.id) ?? 0;
    if (change === 0) return lot;
    const remaining = lot.remaining + change;
    if (remaining < 0) throw new RangeError(`Lot ${lot.id} would go below zero (${remaining})`);
    return { ...lot, remaining: points(remaining) };
  });
}

/** New lots with `consumed` (a redemption or expiry plan) taken out; throws if a lot would go negative. */
export function applyConsumption(lots: readonly PointsLot[], consumed: readonly LotMovement[]): PointsLot[] {
  return applyDeltas(lots, consumed, -1);
}

/** New lots with `restored` (a restore plan) given back to them. */
export function applyRestore(lots: readonly PointsLot[], restored: readonly LotMovement[]): PointsLot[] {
  return applyDeltas(lots, restored, 1);
}
