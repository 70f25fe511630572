// A validated snapshot with the indexes the engine needs. Preparing is done once per snapshot
// version (on sync or on a settings change), so calculate() stays fast per receipt.
import { err, ok, type Problem, type Result } from '#shared/result.ts';
import { invalidInput, parseInput, type InputIssue } from '#shared/validation.ts';
import { isValidTimeZone, parseClock } from '#time/zoned-time.ts';
import type { LotTerms } from './schema-primitives.ts';
import {
  rulesSnapshotSchema,
  type CardType,
  type CouponSeries,
  type HappyHour,
  type Promotion,
  type Rule,
  type RulesSnapshot,
} from './snapshot.schema.ts';

/** A promotion with lookup sets built once. */
export type PreparedPromotion = {
  readonly promotion: Promotion;
  /** Position in the deterministic order: priority desc, then id asc. */
  readonly order: number;
  readonly productIds: ReadonlySet<string>;
  readonly categoryIds: ReadonlySet<string>;
  readonly excludeProductIds: ReadonlySet<string>;
  readonly excludeCategoryIds: ReadonlySet<string>;
  /** True when the promotion names no products or categories: it targets every line. */
  readonly targetsAll: boolean;
  readonly windows: ReadonlyArray<{ from: number; to: number }>;
  /** Targeting lists as sets and flags, so per-receipt checks do no allocation. */
  readonly storeIds: ReadonlySet<string>;
  readonly days: ReadonlySet<number>;
  readonly cardTypeIds: ReadonlySet<string>;
  readonly buyerIds: ReadonlySet<string>;
  readonly storeAttributes: ReadonlyArray<readonly [string, readonly string[]]>;
  /** Targeting that only an identified buyer can satisfy. */
  readonly needsBuyer: boolean;
};

/** Happy hours with parsed windows. */
export type PreparedHappyHour = {
  readonly happyHour: HappyHour;
  readonly windows: ReadonlyArray<{ from: number; to: number }>;
};

/** The snapshot plus its indexes. Build with prepareRules(). */
export type PreparedRules = {
  readonly snapshot: RulesSnapshot;
  readonly cardTypes: ReadonlyMap<string, CardType>;
  /** Category id -> itself and its ancestors, nearest first. */
  readonly categoryChain: ReadonlyMap<string, readonly string[]>;
  /** Card type id -> category id (or '' for the default) -> rule. */
  readonly rules: ReadonlyMap<string, ReadonlyMap<string, Rule>>;
  readonly storeAttributes: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly promotions: readonly PreparedPromotion[];
  readonly promotionsById: ReadonlyMap<string, PreparedPromotion>;
  /** Promotion index: candidates for a line come from its product, its categories and the global list. */
  readonly promotionsByProduct: ReadonlyMap<string, readonly PreparedPromotion[]>;
  readonly promotionsByCategory: ReadonlyMap<string, readonly PreparedPromotion[]>;
  readonly promotionsForAll: readonly PreparedPromotion[];
  readonly couponSeries: ReadonlyMap<string, CouponSeries>;
  readonly happyHours: readonly PreparedHappyHour[];
};

const DEFAULT_CATEGORY = '';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const id of ids) (seen.has(id) ? dups : seen).add(id);
  return [...dups];
}

