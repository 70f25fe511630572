// A7 returns: a full or partial return gives back money and the points paid, and takes back the
// points accrued, in proportion to what is returned. Every figure is cut by the telescoping rule
// (telescoping-share.ts), so partial returns in any number and order add up to the receipt exactly.
import { kopecks, points } from '#money/money.ts';
import { ok } from '#shared/result.ts';
import type { Result } from '#shared/result.ts';
import type { InvalidReturnProblem } from './return-problems.ts';
import type {
  ReceiptAccrual,
  ReturnBasis,
  ReturnBasisLine,
  ReturnCalculation,
  ReturnedLine,
  ReturnRequest,
  ReturnTotals,
} from './return.types.ts';
import { validateHistory, validateReturn } from './return-validation.ts';
import { telescopingShare, telescopingStep } from './telescoping-share.ts';

function basisLine(basis: ReturnBasis, index: number): ReturnBasisLine {
  const line = basis.lines[index];
  // Validation has already refused unknown lines; reaching this is a bug.
  if (line === undefined) throw new RangeError(`no receipt line ${index}`);
  return line;
}

/**
 * The value of the first `returned` thousandths of a line. It is the sum of the points and money
 * shares rather than a share of `amount` itself, so each return's amount is exactly its refund
 * plus its restored points; at the full quantity it is pointsPaid + paidMoney, which the
 * validated basis guarantees to be the line amount.
 */
function returnedValue(line: ReturnBasisLine, returned: number): number {
  return (
    telescopingShare(line.paidMoney, returned, line.quantity) +
    telescopingShare(line.pointsPaid, returned, line.quantity)
  );
}

function returnedLine(line: ReturnBasisLine, index: number, before: number, quantity: number): ReturnedLine {
  const after = before + quantity;
  const refundMoney = telescopingStep(line.paidMoney, before, after, line.quantity);
  const pointsRestored = telescopingStep(line.pointsPaid, before, after, line.quantity);
  return {
    index,
    quantity,
    refundMoney: kopecks(refundMoney),
    pointsRestored: points(pointsRestored),
    accrualReversed: points(telescopingStep(line.accrual, before, after, line.quantity)),
    amount: kopecks(refundMoney + pointsRestored),
  };
}

/**
 * Receipt-level accruals follow the share of the receipt's value returned so far, measured in
 * kopecks before and after this return. A receipt worth nothing has no fraction to follow, so its
 * accruals go back only with the last item.
 */
function reverseReceiptAccruals(
  basis: ReturnBasis,
  returnedBefore: readonly number[],
  returnedAfter: readonly number[],
): ReceiptAccrual[] {
  const total = basis.lines.reduce((sum, line) => sum + line.amount, 0);
  const valueAt = (returned: readonly number[]): number =>
    basis.lines.reduce((sum, line, i) => sum + returnedValue(line, returned[i] ?? 0), 0);
  const isFull = (returned: readonly number[]): boolean =>
    basis.lines.every((line, i) => returned[i] === line.quantity);
  const progress =
    total > 0
      ? { before: valueAt(returnedBefore), after: valueAt(returnedAfter), whole: total }
      : { before: isFull(returnedBefore) ? 1 : 0, after: isFull(returnedAfter) ? 1 : 0, whole: 1 };
  const reversed: ReceiptAccrual[] = [];
  for (const accrual of basis.receiptAccruals) {
    const taken = telescopingStep(accrual.points, progress.before, progress.after, progress.whole);
    if (taken > 0) reversed.push({ key: accrual.key, points: points(taken) });
  }
  return reversed;
}

/** Quantity of each receipt line still open for return, in thousandths, after the earlier returns. */
export function remainingQuantities(
  basis: ReturnBasis,
  previousReturns: readonly ReturnRequest[],
): Result<number[], InvalidReturnProblem> {
  const checked = validateHistory(basis, previousReturns);
  if (!checked.ok) return checked;
  const { basis: receipt, returnedBefore } = checked.value;
  return ok(receipt.lines.map((line, i) => line.quantity - (returnedBefore[i] ?? 0)));
}

/** Computes what a return of a committed receipt gives back and takes back, after the returns already booked. */
export function calculateReturn(
  basis: ReturnBasis,
  previousReturns: readonly ReturnRequest[],
  request: ReturnRequest,
): Result<ReturnCalculation, InvalidReturnProblem> {
  const checked = validateReturn(basis, previousReturns, request);
  if (!checked.ok) return checked;
  const { basis: receipt, returnedBefore, request: asked } = checked.value;

  // Receipt order, so the answer does not depend on the order the cashier picked the lines in.
  const requested = [...asked.lines].sort((a, b) => a.index - b.index);
  const returnedAfter = [...returnedBefore];
  const lines = requested.map(({ index, quantity }) => {
    const before = returnedBefore[index] ?? 0;
    returnedAfter[index] = before + quantity;
    return returnedLine(basisLine(receipt, index), index, before, quantity);
  });

  const sum = (pick: (line: ReturnedLine) => number): number =>
    lines.reduce((acc, line) => acc + pick(line), 0);
  const totals: ReturnTotals = {
    refundMoney: kopecks(sum((line) => line.refundMoney)),
    pointsRestored: points(sum((line) => line.pointsRestored)),
    accrualReversed: points(sum((line) => line.accrualReversed)),
    amount: kopecks(sum((line) => line.amount)),
  };

  return ok({
    lines,
    receiptAccrualsReversed: reverseReceiptAccruals(receipt, returnedBefore, returnedAfter),
    totals,
    fullyReturned: receipt.lines.every((line, i) => returnedAfter[i] === line.quantity),
  });
}
