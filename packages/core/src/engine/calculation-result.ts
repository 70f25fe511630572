// The engine's answer: every figure per line and in total, and the reasons behind each.
import type { Kopecks, Points } from '#money/money.ts';
import type { Instant } from '#time/zoned-time.ts';
import type { CouponReason, PaymentLimit, PromotionReason } from './reason-codes.ts';

/** A discount or bonus that acted on a line. */
export type AppliedAdjustment =
  | {
      readonly source: 'card';
      readonly discount: Kopecks;
      readonly percent: number;
      readonly happyHourId: string | null;
    }
  | {
      readonly source: 'promotion';
      readonly promotionId: string;
      readonly discount: Kopecks;
      /** Extra points this promotion accrues on the line. */
      readonly points: Points;
      /** True when the minimum price or the promotion's limit cut the discount. */
      readonly capped: boolean;
    };

/** A promotion that targeted a line but did not act on it, and why. */
export type ConsideredPromotion = { readonly promotionId: string; readonly reason: PromotionReason };

/** One receipt line, priced. */
export type CalculatedLine = {
  readonly index: number;
  readonly lineId: string | null;
  readonly productId: string;
  readonly categoryId: string | null;
  readonly quantity: number;
  readonly price: Kopecks;
  /** price x quantity before any discount. */
  readonly amount: Kopecks;
  readonly discount: Kopecks;
  /** amount - discount: what the line costs, paid in money and points. */
  readonly amountAfterDiscount: Kopecks;
  readonly pointsPaid: Points;
  readonly paidMoney: Kopecks;
  /** Most points this line could take, and the rule behind it. */
  readonly maxPoints: Points;
  /** Points accrued for this line (rule plus promotions). */
  readonly accrual: Points;
  readonly ruleId: string | null;
  readonly happyHourId: string | null;
  readonly applied: readonly AppliedAdjustment[];
  readonly considered: readonly ConsideredPromotion[];
};

/** Points to credit as a new lot once the receipt is confirmed. */
export type AccrualLot = {
  readonly source: 'purchase' | 'promotion' | 'promotion_gift' | 'first_purchase';
  readonly promotionId: string | null;
  readonly points: Points;
  readonly activatesAt: Instant;
  readonly expiresAt: Instant | null;
};

/** A reward for a referrer (C8), credited to another buyer. */
export type ReferralReward = {
  readonly referrerId: string;
  readonly level: number;
  readonly points: Points;
  readonly activatesAt: Instant;
  readonly expiresAt: Instant | null;
};

/** A free product the till adds to the receipt. */
export type GiftLine = {
  readonly promotionId: string;
  readonly productId: string;
  readonly quantity: number;
};

/** The payment-with-points part (A5): how much is allowed and why. */
export type PointsPayment = {
  readonly requested: Points;
  readonly applied: Points;
  readonly maximum: Points;
  readonly limitedBy: PaymentLimit;
  readonly minimum: Points;
  /** Active points the buyer may spend now (after debt and reservations). */
  readonly available: Points;
  /** Which lots the paid points come from, soonest-expiring first. */
  readonly consumedLots: ReadonlyArray<{ readonly lotId: string; readonly points: Points }>;
};

/** The verdict on each promotion that was a candidate for this receipt. */
export type PromotionOutcome = {
  readonly promotionId: string;
  readonly applied: boolean;
  /** Why it did not apply at all (null when applied to at least one line). */
  readonly reason: PromotionReason | null;
  readonly discount: Kopecks;
  readonly points: Points;
};

/** The fully explained result of pricing a receipt. */
export type Calculation = {
  readonly rulesVersion: string;
  readonly cardTypeId: string | null;
  readonly lines: readonly CalculatedLine[];
  readonly giftLines: readonly GiftLine[];
  readonly totals: {
    readonly amount: Kopecks;
    readonly discount: Kopecks;
    readonly amountAfterDiscount: Kopecks;
    readonly pointsPaid: Points;
    readonly paidMoney: Kopecks;
    /** All points this receipt credits to the buyer: sum of `accruals`. */
    readonly accrual: Points;
  };
  readonly pointsPayment: PointsPayment;
  readonly accruals: readonly AccrualLot[];
  readonly referralRewards: readonly ReferralReward[];
  readonly promotions: readonly PromotionOutcome[];
  readonly coupons: {
    readonly accepted: ReadonlyArray<{
      readonly code: string;
      readonly seriesId: string;
      readonly promotionId: string;
    }>;
    /** `message`: the Russian sentence for the cashier (what is wrong, what to do). */
    readonly rejected: ReadonlyArray<{
      readonly code: string;
      readonly reason: CouponReason;
      readonly message: string;
    }>;
  };
  /** A promotion or the programme wants the buyer to confirm with a code (A5, C5). */
  readonly requiresConfirmationCode: boolean;
};
