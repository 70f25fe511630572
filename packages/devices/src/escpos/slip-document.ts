// The slip as the printer needs it: texts and integers only, so the package stays independent of
// the terminal core that fills it (money in kopecks, points in hundredths, quantities in thousandths).

/** One receipt line on paper. */
export type SlipLine = {
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
  readonly amount: number;
  readonly discount: number;
  /** Why the discount was given, printed under the line (e.g. the promotion's name). */
  readonly discountReasons?: readonly string[];
};

/** Everything one slip shows. */
export type SlipDocument = {
  readonly title: string;
  readonly header: readonly string[];
  /** "Чек 12", date and time, cashier: already formatted by the caller (its time zone). */
  readonly meta: readonly string[];
  readonly lines: readonly SlipLine[];
  readonly totals: {
    readonly amount: number;
    readonly discount: number;
    readonly pointsPaid: number;
    readonly paidMoney: number;
    readonly accrual: number;
  };
  /** The buyer's balance after the receipt; null for a sale without a buyer. */
  readonly balance: { readonly available: number; readonly pending: number } | null;
  readonly buyer: string | null;
  /** A link the buyer scans (receipt, review or referral); null prints no QR. */
  readonly qr: string | null;
  readonly footer: readonly string[];
  /**
   * A second QR printed after the footer with its caption (the merchant's review or referral
   * link), so the receipt's own QR above stays the one a return scans.
   */
  readonly extraQr?: SlipQr | null;
};

/** A QR with the line printed above it. */
export type SlipQr = { readonly caption: string; readonly content: string };

/** The workstation's own texts and QR that the test page shows as a receipt would. */
export type SlipExtras = {
  readonly header: readonly string[];
  readonly footer: readonly string[];
  readonly extraQr: SlipQr | null;
};
