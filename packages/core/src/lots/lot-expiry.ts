// The expiry job writes one entry per lot that has run out of time with points still in it.
import { points } from '#money/money.ts';
import type { Instant } from '#time/zoned-time.ts';
import type { LotMovement, PointsLot } from './points-lot.ts';
import { assertUniqueLotIds } from './points-lot.ts';

/** The points to write off at `now`: every lot with points left whose expiry is at or before `now`. */
export function expireLots(lots: readonly PointsLot[], now: Instant): LotMovement[] {
  assertUniqueLotIds(lots);
  const due: Array<PointsLot & { readonly expiresAt: Instant }> = [];
  for (const lot of lots) {
    if (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now)
      due.push({ ...lot, expiresAt: lot.expiresAt });
  }
  // Sorted so the ledger entries come out in the same order on every run and every machine.
  due.sort((a, b) => a.expiresAt - b.expiresAt || (a.id === b.id ? 0 : a.id < b.id ? -1 : 1));
  return due.map((lot) => ({ lotId: lot.id, points: points(lot.remaining) }));
}
