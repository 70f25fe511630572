import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '#testing/escpos-decoder.ts';
import { startTcpPrintCapture, type TcpPrintCapture } from '#testing/tcp-print-capture.ts';
import { printOverTcp } from '#transport/tcp-printer.ts';
import { defaultPrinterSettings, type PrinterSettings } from './printer-settings.ts';
import type { SlipDocument } from './slip-document.ts';
import { encodeSlip, encodeTestPage } from './slip-encoder.ts';
import { unprintableChars } from './slip-format.ts';

const slip: SlipDocument = {
  title: 'Ромашка на Ленина',
  header: ['ул. Ленина, 1, Москва'],
  meta: ['Чек № 12', '15.01.2026 12:00', 'Кассир: Смирнова'],
  buyer: 'Анна, +7 912 ***-**-89',
  lines: [
    {
      name: 'Молоко «Весёлый молочник» 3,2%',
      quantity: 2000,
      price: 89_90,
      amount: 179_80,
      discount: 17_98,
      discountReasons: ['Акция «Молочная неделя» −10 %'],
    },
    { name: 'Хлеб', quantity: 1000, price: 45_00, amount: 45_00, discount: 0 },
  ],
  totals: { amount: 224_80, discount: 17_98, pointsPaid: 50_00, paidMoney: 156_82, accrual: 1_56 },
  balance: { available: 1234_50, pending: 1_56 },
  qr: 'https://loyalty.example.ru/r/0197abcd',
  footer: ['Спасибо за покупку! Итог в ₽'],
};

describe('slip encoding (CP866, ESC/POS)', () => {
  it('prints Cyrillic in CP866 under the printer code page, ₽ as "руб.", a QR and a cut', () => {
    const bytes = encodeSlip(slip, defaultPrinterSettings);
    const paper = decodeEscPos(bytes, { 0: 'cp437', 17: 'cp866' });
    expect(paper.codepages).toEqual([17]);
    expect(paper.text).toContain('Ромашка на Ленина');
    expect(paper.text).toContain('Молоко "Весёлый молочник" 3,2%');
    expect(paper.lines).toContain(`  2 x 89,90${' '.repeat(42 - 11 - 6)}179,80`);
    expect(paper.text).toMatch(/ {2}Скидка +-17,98/);
    expect(paper.text).toContain('Акция "Молочная неделя" -10 %');
    expect(paper.text).toMatch(/Оплачено баллами +50\n/);
    expect(paper.text).toMatch(/ИТОГО К ОПЛАТЕ +156,82 руб\./);
    expect(paper.text).toMatch(/Начислено баллов +1,56/);
    expect(paper.text).toMatch(/Баланс баллов +1 234,50/);
    expect(paper.text).toContain('Итог в руб.');
    expect(paper.text).not.toMatch(/[₽?\ufffd]/);
    expect(paper.lines.every((l) => l.length <= 42)).toBe(true);
    expect(paper.qrCodes).toEqual(['https://loyalty.example.ru/r/0197abcd']);
    expect(paper.cuts).toBe(1);
  });

  it('uses the code page number from the printer settings', () => {
    const printer: PrinterSettings = { ...defaultPrinterSettings, codepage: 7, columns: 32 };
    const bytes = encodeSlip(slip, printer);
    expect(() => decodeEscPos(bytes, { 0: 'cp437', 17: 'cp866' })).toThrow(/code page 7/);
    const paper = decodeEscPos(bytes, { 0: 'cp437', 7: 'cp866' });
    expect(paper.codepages).toEqual([7]);
    expect(paper.lines.every((l) => l.length <= 32)).toBe(true);
    expect(paper.text).toContain('Кассир: Смирнова');
  });

  it('prints a test page with the whole alphabet', () => {
    const paper = decodeEscPos(encodeTestPage(defaultPrinterSettings, 'TEST'));
    expect(paper.text).toContain('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ');
    expect(paper.text).toContain('абвгдеёжзийклмнопрстуфхцчшщъыьэюя');
    expect(paper.text).toContain('1 234,56 руб.');
    expect(paper.qrCodes).toEqual(['TEST']);
  });

  it('prints the second QR with its caption before the receipt QR; cut none only feeds', () => {
    const printer: PrinterSettings = { ...defaultPrinterSettings, cut: 'none', feedBeforeCut: 3 };
    const bytes = encodeSlip(
      { ...slip, extraQr: { caption: 'Оставьте отзыв', content: 'https://example.ru/review' } },
      printer,
    );
    const paper = decodeEscPos(bytes);
    expect(paper.qrCodes).toEqual(['https://example.ru/review', slip.qr]);
    expect(paper.text).toContain('Оставьте отзыв');
    expect(paper.cuts).toBe(0);
    expect(decodeEscPos(encodeSlip(slip, defaultPrinterSettings)).cuts).toBe(1);
  });

  it('the test page carries the workstation header, footer and second QR', () => {
    const paper = decodeEscPos(
      encodeTestPage(defaultPrinterSettings, 'TEST', {
        header: ['ИНН 7701234567'],
        footer: ['Ждём вас снова!'],
        extraQr: { caption: 'Приглашайте друзей', content: 'https://example.ru/ref/1' },
      }),
    );
    expect(paper.text).toContain('ИНН 7701234567');
    expect(paper.text).toContain('Ждём вас снова!');
    expect(paper.qrCodes).toEqual(['https://example.ru/ref/1', 'TEST']);
  });

  it('names the characters CP866 cannot print', () => {
    expect(unprintableChars('Спасибо! «Ждём» — 100 ₽ №5')).toEqual([]);
    expect(unprintableChars('Спасибо 😀 ✓')).toEqual(['😀', '✓']);
  });

  it('a sale without buyer or points prints no balance block', () => {
    const paper = decodeEscPos(
      encodeSlip(
        {
          ...slip,
          buyer: null,
          balance: null,
          qr: null,
          totals: { ...slip.totals, pointsPaid: 0, accrual: 0 },
        },
        defaultPrinterSettings,
      ),
    );
    expect(paper.text).not.toContain('Баланс');
    expect(paper.text).not.toContain('Покупатель');
    expect(paper.qrCodes).toEqual([]);
  });
});

describe('TCP 9100 transport', () => {
  let capture: TcpPrintCapture;
  beforeAll(async () => {
    capture = await startTcpPrintCapture(0);
  });
  afterAll(async () => {
    await capture.close();
  });

  it('delivers a slip to a listener on 127.0.0.1, byte for byte', async () => {
    const bytes = encodeSlip(slip, defaultPrinterSettings);
    const sent = await printOverTcp({ host: '127.0.0.1', port: capture.port }, bytes);
    expect(sent.ok).toBe(true);
    const job = await capture.next();
    expect(Buffer.from(job).equals(Buffer.from(bytes))).toBe(true);
    expect(decodeEscPos(job).qrCodes).toEqual([slip.qr]);
  });

  it('a printer that is not there is a value, not a throw', async () => {
    const sent = await printOverTcp(
      { host: '127.0.0.1', port: 9, timeoutMs: 2000 },
      new Uint8Array([0x1b, 0x40]),
    );
    expect(!sent.ok && sent.error.code).toBe('printer_unreachable');
  });
});
