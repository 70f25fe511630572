// Stacking, decided before any price changes (C5):
// 1. candidates come from the index (product, categories up the tree, promotions for all lines);
// 2. receipt-level and line-level checks drop what cannot act, with a reason per line;
// 3. in each exclusivity group only the best for the buyer stays (ties: priority, then id);
// 4. on each line at most one non-stackable promotion stays: highest priority, then best for the
//    buyer on that line, then id. Input order never matters: everything sorts by (priority, id).
import { allocateProportionally } from '#money/money.ts';
import type { PreparedPromotion, PreparedRules } from '#rules/prepared-rules.ts';
import { percentPoints } from './accrual-math.ts';
import type { ReceiptLine } from './calculation-input.schema.ts';
import type { ConsideredPromotion } from './calculation-result.ts';
import { lineReason, receiptReason, type ReceiptFacts } from './promotion-eligibility.ts';
import { effectDiscounts, isDiscountEffect } from './promotion-effects.ts';
import { PromotionReason } from './reason-codes.ts';

/** A promotion that survived selection, with the receipt lines it acts on. */
export type SelectedPromotion = { readonly prepared: PreparedPromotion; readonly lines: number[] };

/** The selection plus every refusal, per line and per promotion. */
export type Selection = {
  readonly selected: SelectedPromotion[];
  readonly considered: ConsideredPromotion[][];
  /** Promotions that were candidates but act on no line, with the reason. */
  /** By promotion order (PreparedPromotion.order): why a candidate acts on no line. */
  readonly refused: Array<PromotionReason | undefined>;
};

/** What a line offers a promotion when judging benefit: its original amount and its floor. */
export type LineFrame = { readonly amount: number; readonly floor: number };

const isPointsEffect = (p: PreparedPromotion) =>
  p.promotion.effect.kind === 'points_percent' || p.promotion.effect.kind === 'gift_points';

/** Candidates in (priority, id) order: a slot per promotion, holding the lines it targets. */
function candidatesFor(
  rules: PreparedRules,
  lines: readonly ReceiptLine[],
): Array<[PreparedPromotion, number[]]> {
  // Preallocated and filled: random writes into an empty array would turn it into a slow dictionary.
  const slots = new Array<number[] | undefined>(rules.promotions.length).fill(undefined);
  const add = (prepared: PreparedPromotion, index: number) => {
    const list = slots[prepared.order];
    if (!list) slots[prepared.order] = [index];
    else if (list[list.length - 1] !== index) list.push(index);
  };
  lines.forEach((line, index) => {
    for (const p of rules.promotionsByProduct.get(line.productId) ?? []) add(p, index);
    if (line.categoryId !== null) {
      for (const categoryId of rules.categoryChain.get(line.categoryId) ?? [line.categoryId])
        for (const p of rules.promotionsByCategory.get(categoryId) ?? []) add(p, index);
    }
    for (const p of rules.promotionsForAll) add(p, index);
  });
  const candidates: Array<[PreparedPromotion, number[]]> = [];
  slots.forEach((indices, order) => {
    const prepared = rules.promotions[order];
    if (indices && prepared) candidates.push([prepared, indices]);
  });
  return candidates;
}

/** Benefit to the buyer of one promotion alone, per line of `lines` (money off plus points). */
export function isolatedBenefit(
  prepared: PreparedPromotion,
  lines: readonly number[],
  frames: readonly LineFrame[],
  receiptLines: readonly ReceiptLine[],
) {
  const { effect, limits } = prepared.promotion;
  // The promotion's own per-receipt limits cut its benefit as they will cut what it gives.
  const capped = (values: number[], limit: number | null) =>
    limit !== null && values.reduce((a, b) => a + b, 0) > limit
      ? allocateProportionally(limit, values)
      : values;
  if (effect.kind === 'points_percent')
    return capped(
      lines.map((i) => percentPoints(frames[i]?.amount ?? 0, effect.percent, 'hundredth')),
      limits.maxAccrual,
    );
  if (effect.kind === 'gift_points')
    return lines.map((_, k) => (k === 0 ? Math.min(effect.points, limits.maxAccrual ?? effect.points) : 0));
  const outcome = effectDiscounts(
    effect,
    // The real quantity: fixed prices, per-unit amounts, ladders and buy X get Y count units.
    lines.map((i) => ({ base: frames[i]?.amount ?? 0, quantity: receiptLines[i]?.quantity ?? 0, index: i })),
  );
  if ('reason' in outcome) return lines.map(() => 0);
  return capped(
    outcome.discounts.map((d, k) => {
      const frame = frames[lines[k] ?? 0];
      return frame ? Math.min(d, frame.amount - frame.floor) : 0;
    }),
    limits.maxDiscount,
  );
}

