// Why a promotion or coupon did not apply. Stable codes: tills and the cabinet translate them.

/** Why a promotion considered for a line did not apply to it. */
export const PromotionReason = {
  notStarted: 'not_started',
  ended: 'ended',
  wrongDay: 'wrong_day',
  outsideHours: 'outside_hours',
  storeNotTargeted: 'store_not_targeted',
  storeAttributesMismatch: 'store_attributes_mismatch',
  cardRequired: 'card_required',
  cardTypeNotTargeted: 'card_type_not_targeted',
  segmentNotTargeted: 'segment_not_targeted',
  buyerNotTargeted: 'buyer_not_targeted',
  balanceOutOfRange: 'balance_out_of_range',
  couponRequired: 'coupon_required',
  receiptBelowMinimum: 'receipt_below_minimum',
  requiredItemsMissing: 'required_items_missing',
  thresholdNotReached: 'threshold_not_reached',
  notEnoughItems: 'not_enough_items',
  excludedProduct: 'excluded_product',
  excludedCategory: 'excluded_category',
  notFavouriteCategory: 'not_favourite_category',
  lineNoDiscount: 'line_no_discount',
  lineNoAccrual: 'line_no_accrual',
  programmeHasNoPoints: 'programme_has_no_points',
  exclusivityGroupLost: 'exclusivity_group_lost',
  nonStackableConflict: 'non_stackable_conflict',
  minPriceReached: 'min_price_reached',
  limitReached: 'limit_reached',
} as const;
export type PromotionReason = (typeof PromotionReason)[keyof typeof PromotionReason];

/** Why a presented coupon was refused. */
export const CouponReason = {
  unknownCode: 'unknown_code',
  notYetValid: 'not_yet_valid',
  expired: 'expired',
  alreadyUsed: 'already_used',
  usageLimitReached: 'usage_limit_reached',
  buyerLimitReached: 'buyer_limit_reached',
  issuedToAnotherBuyer: 'issued_to_another_buyer',
  blocked: 'blocked',
  duplicateInReceipt: 'duplicate_in_receipt',
  buyerRequired: 'buyer_required',
  promotionNotApplied: 'promotion_not_applied',
} as const;
export type CouponReason = (typeof CouponReason)[keyof typeof CouponReason];

/** What limited the points payable on a receipt. */
export const PaymentLimit = {
  none: 'none',
  noBuyer: 'no_buyer',
  programme: 'programme',
  lineCaps: 'line_caps',
  balance: 'balance',
  promotionLimit: 'promotion_limit',
  minimum: 'minimum',
} as const;
export type PaymentLimit = (typeof PaymentLimit)[keyof typeof PaymentLimit];
