import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kopecks, points } from '#money/money.ts';
import { calculateReturn, remainingQuantities } from './return-calculation.ts';
import type { ReturnBasis, ReturnBasisLine, ReturnCalculation, ReturnRequest } from './return.types.ts';

// Mostly till-sized figures, sometimes huge ones so the exact BigInt path of mulDivFloor runs too.
const figureArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 100_000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 5_000_000_000_000 }), weight: 1 },
);
const quantityArb = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((pieces) => pieces * 1000),
  fc.integer({ min: 1, max: 20_000 }),
  // Below the schema's 10^9 cap, so an over-return by a few units is still a well-formed request.
  fc.integer({ min: 1, max: 999_000_000 }),
);

const lineArb: fc.Arbitrary<ReturnBasisLine> = fc
  .record({ quantity: quantityArb, pointsPaid: figureArb, paidMoney: figureArb, accrual: figureArb })
  .map((line) => ({
    quantity: line.quantity,
    amount: kopecks(line.pointsPaid + line.paidMoney),
    pointsPaid: points(line.pointsPaid),
    paidMoney: kopecks(line.paidMoney),
    accrual: points(line.accrual),
  }));

const basisArb: fc.Arbitrary<ReturnBasis> = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
  receiptAccruals: fc.uniqueArray(
    fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }), points: figureArb.map(points) }),
    { selector: (accrual) => accrual.key, maxLength: 4 },
  ),
});

/** Cuts a line's quantity into pieces and gives each piece a step of the return sequence. */
function piecesArb(quantity: number): fc.Arbitrary<Array<{ quantity: number; step: number }>> {
  const cutsArb =
    quantity > 1
      ? fc.uniqueArray(fc.integer({ min: 1, max: quantity - 1 }), { maxLength: Math.min(4, quantity - 1) })
      : fc.constant<number[]>([]);
  return cutsArb.chain((cuts) => {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), quantity];
    const sizes = bounds.slice(1).map((bound, i) => bound - (bounds[i] ?? 0));
    return fc
      .array(fc.nat({ max: 5 }), { minLength: sizes.length, maxLength: sizes.length })
      .map((steps) => sizes.map((size, i) => ({ quantity: size, step: steps[i] ?? 0 })));
  });
}

/** A random sequence of partial returns that together return every line in full. */
function sequenceArb(basis: ReturnBasis): fc.Arbitrary<ReturnRequest[]> {
  return fc.tuple(...basis.lines.map((line) => piecesArb(line.quantity))).map((perLine) => {
    const steps = new Map<number, Map<number, number>>();
    perLine.forEach((pieces, index) => {
      for (const piece of pieces) {
        const step = steps.get(piece.step) ?? new Map<number, number>();
        // Pieces of one line in one step merge: a request may name a line only once.
        step.set(index, (step.get(index) ?? 0) + piece.quantity);
        steps.set(piece.step, step);
      }
    });
    return [...steps.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, lines]) => ({
        lines: [...lines.entries()].map(([index, quantity]) => ({ index, quantity })),
      }));
  });
}

const scenarioArb = basisArb.chain((basis) => fc.tuple(fc.constant(basis), sequenceArb(basis)));

