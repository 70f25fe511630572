// Prints a committed receipt (A6). The receipt is already durable when this runs, so a printer
// failure is an expected answer the cashier can retry, never a lost sale.
import { err, ok } from '@loyalty/core/shared/result';
import type { PrinterSettings } from '@loyalty/devices/escpos/printer-settings';
import { encodeSlip, encodeTestPage } from '@loyalty/devices/escpos/slip-encoder';
import { printToDeviceFile } from '@loyalty/devices/transport/device-file-printer';
import { printOverTcp } from '@loyalty/devices/transport/tcp-printer';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { receiptSlip } from '#core/sale/receipt-slip.ts';
import { getReceipt } from '#core/sale/receipts.repository.ts';
import { promotionNames } from '#core/sale/promotion-names.ts';
import { getSettings } from '#core/store/cache-settings.repository.ts';
import { fail, TerminalError, type HandlerResult } from '#core/shared/terminal-error.ts';
import { readPrinterConfig, type PrinterConfig } from './printer-config.ts';
import { slipDocument } from './slip-document.ts';
import { readSlipSettings, testPageExtras } from './slip-settings.ts';

/** Where a job went. */
export type PrintOutcome = { readonly printed: boolean; readonly printer: string; readonly bytes: number };

const noPrinter = () =>
  fail(
    'printer_not_configured',
    'Принтер чеков не настроен: укажите его в настройках (сеть — адрес и порт 9100, USB или COM — файл устройства).',
  );

async function send(config: Exclude<PrinterConfig, { transport: 'none' }>, bytes: Uint8Array) {
  const sent =
    config.transport === 'tcp'
      ? await printOverTcp({ host: config.host, port: config.port }, bytes)
      : await printToDeviceFile(config.path, bytes);
  const printer = config.transport === 'tcp' ? `${config.host}:${config.port}` : config.path;
  return sent.ok ? ok({ printed: true, printer, bytes: bytes.length }) : err(sent.error);
}

const layoutOf = (config: Exclude<PrinterConfig, { transport: 'none' }>): PrinterSettings => ({
  columns: config.columns,
  codepage: config.codepage,
  cut: config.cut,
  feedBeforeCut: config.feedBeforeCut,
  qrSize: config.qrSize,
});

/** Prints the slip of receipt `receiptId` on this workstation's printer. */
export async function printReceipt(
  ctx: TerminalContext,
  receiptId: string,
): Promise<HandlerResult<PrintOutcome>> {
  const receipt = getReceipt(ctx.db, receiptId);
  if (!receipt) return fail(TerminalError.receiptNotFound, 'Чек не найден на этом терминале.');
  const config = readPrinterConfig(ctx.db);
  if (config.transport === 'none') return noPrinter();
  const settings = getSettings(ctx.db);
  const names = promotionNames(ctx.db);
  const reasons = new Map(
    receipt.calculation.lines.map((line) => [
      line.index,
      line.applied.flatMap((a) =>
        a.source === 'card'
          ? [`Скидка по карте ${String(a.percent / 100).replace('.', ',')} %`]
          : a.discount > 0
            ? [names[a.promotionId] || 'Акция']
            : [],
      ),
    ]),
  );
  const document = slipDocument(
    receiptSlip(ctx.db, receipt, ctx.clock.now()),
    {
      merchantName: settings?.merchant.name ?? null,
      timeZone: settings?.merchant.timeZone ?? 'Europe/Moscow',
      reasons,
    },
    readSlipSettings(ctx.db),
  );
  return send(config, encodeSlip(document, layoutOf(config)));
}

/** Prints the test page (settings screen). */
export async function printTestPage(ctx: TerminalContext): Promise<HandlerResult<PrintOutcome>> {
  const config = readPrinterConfig(ctx.db);
  if (config.transport === 'none') return noPrinter();
  return send(
    config,
    encodeTestPage(layoutOf(config), 'https://example.ru/test', testPageExtras(readSlipSettings(ctx.db))),
  );
}
