import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '@loyalty/devices/testing/escpos-decoder';
import { startTcpPrintCapture } from '@loyalty/devices/testing/tcp-print-capture';
import { BUYER_ID, MILK_ID, readyTerminal, type TestTerminal } from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

describe('receipt.print', () => {
  it('prints the committed slip on the TCP printer from the local settings, in CP866', async () => {
    terminal = await readyTerminal();
    const capture = await startTcpPrintCapture(0);
    try {
      const sale = await terminal.handlers['sale.commit']({
        buyerId: BUYER_ID,
        identifiedBy: 'phone',
        lines: [{ productId: MILK_ID, quantity: 2000 }],
        pointsToPay: 10_00,
      });
      if (!sale.ok) throw new Error(sale.error.message);
      const none = await terminal.handlers['receipt.print']({ receiptId: sale.value.receiptId });
      expect(!none.ok && none.error.code).toBe('printer_not_configured');

      await terminal.handlers['settings.set']({
        local: { printer: { transport: 'tcp', host: '127.0.0.1', port: capture.port, columns: 32 } },
      });
      const printed = await terminal.handlers['receipt.print']({ receiptId: sale.value.receiptId });
      expect(printed.ok, JSON.stringify(printed)).toBe(true);
      const paper = decodeEscPos(await capture.next());
      expect(paper.text).toContain(`Чек № ${sale.value.number}`);
      expect(paper.text).toMatch(/Оплачено баллами +10/);
      expect(paper.text).toMatch(/ИТОГО К ОПЛАТЕ +[\d ,]+ руб\./);
      expect(paper.lines.every((l) => l.length <= 32)).toBe(true);
      expect(paper.qrCodes).toEqual([`receipt:${sale.value.receiptId}`]);
      expect(paper.cuts).toBe(1);

      expect((await terminal.handlers['printer.test']({})).ok).toBe(true);
      expect(decodeEscPos(await capture.next()).text).toContain('ПРОВЕРКА ПЕЧАТИ');
    } finally {
      await capture.close();
    }
  });
});