/** Validates a rules snapshot and builds the engine's indexes; every problem is reported at once. */
export function prepareRules(input: unknown): Result<PreparedRules, Problem> {
  const parsed = parseInput(rulesSnapshotSchema, input);
  if (!parsed.ok) return err(invalidInput('правила программы', parsed.issues));
  const snapshot = parsed.value;
  const issues: InputIssue[] = [];
  const issue = (path: string, code: string, message: string) => issues.push({ path, code, message });

  if (!isValidTimeZone(snapshot.timeZone)) issue('timeZone', 'unknown_time_zone', 'Неизвестный часовой пояс');

  const cardTypes = new Map(snapshot.cardTypes.map((t) => [t.id, t]));
  for (const id of duplicates(snapshot.cardTypes.map((t) => t.id)))
    issue('cardTypes', 'duplicate_id', `Тип карты ${id} указан дважды`);
  if (!cardTypes.has(snapshot.programme.defaultCardTypeId))
    issue('programme.defaultCardTypeId', 'unknown_card_type', 'Тип карты по умолчанию не найден');

  const parents = new Map(snapshot.categories.map((c) => [c.id, c.parentId]));
  for (const id of duplicates(snapshot.categories.map((c) => c.id)))
    issue('categories', 'duplicate_id', `Категория ${id} указана дважды`);
  const categoryChain = new Map<string, string[]>();
  snapshot.categories.forEach((category, index) => {
    const chain = [category.id];
    let parent = category.parentId;
    while (parent !== null) {
      if (chain.includes(parent)) {
        issue(`categories[${index}].parentId`, 'category_cycle', 'Категории образуют цикл');
        break;
      }
      if (!parents.has(parent)) {
        issue(
          `categories[${index}].parentId`,
          'unknown_category',
          `Родительская категория ${parent} не найдена`,
        );
        break;
      }
      chain.push(parent);
      parent = parents.get(parent) ?? null;
    }
    categoryChain.set(category.id, chain);
  });

  const rules = new Map<string, Map<string, Rule>>();
  snapshot.rules.forEach((rule, index) => {
    if (!cardTypes.has(rule.cardTypeId))
      issue(`rules[${index}].cardTypeId`, 'unknown_card_type', 'Тип карты правила не найден');
    if (rule.categoryId !== null && !parents.has(rule.categoryId))
      issue(`rules[${index}].categoryId`, 'unknown_category', 'Категория правила не найдена');
    let byCategory = rules.get(rule.cardTypeId);
    if (!byCategory) rules.set(rule.cardTypeId, (byCategory = new Map<string, Rule>()));
    const key = rule.categoryId ?? DEFAULT_CATEGORY;
    if (byCategory.has(key))
      issue(`rules[${index}]`, 'duplicate_rule', 'Для этого типа карты и категории правило уже задано');
    byCategory.set(key, rule);
  });
  for (const cardType of snapshot.cardTypes) {
    if (!rules.get(cardType.id)?.has(DEFAULT_CATEGORY))
      issue(
        'rules',
        'missing_default_rule',
        `Для типа карты «${cardType.name}» нет правила по умолчанию (без категории)`,
      );
  }

  const toWindows = (windows: ReadonlyArray<{ from: string; to: string }>) =>
    windows.map((w) => ({ from: parseClock(w.from), to: parseClock(w.to) }));

  for (const id of duplicates(snapshot.promotions.map((p) => p.id)))
    issue('promotions', 'duplicate_id', `Акция ${id} указана дважды`);
  const sorted = [...snapshot.promotions].sort(
    (a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const promotions: PreparedPromotion[] = sorted.map((promotion, order) => {
    const t = promotion.targeting;
    return {
      promotion,
      order,
      productIds: new Set(t.productIds),
      categoryIds: new Set(t.categoryIds),
      excludeProductIds: new Set(t.excludeProductIds),
      excludeCategoryIds: new Set(t.excludeCategoryIds),
      targetsAll: t.productIds.length === 0 && t.categoryIds.length === 0,
      windows: toWindows(t.windows),
      storeIds: new Set(t.storeIds),
      days: new Set(t.days),
      cardTypeIds: new Set(t.cardTypeIds),
      buyerIds: new Set(t.buyerIds),
      storeAttributes: Object.entries(t.storeAttributes).filter(([, values]) => values.length > 0),
      needsBuyer:
        t.requiresCard ||
        t.cardTypeIds.length > 0 ||
        t.segmentIds.length > 0 ||
        t.buyerIds.length > 0 ||
        t.favouriteCategoriesOnly ||
        t.balanceMin !== null ||
        t.balanceMax !== null,
    };
  });
  const promotionsById = new Map(promotions.map((p) => [p.promotion.id, p]));
  const promotionsByProduct = new Map<string, PreparedPromotion[]>();
  const promotionsByCategory = new Map<string, PreparedPromotion[]>();
  const promotionsForAll: PreparedPromotion[] = [];
  for (const prepared of promotions) {
    if (prepared.promotion.archived) continue;
    if (prepared.targetsAll) promotionsForAll.push(prepared);
    for (const id of prepared.productIds) push(promotionsByProduct, id, prepared);
    for (const id of prepared.categoryIds) push(promotionsByCategory, id, prepared);
  }

  const couponSeries = new Map(snapshot.couponSeries.map((s) => [s.id, s]));
  for (const id of duplicates(snapshot.couponSeries.map((s) => s.id)))
    issue('couponSeries', 'duplicate_id', `Серия купонов ${id} указана дважды`);
  for (const id of duplicates(snapshot.stores.map((s) => s.id)))
    issue('stores', 'duplicate_id', `Магазин ${id} указан дважды`);
  snapshot.couponSeries.forEach((series, index) => {
    const promotion = promotionsById.get(series.promotionId)?.promotion;
    if (!promotion)
      issue(`couponSeries[${index}].promotionId`, 'unknown_promotion', 'Акция серии купонов не найдена');
    else if (promotion.targeting.couponSeriesId !== series.id)
      issue(
        `couponSeries[${index}].promotionId`,
        'promotion_not_linked',
        'Акция серии купонов должна ссылаться на эту серию (targeting.couponSeriesId)',
      );
  });
  snapshot.promotions.forEach((promotion, index) => {
    const seriesId = promotion.targeting.couponSeriesId;
    if (seriesId !== null && !couponSeries.has(seriesId))
      issue(
        `promotions[${index}].targeting.couponSeriesId`,
        'unknown_coupon_series',
        'Серия купонов не найдена',
      );
  });

  // Points that expire before they activate could never be spent: refuse such terms.
  const checkTerms = (terms: LotTerms, path: string) => {
    if (
      terms.activation.kind === 'after_days' &&
      terms.expiry.kind === 'days' &&
      terms.expiry.days <= terms.activation.days
    )
      issue(
        path,
        'expires_before_activation',
        'Баллы сгорают раньше, чем становятся активными: увеличьте срок жизни',
      );
  };
  snapshot.rules.forEach((rule, index) => checkTerms(rule, `rules[${index}]`));
  snapshot.promotions.forEach((promotion, index) => {
    if (promotion.effect.kind === 'gift_points')
      checkTerms(promotion.effect.terms, `promotions[${index}].effect.terms`);
  });
  if (snapshot.gifts.firstPurchase)
    checkTerms(snapshot.gifts.firstPurchase.terms, 'gifts.firstPurchase.terms');
  checkTerms(snapshot.referral.terms, 'referral.terms');

  if (issues.length > 0) return err(invalidInput('правила программы', issues));

  return ok({
    snapshot,
    cardTypes,
    categoryChain,
    rules,
    storeAttributes: new Map(snapshot.stores.map((s) => [s.id, s.attributes])),
    promotions,
    promotionsById,
    promotionsByProduct,
    promotionsByCategory,
    promotionsForAll,
    couponSeries,
    happyHours: snapshot.happyHours.map((happyHour) => ({
      happyHour,
      windows: toWindows(happyHour.windows),
    })),
  });
}

/** The rule for a card type and a category: the nearest category up the tree, else the default. */
export function ruleFor(
  rules: PreparedRules,
  cardTypeId: string,
  categoryId: string | null,
): Rule | undefined {
  const byCategory = rules.rules.get(cardTypeId);
  if (!byCategory) return undefined;
  if (categoryId !== null) {
    for (const id of rules.categoryChain.get(categoryId) ?? [categoryId]) {
      const rule = byCategory.get(id);
      if (rule) return rule;
    }
  }
  return byCategory.get(DEFAULT_CATEGORY);
}
