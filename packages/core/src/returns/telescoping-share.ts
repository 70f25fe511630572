// Proportional shares that telescope: each return takes share(after) - share(before), so any
// sequence of partial returns sums to the whole figure exactly and never goes past it.
import { mulDivFloor } from '#money/money.ts';

/** The part of `figure` belonging to `part` of `whole`: floor(figure * part / whole), and exactly `figure` at the whole. */
export function telescopingShare(figure: number, part: number, whole: number): number {
  if (!(part >= 0 && part <= whole && whole > 0)) {
    throw new RangeError(`share of ${part} out of ${whole} is outside the whole`);
  }
  // floor(figure * whole / whole) is figure anyway; stated outright because share(whole) = figure
  // is the fact every sum of returns rests on.
  if (part === whole) return figure;
  return mulDivFloor(figure, part, whole);
}

/** What moving from `before` to `after` of `whole` gives of `figure`: share(after) - share(before), never negative. */
export function telescopingStep(figure: number, before: number, after: number, whole: number): number {
  if (after < before) throw new RangeError(`a step cannot go back from ${before} to ${after}`);
  return telescopingShare(figure, after, whole) - telescopingShare(figure, before, whole);
}
