// The stored slip (what the screen shows) laid out as the printer's document: dates in the
// merchant's time zone, discount reasons by promotion name, the receipt QR, and the workstation's
// own header, footer and second QR (the `slip` local setting).
import type { SlipDocument } from '@loyalty/devices/escpos/slip-document';
import type { ReceiptSlip } from '#core/sale/receipt-slip.ts';
import { extraQrFor, slipSettingsSchema, type SlipSettings } from './slip-settings.ts';

/** Names the slip needs that the stored receipt keeps only as ids. */
export type SlipNames = {
  readonly merchantName: string | null;
  readonly timeZone: string;
  /** Why each line got its discount, by line index (promotion names, card discount). */
  readonly reasons: ReadonlyMap<number, readonly string[]>;
};

/** The QR on every slip: it finds the receipt again at a return (A7). */
export const receiptQr = (receiptId: string): string => `receipt:${receiptId}`;

/** The printer document of a slip. */
export function slipDocument(
  slip: ReceiptSlip,
  names: SlipNames,
  settings: SlipSettings = slipSettingsSchema.parse({}),
): SlipDocument {
  const when = new Intl.DateTimeFormat('ru-RU', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: names.timeZone,
  }).format(new Date(slip.createdAt));
  return {
    title: slip.store?.name ?? names.merchantName ?? '',
    header: [slip.store?.address ?? '', ...settings.header].filter(Boolean),
    meta: [`Чек № ${slip.number}`, when, `Кассир: ${slip.cashier.name}`],
    buyer: slip.buyer ? [slip.buyer.name, slip.buyer.phone].filter(Boolean).join(', ') : null,
    lines: slip.lines.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      price: line.price,
      amount: line.amount,
      discount: line.discount,
      discountReasons: names.reasons.get(line.index) ?? [],
    })),
    totals: slip.totals,
    balance: slip.points
      ? { available: slip.points.available, pending: slip.points.pending + slip.points.unconfirmedAccrued }
      : null,
    qr: receiptQr(slip.receiptId),
    extraQr: extraQrFor(settings, slip.buyer?.id ?? null),
    footer: [...slip.notes, ...settings.footer],
  };
}
