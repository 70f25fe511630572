// Encodes a slip as ESC/POS bytes with @point-of-sale/receipt-printer-encoder, in CP866 under the
// printer's own code page number. Layout is done here with plain padded text so every printer
// (and the test decoder) sees the same columns.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { PrinterSettings } from './printer-settings.ts';
import type { SlipDocument, SlipExtras, SlipQr } from './slip-document.ts';
import { formatPoints, formatQuantity, formatRoubles, printable, twoColumns, wrap } from './slip-format.ts';

/** A fresh encoder for `printer`, CP866 selected (ESC @, ESC t n). */
export function createEncoder(printer: PrinterSettings): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: printer.columns,
    codepageMapping: { cp866: printer.codepage },
    feedBeforeCut: printer.feedBeforeCut,
    // A character outside CP866 prints as "?" rather than failing the whole slip.
    errors: 'relaxed',
  })
    .initialize()
    .codepage('cp866');
}

/** The ESC/POS bytes of one slip. */
export function encodeSlip(slip: SlipDocument, printer: PrinterSettings): Uint8Array {
  const width = printer.columns;
  const e = createEncoder(printer);
  const line = (text: string) => e.line(printable(text));
  const row = (left: string, right: string) => line(twoColumns(printable(left), printable(right), width));
  const rub = (kopecks: number) => `${formatRoubles(kopecks)} руб.`;
  // A dashed rule rather than the encoder's box-drawing one, which switches to CP437 for it.
  const rule = () => e.line('-'.repeat(width));

  e.align('center').bold(true);
  for (const text of wrap(printable(slip.title), width)) e.line(text);
  e.bold(false);
  for (const h of slip.header) for (const text of wrap(printable(h), width)) e.line(text);
  e.align('left');
  rule();
  for (const m of slip.meta) line(m);
  if (slip.buyer) line(`Покупатель: ${slip.buyer}`);
  rule();

  for (const l of slip.lines) {
    for (const text of wrap(printable(l.name), width)) e.line(text);
    row(`  ${formatQuantity(l.quantity)} x ${formatRoubles(l.price)}`, formatRoubles(l.amount));
    if (l.discount > 0) {
      row('  Скидка', `-${formatRoubles(l.discount)}`);
      for (const reason of l.discountReasons ?? [])
        for (const text of wrap(printable(reason), width - 4)) line(`    ${text}`);
    }
  }
  rule();

  const t = slip.totals;
  row('Сумма', rub(t.amount));
  if (t.discount > 0) row('Скидка', `-${rub(t.discount)}`);
  if (t.pointsPaid > 0) row('Оплачено баллами', formatPoints(t.pointsPaid));
  e.bold(true);
  row('ИТОГО К ОПЛАТЕ', rub(t.paidMoney));
  e.bold(false);
  if (slip.balance || t.accrual > 0) {
    rule();
    row('Начислено баллов', formatPoints(t.accrual));
    if (slip.balance) {
      row('Баланс баллов', formatPoints(slip.balance.available));
      if (slip.balance.pending > 0) row('Ожидают начисления', formatPoints(slip.balance.pending));
    }
  }
  if (slip.footer.length > 0) {
    e.newline();
    for (const f of slip.footer) for (const text of wrap(printable(f), width)) e.line(text);
  }
  if (slip.extraQr) printQr(e, slip.extraQr, printer);
  if (slip.qr) {
    e.newline().align('center').qrcode(slip.qr, 2, printer.qrSize, 'm').align('left');
  }
  return finish(e, printer);
}

function printQr(e: ReceiptPrinterEncoder, qr: SlipQr, printer: PrinterSettings): void {
  e.newline().align('center');
  for (const text of wrap(printable(qr.caption), printer.columns)) e.line(text);
  e.qrcode(qr.content, 2, printer.qrSize, 'm').align('left');
}

/** Cuts, or for a printer without a cutter only feeds the same lines so the slip can be torn off. */
function finish(e: ReceiptPrinterEncoder, printer: PrinterSettings): Uint8Array {
  if (printer.cut !== 'none') return e.cut(printer.cut).encode();
  for (let i = 0; i < printer.feedBeforeCut; i++) e.newline();
  return e.encode();
}

/**
 * A short slip for the printer settings' "test print" button: Cyrillic, a ₽ sign, a QR, and the
 * workstation's own header, footer and second QR (`extras`) as receipts will carry them.
 */
export function encodeTestPage(printer: PrinterSettings, qr: string, extras?: SlipExtras): Uint8Array {
  const width = printer.columns;
  const e = createEncoder(printer);
  e.align('center').bold(true).line('ПРОВЕРКА ПЕЧАТИ').bold(false);
  for (const h of extras?.header ?? []) for (const text of wrap(printable(h), width)) e.line(text);
  e.align('left');
  e.line(printable(`Кодовая страница CP866 (ESC t ${printer.codepage})`));
  e.line(printable('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ'));
  e.line(printable('абвгдеёжзийклмнопрстуфхцчшщъыьэюя'));
  e.line(printable(`Сумма: ${formatRoubles(123456)} ₽`));
  e.line(twoColumns('Ширина строки', String(printer.columns), printer.columns));
  e.line('-'.repeat(printer.columns));
  for (const f of extras?.footer ?? []) for (const text of wrap(printable(f), width)) e.line(text);
  if (extras?.extraQr) printQr(e, extras.extraQr, printer);
  e.newline().align('center').qrcode(qr, 2, printer.qrSize, 'm').align('left');
  return finish(e, printer);
}