/** Picks which promotions act on which lines; see the file comment for the order of decisions. */
export function selectPromotions(
  rules: PreparedRules,
  facts: ReceiptFacts,
  frames: readonly LineFrame[],
  hasPoints: boolean,
): Selection {
  const lines = facts.lines;
  const considered: ConsideredPromotion[][] = lines.map(() => []);
  // Indexed by promotion order: a Map keyed by id cost more than the checks it records.
  const refused = new Array<PromotionReason | undefined>(rules.promotions.length).fill(undefined);
  const refuseLine = (p: PreparedPromotion, index: number, reason: PromotionReason) => {
    considered[index]?.push({ promotionId: p.promotion.id, reason });
    refused[p.order] ??= reason;
  };
  const refuse = (p: PreparedPromotion, indices: readonly number[], reason: PromotionReason) => {
    // One shared entry per refusal: a promotion for all lines would otherwise allocate per line.
    const entry = { promotionId: p.promotion.id, reason };
    for (const i of indices) considered[i]?.push(entry);
    refused[p.order] ??= reason;
  };

  const candidates = candidatesFor(rules, lines);
  let eligible: SelectedPromotion[] = [];
  for (const [prepared, indices] of candidates) {
    let reason = receiptReason(rules, prepared, facts);
    if (reason === null && isPointsEffect(prepared)) {
      if (!hasPoints) reason = PromotionReason.programmeHasNoPoints;
      else if (!facts.buyer) reason = PromotionReason.cardRequired;
    }
    if (reason !== null) {
      refuse(prepared, indices, reason);
      continue;
    }
    const discounting = isDiscountEffect(prepared.promotion.effect);
    const kept: number[] = [];
    for (const i of indices) {
      const line = lines[i];
      if (!line) continue;
      let lineWhy = lineReason(rules, prepared, line, facts);
      if (lineWhy === null && discounting && line.noDiscount) lineWhy = PromotionReason.lineNoDiscount;
      if (lineWhy === null && prepared.promotion.effect.kind === 'points_percent' && line.noAccrual)
        lineWhy = PromotionReason.lineNoAccrual;
      if (lineWhy === null) kept.push(i);
      else refuse(prepared, [i], lineWhy);
    }
    if (kept.length > 0) eligible.push({ prepared, lines: kept });
    else refused[prepared.order] ??= PromotionReason.excludedProduct;
  }

  // Exclusivity groups: the best total for the buyer wins; ties go to the earlier (priority, id).
  const groups = new Map<string, Array<{ entry: SelectedPromotion; benefit: number }>>();
  for (const entry of eligible) {
    const group = entry.prepared.promotion.stacking.exclusivityGroup;
    if (group === null) continue;
    const benefit = isolatedBenefit(entry.prepared, entry.lines, frames, lines).reduce((a, b) => a + b, 0);
    const members = groups.get(group);
    if (members) members.push({ entry, benefit });
    else groups.set(group, [{ entry, benefit }]);
  }
  const losers = new Set<SelectedPromotion>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const winner = members.reduce((best, m) =>
      m.benefit > best.benefit ||
      (m.benefit === best.benefit && m.entry.prepared.order < best.entry.prepared.order)
        ? m
        : best,
    );
    for (const m of members)
      if (m !== winner) {
        losers.add(m.entry);
        refuse(m.entry.prepared, m.entry.lines, PromotionReason.exclusivityGroupLost);
        // The group is why it does nothing, even if an earlier line refusal was recorded first.
        refused[m.entry.prepared.order] = PromotionReason.exclusivityGroupLost;
      }
  }
  eligible = eligible.filter((e) => !losers.has(e));

  // At most one non-stackable promotion per line.
  const nonStackable = eligible.filter((e) => !e.prepared.promotion.stacking.stackable);
  if (nonStackable.length > 1) {
    // Benefits are only needed when two non-stackable promotions of equal priority meet on a line.
    const benefits = new Map<SelectedPromotion, number[]>();
    // Benefit of e on line i: values align with e.lines, which are ascending, so search.
    const benefitOn = (e: SelectedPromotion, i: number) => {
      let values = benefits.get(e);
      if (!values) benefits.set(e, (values = isolatedBenefit(e.prepared, e.lines, frames, lines)));
      let lo = 0;
      let hi = e.lines.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = e.lines[mid] ?? 0;
        if (at === i) return values[mid] ?? 0;
        if (at < i) lo = mid + 1;
        else hi = mid - 1;
      }
      return 0;
    };
    // Contenders per line arrive in (priority desc, id asc) order, so only the leading run of
    // equal priority needs a benefit comparison; everyone after it loses the line outright.
    const contendersByLine: SelectedPromotion[][] = lines.map(() => []);
    for (const e of nonStackable) for (const i of e.lines) contendersByLine[i]?.push(e);
    const winnerByLine: Array<SelectedPromotion | undefined> = lines.map(() => undefined);
    contendersByLine.forEach((contenders, i) => {
      const first = contenders[0];
      if (!first) return;
      let winner = first;
      if (contenders.length > 1) {
        const priority = first.prepared.promotion.priority;
        let best = -1;
        for (const e of contenders) {
          if (e.prepared.promotion.priority !== priority) break;
          const benefit = benefitOn(e, i);
          if (benefit > best) {
            best = benefit;
            winner = e;
          }
        }
        for (const e of contenders)
          if (e !== winner) refuseLine(e.prepared, i, PromotionReason.nonStackableConflict);
      }
      winnerByLine[i] = winner;
    });
    eligible = eligible
      .map((e) =>
        e.prepared.promotion.stacking.stackable
          ? e
          : { prepared: e.prepared, lines: e.lines.filter((i) => winnerByLine[i] === e) },
      )
      .filter((e) => {
        // Lost every line it could act on: the conflict is why it does nothing.
        if (e.lines.length === 0) refused[e.prepared.order] = PromotionReason.nonStackableConflict;
        return e.lines.length > 0;
      });
  }

  for (const e of eligible) refused[e.prepared.order] = undefined;
  return { selected: eligible, considered, refused };
}
