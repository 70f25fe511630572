// Which programme rule (card type x category) and which happy hour (C4) govern each line.
import { ruleFor, type PreparedHappyHour, type PreparedRules } from '#rules/prepared-rules.ts';
import type { Accrual, Rule } from '#rules/snapshot.schema.ts';
import type { Instant, LocalParts } from '#time/zoned-time.ts';
import type { ReceiptLine } from './calculation-input.schema.ts';

/** The rule of a line with any happy-hour override folded in. */
export type LineRule = {
  readonly rule: Rule;
  readonly accrual: Accrual;
  readonly discountPercent: number;
  readonly happyHourId: string | null;
};

function happyHourApplies(
  rules: PreparedRules,
  prepared: PreparedHappyHour,
  line: ReceiptLine,
  cardTypeId: string,
  storeId: string,
  now: Instant,
  local: LocalParts,
): boolean {
  const h = prepared.happyHour;
  if (h.from !== null && now < h.from) return false;
  if (h.to !== null && now >= h.to) return false;
  if (!h.days.includes(local.weekday)) return false;
  if (!prepared.windows.some((w) => local.minuteOfDay >= w.from && local.minuteOfDay < w.to)) return false;
  if (h.cardTypeIds.length > 0 && !h.cardTypeIds.includes(cardTypeId)) return false;
  if (h.storeIds.length > 0 && !h.storeIds.includes(storeId)) return false;
  if (h.categoryIds.length > 0) {
    if (line.categoryId === null) return false;
    const chain = rules.categoryChain.get(line.categoryId) ?? [line.categoryId];
    if (!chain.some((id) => h.categoryIds.includes(id))) return false;
  }
  return true;
}

/**
 * The rule for each line. Happy hours are checked in snapshot order; the first that matches
 * overrides accrual and/or discount, so overlapping happy hours never combine unpredictably.
 */
export function resolveLineRules(
  rules: PreparedRules,
  lines: readonly ReceiptLine[],
  cardTypeId: string,
  storeId: string,
  now: Instant,
  local: LocalParts,
): Array<LineRule | null> {
  return lines.map((line) => {
    const rule = ruleFor(rules, cardTypeId, line.categoryId);
    if (!rule) return null;
    const happy = rules.happyHours.find((h) =>
      happyHourApplies(rules, h, line, cardTypeId, storeId, now, local),
    );
    return {
      rule,
      accrual: happy?.happyHour.accrual ?? rule.accrual,
      discountPercent: happy?.happyHour.discountPercent ?? rule.discountPercent,
      happyHourId: happy?.happyHour.id ?? null,
    };
  });
}
