// What differs from one receipt printer to the next; kept per workstation by the terminal.

/** Settings of one receipt printer. */
export type PrinterSettings = {
  /** Characters per line in font A: 32 on 58 mm paper, 42 or 48 on 80 mm. */
  readonly columns: number;
  /**
   * The `ESC t n` number under which this printer keeps CP866. It differs between makers
   * (Epson and most Chinese clones: 17; some: 7 or 46), so it is a setting, not a constant.
   */
  readonly codepage: number;
  /** `none` for a printer without a cutter (torn off at the tear bar after the feed). */
  readonly cut: 'full' | 'partial' | 'none';
  /** Lines fed before the cut (or the tear) so the last text clears the cutter. */
  readonly feedBeforeCut: number;
  /** QR module size in dots (1-8). */
  readonly qrSize: number;
};

export const defaultPrinterSettings: PrinterSettings = {
  columns: 42,
  codepage: 17,
  cut: 'partial',
  feedBeforeCut: 4,
  qrSize: 6,
};
