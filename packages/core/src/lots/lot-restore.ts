// Returns give points back to the lots the redemption took them from, so the restored points keep
// their original activation and expiry. Restores run in undo order (the last lot consumed is the
// first restored); then every partial return fills the same suffix of the consumption list and any
// sequence of partial returns adds up exactly to one full return.
import type { Points } from '#money/money.ts';
import { formatMinor, points } from '#money/money.ts';
import type { Result } from '#shared/result.ts';
import { err, ok } from '#shared/result.ts';
import type { RestoreExceedsConsumedProblem } from './lot-problems.ts';
import { LOT_PROBLEM_CODES } from './lot-problems.ts';
import type { LotMovement } from './points-lot.ts';
import { assertNonNegative, totalMoved } from './points-lot.ts';

function sumByLot(movements: readonly LotMovement[]): Map<string, number> {
  const byLot = new Map<string, number>();
  for (const movement of movements)
    byLot.set(movement.lotId, (byLot.get(movement.lotId) ?? 0) + movement.points);
  return byLot;
}

/**
 * Plans giving `amount` back to the lots in `consumed` (a redemption's list, in consumption order),
 * after the earlier restores in `alreadyRestored`; the result is in restore order.
 */
export function planRestore(
  consumed: readonly LotMovement[],
  amount: Points,
  alreadyRestored: readonly LotMovement[] = [],
): Result<LotMovement[], RestoreExceedsConsumedProblem> {
  assertNonNegative(amount, 'Restore amount');
  const consumedTotal = totalMoved(consumed);
  const restoredTotal = totalMoved(alreadyRestored);
  const consumedByLot = sumByLot(consumed);
  const restoredByLot = sumByLot(alreadyRestored);

  const exceeded = (restorable: number, lotId?: string): ReturnType<typeof planRestore> =>
    err({
      code: LOT_PROBLEM_CODES.restoreExceedsConsumed,
      message:
        lotId === undefined
          ? `Нельзя вернуть ${formatMinor(amount)} баллов: к возврату доступно только ${formatMinor(restorable)}.`
          : `Ранее возвращено больше баллов, чем было списано с партии ${lotId}.`,
      details: {
        consumed: consumedTotal,
        alreadyRestored: restoredTotal,
        requested: amount,
        restorable: points(Math.max(0, restorable)),
        ...(lotId === undefined ? {} : { lotId }),
      },
    });

  // Earlier restores that do not fit the redemption mean the history is inconsistent; refuse
  // rather than guess which lots they went to.
  for (const [lotId, restored] of restoredByLot) {
    if (restored > (consumedByLot.get(lotId) ?? 0)) return exceeded(consumedTotal - restoredTotal, lotId);
  }
  const restorable = consumedTotal - restoredTotal;
  if (amount > restorable) return exceeded(restorable);

  // Walk in undo order; the earlier restores used up each lot's room from the end first.
  const earlierLeft = new Map(restoredByLot);
  const plan: LotMovement[] = [];
  let left: number = amount;
  for (let i = consumed.length - 1; i >= 0 && left > 0; i--) {
    const entry = consumed[i];
    if (entry === undefined) continue;
    const earlier = Math.min(entry.points, earlierLeft.get(entry.lotId) ?? 0);
    earlierLeft.set(entry.lotId, (earlierLeft.get(entry.lotId) ?? 0) - earlier);
    const give = Math.min(entry.points - earlier, left);
    if (give <= 0) continue;
    plan.push({ lotId: entry.lotId, points: points(give) });
    left -= give;
  }
  return ok(plan);
}
