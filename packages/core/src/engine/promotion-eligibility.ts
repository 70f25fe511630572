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
  if (t.days.length > 0 && !t.days.includes(facts.local.weekday)) return PromotionReason.wrongDay;
  if (prepared.windows.length > 0 && !inWindows(prepared.windows, facts.local.minuteOfDay))
    return PromotionReason.outsideHours;
  if (t.storeIds.length > 0 && !t.storeIds.includes(facts.storeId)) return PromotionReason.storeNotTargeted;
  for (const [key, values] of Object.entries(t.storeAttributes)) {
    const value = facts.storeAttributes[key];
    if (values.length > 0 && (value === undefined || !values.includes(value)))
      return PromotionReason.storeAttributesMismatch;
  }
  const needsBuyer =
    t.requiresCard ||
    t.cardTypeIds.length > 0 ||
    t.segmentIds.length > 0 ||
    t.buyerIds.length > 0 ||
    t.favouriteCategoriesOnly ||
    t.balanceMin !== null ||
    t.balanceMax !== null;
  const buyer = facts.buyer;
  if (needsBuyer && !buyer) return PromotionReason.cardRequired;
  if (buyer) {
    if (t.cardTypeIds.length > 0 && !t.cardTypeIds.includes(buyer.cardTypeId))
      return PromotionReason.cardTypeNotTargeted;
    if (t.segmentIds.length > 0 && !t.segmentIds.some((id) => facts.segmentIds.has(id)))
      return PromotionReason.segmentNotTargeted;
    if (t.buyerIds.length > 0 && !t.buyerIds.includes(buyer.id)) return PromotionReason.buyerNotTargeted;
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