function calculated(
  basis: ReturnBasis,
  previous: readonly ReturnRequest[],
  request: ReturnRequest,
): ReturnCalculation {
  const result = calculateReturn(basis, previous, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('calculateReturn properties', () => {
  it('partial returns ending in a full return add up to the receipt exactly, never more on the way', () => {
    fc.assert(
      fc.property(scenarioArb, ([basis, sequence]) => {
        const given = basis.lines.map(() => ({
          refundMoney: 0,
          pointsRestored: 0,
          accrualReversed: 0,
          amount: 0,
        }));
        const reversed = new Map<string, number>();
        for (const [step, request] of sequence.entries()) {
          const previous = sequence.slice(0, step);
          const remaining = remainingQuantities(basis, previous);
          if (!remaining.ok) throw new Error(remaining.error.message);
          const result = calculated(basis, previous, request);

          for (const returned of result.lines) {
            const sold = basis.lines[returned.index];
            const sum = given[returned.index];
            if (sold === undefined || sum === undefined) throw new Error('unknown line in the answer');
            expect(returned.quantity).toBeLessThanOrEqual(remaining.value[returned.index] ?? 0);
            expect(returned.refundMoney + returned.pointsRestored).toBe(returned.amount);
            for (const figure of ['refundMoney', 'pointsRestored', 'accrualReversed', 'amount'] as const) {
              expect(returned[figure]).toBeGreaterThanOrEqual(0);
              sum[figure] += returned[figure];
            }
            expect(sum.refundMoney).toBeLessThanOrEqual(sold.paidMoney);
            expect(sum.pointsRestored).toBeLessThanOrEqual(sold.pointsPaid);
            expect(sum.accrualReversed).toBeLessThanOrEqual(sold.accrual);
            expect(sum.amount).toBeLessThanOrEqual(sold.amount);
          }
          expect(result.totals.refundMoney + result.totals.pointsRestored).toBe(result.totals.amount);

          for (const accrual of result.receiptAccrualsReversed) {
            expect(accrual.points).toBeGreaterThan(0);
            reversed.set(accrual.key, (reversed.get(accrual.key) ?? 0) + accrual.points);
          }
          for (const accrual of basis.receiptAccruals) {
            expect(reversed.get(accrual.key) ?? 0).toBeLessThanOrEqual(accrual.points);
          }
          expect(result.fullyReturned).toBe(step === sequence.length - 1);
        }

        expect(given).toEqual(
          basis.lines.map((line) => ({
            refundMoney: line.paidMoney,
            pointsRestored: line.pointsPaid,
            accrualReversed: line.accrual,
            amount: line.amount,
          })),
        );
        for (const accrual of basis.receiptAccruals) {
          expect(reversed.get(accrual.key) ?? 0).toBe(accrual.points);
        }
        expect(remainingQuantities(basis, sequence)).toEqual({ ok: true, value: basis.lines.map(() => 0) });
      }),
    );
  });

  it('refuses any return of more than remains, naming the remaining quantity', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 5000 }),
        ([basis, sequence], s, l, extra) => {
          const previous = sequence.slice(0, s % (sequence.length + 1));
          const index = l % basis.lines.length;
          const remaining = remainingQuantities(basis, previous);
          if (!remaining.ok) throw new Error(remaining.error.message);
          const left = remaining.value[index] ?? 0;
          const result = calculateReturn(basis, previous, { lines: [{ index, quantity: left + extra }] });
          expect(result).toMatchObject({
            ok: false,
            error: {
              code: 'invalid_return',
              details: {
                issues: [
                  {
                    code: 'quantity_exceeds_remaining',
                    details: { index, requested: left + extra, remaining: left },
                  },
                ],
              },
            },
          });
        },
      ),
    );
  });

  it('answers the same whatever the order of lines in the request or of the earlier returns', () => {
    const caseArb = scenarioArb
      .filter(([, sequence]) => sequence.length > 0)
      .chain(([basis, sequence]) =>
        fc.nat({ max: sequence.length - 1 }).chain((step) => {
          const request = sequence[step] ?? { lines: [] };
          const previous = sequence.slice(0, step);
          return fc.tuple(
            fc.constant({ basis, previous, request }),
            fc.shuffledSubarray([...request.lines], { minLength: request.lines.length }),
            fc.shuffledSubarray(previous, { minLength: previous.length }),
          );
        }),
      );
    fc.assert(
      fc.property(caseArb, ([{ basis, previous, request }, shuffledLines, shuffledPrevious]) => {
        const expected = calculated(basis, previous, request);
        expect(calculated(basis, previous, { lines: shuffledLines })).toEqual(expected);
        expect(calculated(basis, shuffledPrevious, request)).toEqual(expected);
      }),
    );
  });
});
