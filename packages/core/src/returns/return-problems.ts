// Expected failures of a return, as data. One error code for the whole request; the single
// problems inside it carry their own stable codes so the till can point at the field to fix.

/** Codes of the errors a return calculation answers with. */
export const RETURN_PROBLEM_CODES = {
  invalidReturn: 'invalid_return',
} as const;

/** Codes of the single problems listed inside an `invalid_return` error. */
export const RETURN_ISSUE_CODES = {
  /** Wrong type or missing field. */
  invalidValue: 'invalid_value',
  notInteger: 'not_integer',
  /** Below the minimum (e.g. a quantity of zero) or above the maximum. */
  outOfRange: 'out_of_range',
  emptyReturn: 'empty_return',
  unknownLine: 'unknown_line',
  duplicateLine: 'duplicate_line',
  quantityExceedsRemaining: 'quantity_exceeds_remaining',
  /** The receipt figures contradict each other (amount != pointsPaid + paidMoney, duplicate keys). */
  basisInconsistent: 'basis_inconsistent',
  /** Earlier returns name lines the receipt lacks or return more than was sold. */
  previousReturnsInconsistent: 'previous_returns_inconsistent',
} as const;

/** One of the issue codes. */
export type ReturnIssueCode = (typeof RETURN_ISSUE_CODES)[keyof typeof RETURN_ISSUE_CODES];

/** One problem with a return, located by its path like `request.lines[1].quantity`. */
export type ReturnIssue = {
  readonly path: string;
  readonly code: ReturnIssueCode;
  /** Russian, for the cashier: says what to fix. */
  readonly message: string;
  readonly details?: Readonly<Record<string, number | string>>;
};

/** The return cannot be booked as asked; every problem found is listed. Structurally a `Problem`. */
export type InvalidReturnProblem = {
  readonly code: typeof RETURN_PROBLEM_CODES.invalidReturn;
  readonly message: string;
  readonly details: { readonly issues: readonly ReturnIssue[] };
};

/** Builds the one error for a return with problems; the message lists them all for the cashier. */
export function invalidReturn(issues: readonly ReturnIssue[]): InvalidReturnProblem {
  return {
    code: RETURN_PROBLEM_CODES.invalidReturn,
    message: `Возврат не оформлен. ${issues.map((issue) => issue.message).join(' ')}`,
    details: { issues },
  };
}

/** Formats thousandths of a unit the Russian way, without trailing zeros: 1500 -> "1,5", 2000 -> "2". */
export function formatQuantity(thousandths: number): string {
  const sign = thousandths < 0 ? '-' : '';
  const abs = Math.abs(thousandths);
  const whole = Math.floor(abs / 1000);
  const fraction = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return fraction ? `${sign}${whole},${fraction}` : `${sign}${whole}`;
}
