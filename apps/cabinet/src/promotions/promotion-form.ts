// The promotion editor's form model (C5). The form mirrors the API body field by field, so that an
// error path the server answers (`body.effect.steps.0`, or the engine's `promotions[3].effect...`)
// names the form field to highlight; only the units differ: percents as typed (%), money in
// roubles, points in whole points, quantities in units. The API wants basis points, kopecks,
// hundredths and thousandths (README "Conventions"), converted here on load and on save.
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { promotionBodySchema, promotionViewSchema } from '@loyalty/protocol/api/programme.schema';

export type Promotion = z.output<typeof promotionViewSchema>;
export type PromotionBody = z.input<typeof promotionBodySchema>;
type Effect = PromotionBody['effect'];

export const effectKinds = [
  'discount_percent',
  'discount_amount',
  'fixed_price',
  'threshold_discount',
  'ladder',
  'buy_x_get_y',
  'gift_line',
  'points_percent',
  'gift_points',
  'flags_only',
] as const;
export type EffectKind = (typeof effectKinds)[number];

/** The store attributes the cabinet names; other keys an integrator set are kept as they are. */
export const storeAttributeKeys = ['format', 'cluster', 'city'] as const;
type StoreAttributeKey = (typeof storeAttributeKeys)[number];

export type ExpiryForm = { kind: 'never' | 'days' | 'fixed_dates'; days?: number; dates?: string[] };
export type EditorForm = {
  name: string;
  priority: number;
  period?: [Dayjs | null, Dayjs | null] | null;
  effect: {
    kind: EffectKind;
    percent?: number;
    amount?: number;
    per?: 'receipt' | 'unit';
    price?: number;
    tiers?: { fromAmount?: number; percent?: number }[];
    steps?: (number | null)[];
    buy?: number;
    get?: number;
    productId?: string;
    quantity?: number;
    points?: number;
    terms?: { expiry: ExpiryForm; activation: { days?: number | null } };
  };
  targeting: {
    productIds: string[];
    categoryIds: string[];
    excludeProductIds: string[];
    excludeCategoryIds: string[];
    storeIds: string[];
    storeAttributes: Record<StoreAttributeKey, string[]>;
    cardTypeIds: string[];
    segmentIds: string[];
    buyerIds: string[];
    days: number[];
    windows: { from?: string; to?: string }[];
    requiresCard: boolean;
    favouriteCategoriesOnly: boolean;
    balanceMin?: number | null;
    balanceMax?: number | null;
  };
  conditions: {
    minReceiptAmount?: number | null;
    requiredItems: { productIds: string[]; categoryIds: string[]; minQuantity?: number }[];
  };
  stacking: {
    stackable: boolean;
    exclusivityGroup?: string | null;
    base: 'original' | 'discounted';
    excludesCardDiscount: boolean;
  };
  flags: { forbidPointsPayment: boolean; noAccrualOnDiscounted: boolean; requiresConfirmationCode: boolean };
  limits: { maxDiscount?: number | null; maxAccrual?: number | null; maxPointsPayment?: number | null };
};

/** Hundredths (basis points, kopecks, hundredths of a point) to what a person types, and back. */
const shown = (hundredths: number) => hundredths / 100;
const stored = (value: number | null | undefined) => Math.round((value ?? 0) * 100);
const storedOrNull = (value: number | null | undefined) =>
  value === null || value === undefined ? null : Math.round(value * 100);
const shownOrNull = (hundredths: number | null | undefined) =>
  hundredths === null || hundredths === undefined ? null : hundredths / 100;
/** Quantities are thousandths of a unit on the wire. */
const units = (thousandths: number) => thousandths / 1000;
const thousandths = (value: number | undefined) => Math.round((value ?? 1) * 1000);

const defaultTerms = { expiry: { kind: 'never' as const }, activation: { days: null } };

function effectToForm(effect: Effect | undefined): EditorForm['effect'] {
  if (!effect) return { kind: 'discount_percent', percent: 10 };
  switch (effect.kind) {
    case 'discount_percent':
    case 'points_percent':
      return { kind: effect.kind, percent: shown(effect.percent) };
    case 'discount_amount':
      return { kind: effect.kind, amount: shown(effect.amount), per: effect.per };
    case 'fixed_price':
      return { kind: effect.kind, price: shown(effect.price) };
    case 'threshold_discount':
      return {
        kind: effect.kind,
        tiers: effect.tiers.map((t) => ({ fromAmount: shown(t.fromAmount), percent: shown(t.percent) })),
      };
    case 'ladder':
      return { kind: effect.kind, steps: effect.steps.map(shown) };
    case 'buy_x_get_y':
      return {
        kind: effect.kind,
        buy: effect.buy,
        get: effect.get,
        percent: shown(effect.percent ?? 10_000),
      };
    case 'gift_line':
      return { kind: effect.kind, productId: effect.productId, quantity: units(effect.quantity ?? 1000) };
    case 'gift_points': {
      const expiry = effect.terms.expiry;
      return {
        kind: effect.kind,
        points: shown(effect.points),
        terms: {
          expiry:
            expiry.kind === 'days'
              ? { kind: 'days', days: expiry.days }
              : expiry.kind === 'fixed_dates'
                ? { kind: 'fixed_dates', dates: [...expiry.dates] }
                : { kind: 'never' },
          activation: {
            days: effect.terms.activation.kind === 'after_days' ? effect.terms.activation.days : null,
          },
        },
      };
    }
    case 'flags_only':
      return { kind: effect.kind };
  }
}

