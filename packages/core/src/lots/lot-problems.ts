// Expected failures of the lot planners, as data; codes are stable and go over the wire.
import type { Points } from '#money/money.ts';

/** Codes of the expected lot failures. */
export const LOT_PROBLEM_CODES = {
  insufficientPoints: 'insufficient_points',
  restoreExceedsConsumed: 'restore_exceeds_consumed',
} as const;

/** One of the lot failure codes. */
export type LotProblemCode = (typeof LOT_PROBLEM_CODES)[keyof typeof LOT_PROBLEM_CODES];

/** Not enough active points for a redemption. */
export type InsufficientPointsProblem = {
  readonly code: typeof LOT_PROBLEM_CODES.insufficientPoints;
  readonly message: string;
  readonly details: { readonly available: Points; readonly requested: Points; readonly shortfall: Points };
};

/** A restore asks for more than the redemption took (overall, or for one lot in `alreadyRestored`). */
export type RestoreExceedsConsumedProblem = {
  readonly code: typeof LOT_PROBLEM_CODES.restoreExceedsConsumed;
  readonly message: string;
  readonly details: {
    readonly consumed: Points;
    readonly alreadyRestored: Points;
    readonly requested: Points;
    readonly restorable: Points;
    /** Set when one lot in `alreadyRestored` got back more than was taken from it. */
    readonly lotId?: string;
  };
};

/** Any expected lot failure; structurally a `Problem`. */
export type LotProblem = InsufficientPointsProblem | RestoreExceedsConsumedProblem;
