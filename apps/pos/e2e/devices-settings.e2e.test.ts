// Device settings in Chromium (A10): F10 opens them from the sale screen; the cashier sets the
// receipt printer to a TCP listener on 127.0.0.1 and presses "test print" (the bytes are decoded
// as a printer would print them), then adds a serial scanner on a socat pseudo-terminal, whose
// scans reach the sale screen exactly as keyboard-wedge scans do (product by barcode, buyer by card
// or by the QR on the buyer's phone).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '@loyalty/devices/testing/escpos-decoder';
import { startSocatPtyPair, type SocatPtyPair } from '@loyalty/devices/testing/socat-pty-pair';
import { startTcpPrintCapture, type TcpPrintCapture } from '@loyalty/devices/testing/tcp-print-capture';
import type { QrCertificateResponse } from '@loyalty/protocol/api/buyer-qr.schema';
import { createBuyerWallet, type BuyerWallet } from '../../server/test/buyer-wallet.ts';
import { BARCODE, CARD, CASHIER_CODE, startPosE2e, typeCode, type PosE2e } from './pos-e2e-fixture.ts';

let e: PosE2e;
let capture: TcpPrintCapture;
let pair: SocatPtyPair;
let dir: string;
let wallet: BuyerWallet;

beforeAll(async () => {
  e = await startPosE2e();
  // The buyer's phone enrols with the real server for QR codes (A1); the till then syncs the key.
  wallet = createBuyerWallet();
  await wallet.enroll(async (publicKey) => {
    const res = await e.s.owner.request('POST', `/api/v1/buyers/${e.buyerId}/qr-certificate`, { publicKey });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json<QrCertificateResponse>();
  });
  const synced = await e.core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(synced.error.message);
  capture = await startTcpPrintCapture(0);
  dir = mkdtempSync(join(tmpdir(), 'pos-e2e-devices-'));
  pair = await startSocatPtyPair(dir, 'scanner');
}, 120_000);

afterAll(async () => {
  await e?.close();
  await capture?.close();
  await pair?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('device settings in Chromium (browser mode)', () => {
  it('F10 opens the settings; the TCP printer is set from the form and the test page prints', async () => {
    const { page } = e;
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
    await page.getByTestId('access-code').focus();
    await typeCode(page, CASHIER_CODE);
    await page.getByTestId('sale-screen').waitFor();

    await page.keyboard.press('F10');
    await page.getByTestId('devices-screen').waitFor();
    await page.getByText('Сеть (TCP)').click();
    await page.getByLabel('Адрес принтера').fill('127.0.0.1');
    await page.getByLabel('Порт', { exact: true }).last().fill(String(capture.port));
    await page.getByLabel('Символов в строке').fill('32');
    await page.getByLabel('Номер кодовой страницы CP866 (ESC t)').fill('17');
    await e.shot('devices-01-printer');
    await page.getByTestId('test-print').click();

    const paper = decodeEscPos(await capture.next());
    expect(paper.lines.map((line) => line.trim())).toContain('ПРОВЕРКА ПЕЧАТИ');
    // Decoded under the code page number typed in the form (17 = CP866 here).
    expect(paper.text).toContain('Кодовая страница CP866 (ESC t');
    expect(paper.text).toContain('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮ');
    // The width typed in the form reached the printer: 32 columns, wrapped and ruled at 32.
    expect(paper.text).toMatch(/Ширина строки +32/);
    expect(paper.lines).toContain('-'.repeat(32));
    expect(Math.max(...paper.lines.map((line) => line.length))).toBe(32);
    expect(paper.cuts).toBe(1);
    await expect
      .poll(() => page.getByTestId('printer-note').textContent())
      .toContain('Пробная страница отправлена');

    const stored = await e.core.handlers['settings.get']({});
    expect(stored.ok && stored.value.local.printer).toMatchObject({
      transport: 'tcp',
      host: '127.0.0.1',
      port: capture.port,
      columns: 32,
      codepage: 17,
    });
  });

  it('a serial scanner added on the screen sends its codes to the sale like a wedge scan', async () => {
    const { page } = e;
    await page.getByTestId('scanner-port').locator('input').fill(pair.devicePath);
    await page.getByTestId('add-scanner').click();
    await expect.poll(() => page.getByTestId('scanner-state').first().textContent()).toBe('Работает');
    expect(await page.getByTestId('scanner-list').textContent()).toContain('9600 8N1, CR');
    await e.shot('devices-02-scanner');

    await page.keyboard.press('Escape');
    await page.getByTestId('sale-screen').waitFor();
    // The scanner's firmware writes the code and CR to the line.
    pair.write(`${BARCODE}\r`);
    await expect.poll(() => page.getByTestId('receipt-lines').textContent()).toContain('Сыр «Российский»');
    pair.write(`${CARD}\r`);
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр');
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('по карте');
    // A 2D scanner in COM mode reads the buyer's QR from the phone: verified offline by the core.
    pair.write(`${wallet.qrAt(Date.now())}\r`);
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('по QR-коду');
    pair.write(`${BARCODE}\r`);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('900,00');
    await e.shot('devices-03-scanned');

    // Removed on the screen: the port is closed and its codes no longer reach the sale.
    await page.keyboard.press('F10');
    await page.getByTestId('devices-screen').waitFor();
    await page.getByTestId('remove-scanner-0').click();
    await expect
      .poll(async () => {
        const status = await e.core.handlers['devices.status']({});
        return status.ok ? status.value.scanners.length : -1;
      })
      .toBe(0);
    await page.keyboard.press('F10');
    await page.getByTestId('sale-screen').waitFor();
    pair.write(`${BARCODE}\r`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.getByTestId('total').textContent()).toContain('900,00');
  });
});