/** The form of a promotion; null: a new one. */
export function toForm(p: Promotion | null): EditorForm {
  const t = p?.targeting;
  const attributes = t?.storeAttributes ?? {};
  return {
    name: p?.name ?? '',
    priority: p?.priority ?? 0,
    period: p ? [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null] : null,
    effect: { terms: defaultTerms, per: 'receipt', quantity: 1, ...effectToForm(p?.effect) },
    targeting: {
      productIds: t?.productIds ?? [],
      categoryIds: t?.categoryIds ?? [],
      excludeProductIds: t?.excludeProductIds ?? [],
      excludeCategoryIds: t?.excludeCategoryIds ?? [],
      storeIds: t?.storeIds ?? [],
      storeAttributes: {
        format: attributes.format ?? [],
        cluster: attributes.cluster ?? [],
        city: attributes.city ?? [],
      },
      cardTypeIds: t?.cardTypeIds ?? [],
      segmentIds: t?.segmentIds ?? [],
      buyerIds: t?.buyerIds ?? [],
      days: t?.days ?? [],
      windows: t?.windows ?? [],
      requiresCard: t?.requiresCard ?? false,
      favouriteCategoriesOnly: t?.favouriteCategoriesOnly ?? false,
      balanceMin: shownOrNull(t?.balanceMin),
      balanceMax: shownOrNull(t?.balanceMax),
    },
    conditions: {
      minReceiptAmount: shownOrNull(p?.conditions.minReceiptAmount),
      requiredItems: (p?.conditions.requiredItems ?? []).map((item) => ({
        productIds: item.productIds,
        categoryIds: item.categoryIds,
        minQuantity: units(item.minQuantity),
      })),
    },
    stacking: {
      stackable: p?.stacking.stackable ?? true,
      exclusivityGroup: p?.stacking.exclusivityGroup ?? '',
      base: p?.stacking.base ?? 'discounted',
      excludesCardDiscount: p?.stacking.excludesCardDiscount ?? false,
    },
    flags: {
      forbidPointsPayment: p?.flags.forbidPointsPayment ?? false,
      noAccrualOnDiscounted: p?.flags.noAccrualOnDiscounted ?? false,
      requiresConfirmationCode: p?.flags.requiresConfirmationCode ?? false,
    },
    limits: {
      maxDiscount: shownOrNull(p?.limits.maxDiscount),
      maxAccrual: shownOrNull(p?.limits.maxAccrual),
      maxPointsPayment: shownOrNull(p?.limits.maxPointsPayment),
    },
  };
}

function expiryOf(expiry: ExpiryForm):
  | { kind: 'never' }
  | { kind: 'days'; days: number }
  | {
      kind: 'fixed_dates';
      dates: string[];
    } {
  if (expiry.kind === 'days') return { kind: 'days', days: expiry.days ?? 0 };
  if (expiry.kind === 'fixed_dates') return { kind: 'fixed_dates', dates: expiry.dates ?? [] };
  return { kind: 'never' };
}

// Branded kopecks and points come from the server's schemas; the body is checked there again.
type Body = PromotionBody;
function effectOf(e: EditorForm['effect']): Effect {
  switch (e.kind) {
    case 'discount_percent':
    case 'points_percent':
      return { kind: e.kind, percent: stored(e.percent) };
    case 'discount_amount':
      return { kind: e.kind, amount: stored(e.amount), per: e.per ?? 'receipt' };
    case 'fixed_price':
      return { kind: e.kind, price: stored(e.price) };
    case 'threshold_discount':
      return {
        kind: e.kind,
        tiers: (e.tiers ?? []).map((t) => ({ fromAmount: stored(t.fromAmount), percent: stored(t.percent) })),
      };
    case 'ladder':
      return { kind: e.kind, steps: (e.steps ?? []).map((s) => stored(s)) };
    case 'buy_x_get_y':
      return { kind: e.kind, buy: e.buy ?? 1, get: e.get ?? 1, percent: stored(e.percent) };
    case 'gift_line':
      return { kind: e.kind, productId: e.productId ?? '', quantity: thousandths(e.quantity) };
    case 'gift_points': {
      const terms = e.terms ?? defaultTerms;
      return {
        kind: e.kind,
        points: stored(e.points),
        terms: {
          expiry: expiryOf(terms.expiry),
          activation: terms.activation.days
            ? { kind: 'after_days', days: terms.activation.days }
            : { kind: 'immediate' },
        },
      };
    }
    case 'flags_only':
      return { kind: e.kind };
  }
}

