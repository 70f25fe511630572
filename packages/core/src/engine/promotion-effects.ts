// The discount each kind of promotion wants on its lines, before the minimum price and limits cut it.
import { allocateProportionally, mulDivFloor, mulDivRound, shareFloor } from '#money/money.ts';
import { assertNever } from '#shared/result.ts';
import type { PromotionEffect } from '#rules/snapshot.schema.ts';
import { PromotionReason } from './reason-codes.ts';

/** A line as a promotion sees it: the base it computes on and the quantity in thousandths. */
export type EffectLine = { readonly base: number; readonly quantity: number; readonly index: number };

/** Desired discount per line (same order as the input), or why the effect gives nothing. */
export type EffectOutcome = { readonly discounts: number[] } | { readonly reason: PromotionReason };

/**
 * Units of the promotion's lines, as runs of equal unit amounts, dearest first (ties: earlier line).
 * A line of whole pieces splits its base evenly (to the kopeck); a weighed line is a single unit.
 */
type UnitRun = {
  readonly slot: number;
  readonly amount: number;
  readonly count: number;
  readonly line: number;
};

function unitRuns(lines: readonly EffectLine[]): UnitRun[] {
  const runs: UnitRun[] = [];
  lines.forEach((line, slot) => {
    const whole = line.quantity % 1000 === 0;
    const units = whole ? line.quantity / 1000 : 1;
    const low = Math.floor(line.base / units);
    const high = line.base - low * units; // this many units cost one kopeck more
    if (high > 0) runs.push({ slot, amount: low + 1, count: high, line: line.index });
    if (units - high > 0) runs.push({ slot, amount: low, count: units - high, line: line.index });
  });
  return runs.sort((a, b) => b.amount - a.amount || a.line - b.line);
}

/** Ladder: the k-th unit (dearest first) gets steps[k], the last step repeating. */
function ladder(lines: readonly EffectLine[], steps: readonly number[]): EffectOutcome {
  const discounts = lines.map(() => 0);
  let position = 0;
  const lastStep = steps[steps.length - 1] ?? 0;
  for (const run of unitRuns(lines)) {
    let left = run.count;
    // Positions inside the step list are priced one by one; past it every unit gets the last step.
    while (left > 0 && position < steps.length - 1) {
      discounts[run.slot] = (discounts[run.slot] ?? 0) + shareFloor(run.amount, steps[position] ?? 0);
      position++;
      left--;
    }
    if (left > 0) {
      discounts[run.slot] = (discounts[run.slot] ?? 0) + shareFloor(run.amount, lastStep) * left;
      position += left;
    }
  }
  return discounts.some((d) => d > 0) ? { discounts } : { reason: PromotionReason.notEnoughItems };
}

/** Buy X get Y: in each full group of buy + get units (dearest first) the last `get` are discounted. */
function buyXGetY(lines: readonly EffectLine[], buy: number, get: number, percent: number): EffectOutcome {
  const group = buy + get;
  const runs = unitRuns(lines);
  const totalUnits = runs.reduce((sum, run) => sum + run.count, 0);
  const end = Math.floor(totalUnits / group) * group;
  if (end === 0) return { reason: PromotionReason.notEnoughItems };
  // Discounted positions in [0, x): whole groups give `get` each, a partial group what passed `buy`.
  const discountedBefore = (x: number) => {
    const bounded = Math.min(x, end);
    return Math.floor(bounded / group) * get + Math.max(0, (bounded % group) - buy);
  };
  const discounts = lines.map(() => 0);
  let position = 0;
  for (const run of runs) {
    const count = discountedBefore(position + run.count) - discountedBefore(position);
    discounts[run.slot] = (discounts[run.slot] ?? 0) + shareFloor(run.amount, percent) * count;
    position += run.count;
  }
  return { discounts };
}

/** The discount an effect asks for on the given lines. Non-discount effects ask for nothing. */
export function effectDiscounts(effect: PromotionEffect, lines: readonly EffectLine[]): EffectOutcome {
  switch (effect.kind) {
    case 'discount_percent':
      return { discounts: lines.map((l) => shareFloor(l.base, effect.percent)) };
    case 'discount_amount': {
      if (effect.per === 'unit')
        return {
          discounts: lines.map((l) => Math.min(l.base, mulDivFloor(effect.amount, l.quantity, 1000))),
        };
      const bases = lines.map((l) => l.base);
      const total = Math.min(
        effect.amount,
        bases.reduce((a, b) => a + b, 0),
      );
      return { discounts: allocateProportionally(total, bases) };
    }
    case 'fixed_price':
      return {
        discounts: lines.map((l) => Math.max(0, l.base - mulDivRound(effect.price, l.quantity, 1000))),
      };
    case 'threshold_discount': {
      const sum = lines.reduce((a, l) => a + l.base, 0);
      let percent = -1;
      for (const tier of effect.tiers)
        if (tier.fromAmount <= sum && tier.percent > percent) percent = tier.percent;
      if (percent < 0) return { reason: PromotionReason.thresholdNotReached };
      return { discounts: lines.map((l) => shareFloor(l.base, percent)) };
    }
    case 'ladder':
      return ladder(lines, effect.steps);
    case 'buy_x_get_y':
      return buyXGetY(lines, effect.buy, effect.get, effect.percent);
    case 'gift_line':
    case 'points_percent':
    case 'gift_points':
    case 'flags_only':
      return { discounts: lines.map(() => 0) };
    default:
      return assertNever(effect);
  }
}

/** True for effects that change prices (and so compete for lines and respect minimum prices). */
export function isDiscountEffect(effect: PromotionEffect): boolean {
  switch (effect.kind) {
    case 'discount_percent':
    case 'discount_amount':
    case 'fixed_price':
    case 'threshold_discount':
    case 'ladder':
    case 'buy_x_get_y':
      return true;
    case 'gift_line':
    case 'points_percent':
    case 'gift_points':
    case 'flags_only':
      return false;
    default:
      return assertNever(effect);
  }
}
