// Whether a promotion may act on this receipt at all (time, store, buyer, coupon, conditions),
// and whether it targets a given line. Each refusal is a reason code for the explanation.
import type { PreparedPromotion, PreparedRules } from '#rules/prepared-rules.ts';
import type { LocalParts, Instant } from '#time/zoned-time.ts';
import type { BuyerState, ReceiptLine } from './calculation-input.schema.ts';
import { PromotionReason } from './reason-codes.ts';

/** The facts about the receipt that receipt-level checks read, computed once. */
export type ReceiptFacts = {
  readonly now: Instant;
  readonly local: LocalParts;
  readonly storeId: string;
  readonly storeAttributes: Readonly<Record<string, string>>;
  readonly buyer: BuyerState | null;
  readonly activeBalance: number;
  readonly receiptAmount: number;
  readonly lines: readonly ReceiptLine[];
  readonly couponSeriesIds: ReadonlySet<string>;
  readonly segmentIds: ReadonlySet<string>;
  readonly favouriteCategoryIds: ReadonlySet<string>;
};

const inWindows = (windows: PreparedPromotion['windows'], minute: number) =>
  windows.some((w) => minute >= w.from && minute < w.to);

function lineMatches(
  rules: PreparedRules,
  line: ReceiptLine,
  productIds: readonly string[],
  categoryIds: readonly string[],
): boolean {
  if (productIds.includes(line.productId)) return true;
  if (line.categoryId === null || categoryIds.length === 0) return false;
  const chain = rules.categoryChain.get(line.categoryId) ?? [line.categoryId];
  return chain.some((id) => categoryIds.includes(id));
}

/** Receipt-level checks; null when the promotion may act. */
export function receiptReason(
  rules: PreparedRules,
  prepared: PreparedPromotion,
  facts: ReceiptFacts,
): PromotionReason | null {
  const { promotion } = prepared;
  const t = promotion.targeting;
  if (promotion.from !== null && facts.now < promotion.from) return PromotionReason.notStarted;
  if (promotion.to !== null && facts.now >= promotion.to) return PromotionReason.ended;
  if (prepared.days.size > 0 && !prepared.days.has(facts.local.weekday)) return PromotionReason.wrongDay;
  if (prepared.windows.length > 0 && !inWindows(prepared.windows, facts.local.minuteOfDay))
    return PromotionReason.outsideHours;
  if (prepared.storeIds.size > 0 && !prepared.storeIds.has(facts.storeId))
    return PromotionReason.storeNotTargeted;
  for (const [key, values] of prepared.storeAttributes) {
    const value = facts.storeAttributes[key];
    if (value === undefined || !values.includes(value)) return PromotionReason.storeAttributesMismatch;
  }
  const buyer = facts.buyer;
  if (prepared.needsBuyer && !buyer) return PromotionReason.cardRequired;
  if (buyer && prepared.needsBuyer) {
    if (prepared.cardTypeIds.size > 0 && !prepared.cardTypeIds.has(buyer.cardTypeId))
      return PromotionReason.cardTypeNotTargeted;
    if (t.segmentIds.length > 0 && !t.segmentIds.some((id) => facts.segmentIds.has(id)))
      return PromotionReason.segmentNotTargeted;
    if (prepared.buyerIds.size > 0 && !prepared.buyerIds.has(buyer.id))
      return PromotionReason.buyerNotTargeted;
    if (
      (t.balanceMin !== null && facts.activeBalance < t.balanceMin) ||
      (t.balanceMax !== null && facts.activeBalance > t.balanceMax)
    )
      return PromotionReason.balanceOutOfRange;
  }
  if (t.couponSeriesId !== null && !facts.couponSeriesIds.has(t.couponSeriesId))
    return PromotionReason.couponRequired;
  const c = promotion.conditions;
  if (c.minReceiptAmount !== null && facts.receiptAmount < c.minReceiptAmount)
    return PromotionReason.receiptBelowMinimum;
  for (const item of c.requiredItems) {
    let quantity = 0;
    for (const line of facts.lines)
      if (lineMatches(rules, line, item.productIds, item.categoryIds)) quantity += line.quantity;
    if (quantity < item.minQuantity) return PromotionReason.requiredItemsMissing;
  }
  return null;
}

/** Whether the promotion targets this line; null when it does, else why not. */
export function lineReason(
  rules: PreparedRules,
  prepared: PreparedPromotion,
  line: ReceiptLine,
  facts: ReceiptFacts,
): PromotionReason | null {
  if (prepared.excludeProductIds.has(line.productId)) return PromotionReason.excludedProduct;
  // Most promotions exclude nothing and ignore favourites: skip the category walk for them.
  if (prepared.excludeCategoryIds.size === 0 && !prepared.promotion.targeting.favouriteCategoriesOnly)
    return null;
  const chain =
    line.categoryId === null ? [] : (rules.categoryChain.get(line.categoryId) ?? [line.categoryId]);
  if (prepared.excludeCategoryIds.size > 0 && chain.some((id) => prepared.excludeCategoryIds.has(id)))
    return PromotionReason.excludedCategory;
  if (
    prepared.promotion.targeting.favouriteCategoriesOnly &&
    !chain.some((id) => facts.favouriteCategoryIds.has(id))
  )
    return PromotionReason.notFavouriteCategory;
  return null;
}

/** Whether the promotion names this line's product or one of its categories (or targets all lines). */
export function targetsLine(rules: PreparedRules, prepared: PreparedPromotion, line: ReceiptLine): boolean {
  if (prepared.targetsAll || prepared.productIds.has(line.productId)) return true;
  if (line.categoryId === null) return false;
  const chain = rules.categoryChain.get(line.categoryId) ?? [line.categoryId];
  return chain.some((id) => prepared.categoryIds.has(id));
}
