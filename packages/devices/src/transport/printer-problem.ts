// Expected printer failures travel as values (STYLE rule 7): the sale is already stored, and the
// cashier only needs to fix the printer and press "print again".

export const PrinterError = {
  unreachable: 'printer_unreachable',
  timeout: 'printer_timeout',
  writeFailed: 'printer_write_failed',
} as const;

/** A printer failure as plain data. */
export type PrinterProblem = {
  readonly code: (typeof PrinterError)[keyof typeof PrinterError];
  readonly message: string;
};
