// The shapes a return is computed from and answers with. Quantities are integer thousandths of a
// unit (1000 = one piece or one kilogram), so weighed goods need no floats.
import type { Kopecks, Points } from '#money/money.ts';

/** One line of a committed sale as the engine booked it: the figures a return is cut from. */
export type ReturnBasisLine = {
  /** Quantity sold, integer thousandths of a unit, > 0. */
  readonly quantity: number;
  /** Money value of the line after discounts, before points. */
  readonly amount: Kopecks;
  /** Points paid on this line; one hundredth of a point pays one kopeck. */
  readonly pointsPaid: Points;
  /** Money paid on this line: amount - pointsPaid. */
  readonly paidMoney: Kopecks;
  /** Points accrued for this line. */
  readonly accrual: Points;
};

/** Points accrued to the receipt as a whole, keyed like 'gift:promo1' or 'referral:buyerX'. */
export type ReceiptAccrual = { readonly key: string; readonly points: Points };

/** Everything a committed receipt contributes to its returns. */
export type ReturnBasis = {
  readonly lines: readonly ReturnBasisLine[];
  readonly receiptAccruals: readonly ReceiptAccrual[];
};

/** One line of a return request: which receipt line and how much of it, in thousandths. */
export type ReturnRequestLine = { readonly index: number; readonly quantity: number };

/** A return request; earlier returns of the same receipt are passed in the same shape. */
export type ReturnRequest = { readonly lines: readonly ReturnRequestLine[] };

/** What one returned line gives back and takes back. */
export type ReturnedLine = {
  readonly index: number;
  readonly quantity: number;
  /** Money to hand back to the buyer. */
  readonly refundMoney: Kopecks;
  /** Points paid on the line that go back to the buyer's balance. */
  readonly pointsRestored: Points;
  /** Points accrued for the line that are taken back. */
  readonly accrualReversed: Points;
  /** Value of the returned goods: always refundMoney + pointsRestored. */
  readonly amount: Kopecks;
};

/** Sums over the returned lines; receipt-level reversals are listed separately. */
export type ReturnTotals = {
  readonly refundMoney: Kopecks;
  readonly pointsRestored: Points;
  readonly accrualReversed: Points;
  readonly amount: Kopecks;
};

/** The booked outcome of one return. */
export type ReturnCalculation = {
  /** Returned lines in receipt order, whatever order the request listed them in. */
  readonly lines: readonly ReturnedLine[];
  /** Receipt-level accruals taken back by this return; keys with nothing to take back are left out. */
  readonly receiptAccrualsReversed: readonly ReceiptAccrual[];
  readonly totals: ReturnTotals;
  /** True when, with this return, every line of the receipt has been returned in full. */
  readonly fullyReturned: boolean;
};