/** The API body; fields the form does not know (other store attributes, the coupon link) are kept. */
export function bodyOf(v: EditorForm, existing: Promotion | null): Body {
  const attributes: Record<string, string[]> = { ...existing?.targeting.storeAttributes };
  for (const key of storeAttributeKeys) {
    const values = v.targeting.storeAttributes[key];
    if (values.length > 0) attributes[key] = values;
    else delete attributes[key];
  }
  const t = v.targeting;
  return {
    name: v.name.trim(),
    priority: v.priority,
    from: v.period?.[0]?.valueOf() ?? null,
    to: v.period?.[1]?.valueOf() ?? null,
    archived: existing?.archived ?? false,
    effect: effectOf(v.effect),
    targeting: {
      productIds: t.productIds,
      categoryIds: t.categoryIds,
      excludeProductIds: t.excludeProductIds,
      excludeCategoryIds: t.excludeCategoryIds,
      storeIds: t.storeIds,
      storeAttributes: attributes,
      cardTypeIds: t.cardTypeIds,
      segmentIds: t.segmentIds.map((s) => s.trim()).filter(Boolean),
      buyerIds: t.buyerIds,
      days: t.days,
      windows: t.windows.map((w) => ({ from: (w.from ?? '').trim(), to: (w.to ?? '').trim() })),
      requiresCard: t.requiresCard,
      favouriteCategoriesOnly: t.favouriteCategoriesOnly,
      balanceMin: storedOrNull(t.balanceMin),
      balanceMax: storedOrNull(t.balanceMax),
      couponSeriesId: existing?.targeting.couponSeriesId ?? null,
    },
    conditions: {
      minReceiptAmount: storedOrNull(v.conditions.minReceiptAmount),
      requiredItems: v.conditions.requiredItems.map((item) => ({
        productIds: item.productIds,
        categoryIds: item.categoryIds,
        minQuantity: thousandths(item.minQuantity),
      })),
    },
    stacking: {
      stackable: v.stacking.stackable,
      exclusivityGroup: v.stacking.exclusivityGroup?.trim() || null,
      base: v.stacking.base,
      excludesCardDiscount: v.stacking.excludesCardDiscount,
    },
    flags: { ...v.flags },
    limits: {
      maxDiscount: storedOrNull(v.limits.maxDiscount),
      maxAccrual: storedOrNull(v.limits.maxAccrual),
      maxPointsPayment: storedOrNull(v.limits.maxPointsPayment),
    },
  };
}

/** The editor's tabs, and which top-level body field lives on which. */
export const editorTabs = ['main', 'effect', 'targeting', 'conditions', 'stacking'] as const;
export type EditorTab = (typeof editorTabs)[number];
const tabOfField: Record<string, EditorTab> = {
  name: 'main',
  priority: 'stacking',
  from: 'main',
  to: 'main',
  period: 'main',
  effect: 'effect',
  targeting: 'targeting',
  conditions: 'conditions',
  stacking: 'stacking',
  flags: 'stacking',
  limits: 'stacking',
};

/** The tab that shows a form field. */
export function tabOf(name: readonly (string | number)[]): EditorTab {
  return tabOfField[String(name[0])] ?? 'main';
}

export type FieldIssue = { name: (string | number)[]; message: string };

/**
 * Form field names for the issues the server answered: request validation names the body
 * (`body.effect.steps.0`), the engine's check names the snapshot (`promotions[3].effect.terms`).
 * The period's ends map to the period picker.
 */
export function fieldIssues(details: unknown): FieldIssue[] {
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  const out: FieldIssue[] = [];
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    if (typeof issue.path !== 'string') continue;
    const path = issue.path
      .replace(/^body\.?/, '')
      .replace(/^promotions\[\d+\]\.?/, '')
      .replace(/\[(\d+)\]/g, '.$1');
    if (!path) continue;
    const name = path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (name[0] === 'from' || name[0] === 'to') name.splice(0, name.length, 'period');
    out.push({ name, message: typeof issue.message === 'string' ? issue.message : '' });
  }
  return out;
}
