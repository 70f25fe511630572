// Card type (tier) by purchase total. 'default' and 'threshold' types are earned automatically;
// 'manual' types are handed out by a manager and never changed by this rule. Downgrades are a
// merchant setting because many programmes keep a tier once it is earned. The total is all-time
// or over a sliding period of the merchant's days (a programme setting); the caller sums it.
import type { Kopecks } from '#money/money.ts';
import type { Result } from '#shared/result.ts';
import { err, ok } from '#shared/result.ts';
import { addLocalDays, startOfLocalDay, type Instant } from '#time/zoned-time.ts';

/** The fields of a card type the tier rule reads; the engine's snapshot type fits it structurally. */
export type CardTypeForTiers = {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  readonly threshold: Kopecks | null;
  readonly issue: 'default' | 'threshold' | 'manual';
};

/** Input of the tier rule: the programme's card types, the buyer's current one and their purchases. */
export type CardTypeEvaluationInput = {
  readonly cardTypes: readonly CardTypeForTiers[];
  readonly currentCardTypeId: string;
  /** Net purchases (after discounts, minus returns) over the tier period, or all time; see `tierPeriodStart`. */
  readonly purchasesTotal: Kopecks;
  readonly allowDowngrade: boolean;
};

/** Why the rule decided as it did. */
export const CARD_TYPE_CHANGE_REASONS = {
  /** The buyer holds a manually issued type; the rule leaves it alone. */
  manual: 'manual',
  /** The purchases reach the threshold of a higher-ranked type. */
  thresholdReached: 'threshold_reached',
  /** The purchases fell below the current type's threshold and downgrades are allowed. */
  belowThreshold: 'below_threshold',
  /** The purchases fell below the current type, but the merchant keeps earned types. */
  downgradeNotAllowed: 'downgrade_not_allowed',
  /** The best type the purchases earn has the current rank. */
  unchanged: 'unchanged',
  /** No automatic type is reachable (no default type and no threshold reached). */
  noEligibleType: 'no_eligible_type',
} as const;

/** One of the reasons in `CARD_TYPE_CHANGE_REASONS`. */
export type CardTypeChangeReason = (typeof CARD_TYPE_CHANGE_REASONS)[keyof typeof CARD_TYPE_CHANGE_REASONS];

/** The card type the buyer should hold and how it differs from the current one. */
export type CardTypeEvaluation = {
  readonly cardTypeId: string;
  readonly change: 'upgrade' | 'downgrade' | 'none';
  readonly reason: CardTypeChangeReason;
};

/** Codes of the expected tier failures. */
export const CARD_TYPE_PROBLEM_CODES = {
  unknownCardType: 'unknown_card_type',
} as const;

/** The buyer's current card type is not among the programme's card types. */
export type UnknownCardTypeProblem = {
  readonly code: typeof CARD_TYPE_PROBLEM_CODES.unknownCardType;
  readonly message: string;
  readonly details: { readonly cardTypeId: string };
};

/** The purchase total a type needs, or null when it is never earned automatically. */
function requiredTotal(cardType: CardTypeForTiers): number | null {
  switch (cardType.issue) {
    case 'default':
      return cardType.threshold ?? 0;
    case 'threshold':
      // A threshold type without a threshold is misconfigured; never award it by accident.
      return cardType.threshold;
    case 'manual':
      return null;
  }
}

/** The highest-ranked automatic type earned by `purchasesTotal`; equal ranks go to the smaller id. */
function bestEarned(
  cardTypes: readonly CardTypeForTiers[],
  purchasesTotal: Kopecks,
): CardTypeForTiers | null {
  let best: CardTypeForTiers | null = null;
  for (const cardType of cardTypes) {
    const required = requiredTotal(cardType);
    if (required === null || required > purchasesTotal) continue;
    if (
      best === null ||
      cardType.rank > best.rank ||
      (cardType.rank === best.rank && cardType.id < best.id)
    ) {
      best = cardType;
    }
  }
  return best;
}

/** Decides which card type a buyer should hold for their purchase total. */
export function evaluateCardType(
  input: CardTypeEvaluationInput,
): Result<CardTypeEvaluation, UnknownCardTypeProblem> {
  const { cardTypes, currentCardTypeId, purchasesTotal, allowDowngrade } = input;
  const current = cardTypes.find((cardType) => cardType.id === currentCardTypeId);
  if (current === undefined) {
    return err({
      code: CARD_TYPE_PROBLEM_CODES.unknownCardType,
      message: `Тип карты «${currentCardTypeId}» не найден.`,
      details: { cardTypeId: currentCardTypeId },
    });
  }
  const keep = (reason: CardTypeChangeReason): Result<CardTypeEvaluation, UnknownCardTypeProblem> =>
    ok({ cardTypeId: current.id, change: 'none', reason });

  if (current.issue === 'manual') return keep(CARD_TYPE_CHANGE_REASONS.manual);
  const target = bestEarned(cardTypes, purchasesTotal);
  if (target === null) return keep(CARD_TYPE_CHANGE_REASONS.noEligibleType);
  if (target.rank > current.rank) {
    return ok({
      cardTypeId: target.id,
      change: 'upgrade',
      reason: CARD_TYPE_CHANGE_REASONS.thresholdReached,
    });
  }
  if (target.rank < current.rank) {
    if (!allowDowngrade) return keep(CARD_TYPE_CHANGE_REASONS.downgradeNotAllowed);
    return ok({
      cardTypeId: target.id,
      change: 'downgrade',
      reason: CARD_TYPE_CHANGE_REASONS.belowThreshold,
    });
  }
  return keep(CARD_TYPE_CHANGE_REASONS.unchanged);
}

/** The tier period a programme may set, in days (C2): a month to three years; null is all time. */
export const TIER_PERIOD_DAYS = { min: 30, max: 1095 } as const;

/**
 * The first instant whose purchases count towards the card type when the programme looks at the
 * last `periodDays` days: local midnight `periodDays - 1` days before today, so the window is
 * today plus the whole days before it, and it moves at the merchant's midnight, not at the hour
 * the buyer happened to shop. Null when the period is all time.
 */
export function tierPeriodStart(now: Instant, periodDays: number | null, timeZone: string): Instant | null {
  if (periodDays === null) return null;
  if (!Number.isSafeInteger(periodDays) || periodDays < 1)
    throw new RangeError(`tier period must be a whole number of days, got ${periodDays}`);
  return addLocalDays(startOfLocalDay(now, timeZone), -(periodDays - 1), timeZone);
}
