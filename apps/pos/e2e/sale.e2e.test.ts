// The cashier's day in Chromium against the real server and the terminal core in browser mode:
// pair from the screen, log in, identify the buyer by a card scanned as a keyboard wedge under a
// Russian layout, scan a product whose barcode has letters, pay with points, and read the slip
// the TCP printer received.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '@loyalty/devices/testing/escpos-decoder';
import { startTcpPrintCapture, type TcpPrintCapture } from '@loyalty/devices/testing/tcp-print-capture';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';
import { startLocalServer, type LocalServer } from '../src/core/transport/local-server.ts';
import { scanAsWedge } from './wedge-keys.ts';

const POS_ROOT = resolve(import.meta.dirname, '..');
const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/pos');
const CASHIER_CODE = '135790';
const CARD = '70001';
const BARCODE = 'QWE4601';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let t: TestApp;
let s: Shop;
let serverUrl: string;
let dir: string;
let core: TerminalCore;
let local: LocalServer;
let capture: TcpPrintCapture;
let browser: Browser;
let page: Page;
let pairingCode: string;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  // The renderer build the browser-mode server serves (skipped when it is already there).
  const built = spawnSync('node', ['scripts/build-if-missing.js'], { cwd: POS_ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('renderer build failed');
  mkdirSync(ARTIFACTS, { recursive: true });

  t = await createTestApp();
  s = await shop(t);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const owner = s.owner;
  const ok = async (method: string, url: string, body: object) => {
    const res = await owner.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
    return res.json<{ id: string; pairingCode?: string }>();
  };
  await ok('POST', '/api/v1/products', {
    sku: 'CHEESE-1',
    name: 'Сыр «Российский»',
    price: 450_00,
    barcodes: [BARCODE],
  });
  await ok('POST', '/api/v1/cashiers', { name: 'Иванова', storeId: s.storeId, code: CASHIER_CODE });
  await ok('POST', '/api/v1/card-series', {
    name: 'Карты',
    prefix: '7000',
    numberFrom: 1,
    numberTo: 5,
    kind: 'personal',
  });
  const buyer = await ok('POST', '/api/v1/buyers', {
    phone: '+79161112233',
    firstName: 'Пётр',
    cardNumber: CARD,
  });
  await ok('POST', `/api/v1/buyers/${buyer.id}/points`, {
    operation: 'accrue',
    points: 300_00,
    reason: 'Старт',
  });
  pairingCode =
    (await ok('POST', '/api/v1/terminals', { storeId: s.storeId, name: 'Касса 1' })).pairingCode ?? '';

  capture = await startTcpPrintCapture(0);
  dir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  core = createTerminalCore({ dataDir: dir });
  await core.handlers['settings.set']({
    local: {
      printer: { transport: 'tcp', host: '127.0.0.1', port: capture.port, columns: 42, codepage: 17 },
    },
  });
  local = await startLocalServer({
    core,
    token: 'e2e-token',
    port: 0,
    staticDir: join(POS_ROOT, 'dist/renderer'),
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'ru-RU' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await local?.close();
  await core?.close();
  await capture?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cashier workstation in Chromium (browser mode)', () => {
  it('pairs the terminal from the first screen', async () => {
    await page.goto(`${local.url}/#token=e2e-token`);
    await page.getByTestId('pairing-screen').waitFor();
    // The token left the address bar as soon as the page took it.
    expect(page.url()).not.toContain('e2e-token');
    await page.getByLabel('Адрес сервера').fill(serverUrl);
    await page.getByLabel('Код подключения').fill(pairingCode);
    await shot('01-pairing');
    await page.getByLabel('Код подключения').press('Enter');
    await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
  });

  it('logs the cashier in by access code typed at human speed', async () => {
    await shot('02-login');
    await page.getByTestId('access-code').focus();
    // A person types slower than a scanner: the wedge router lets these keys into the field.
    await page.keyboard.type(CASHIER_CODE, { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('sale-screen').waitFor();
    await expect.poll(() => page.getByTestId('online-state').textContent()).toBe('В сети');
  });

  it('sells with a wedge-scanned card and product under a Russian layout, pays with points, prints', async () => {
    const cdp = await page.context().newCDPSession(page);
    // The phone field has focus: a scan must still not land in it.
    await page.keyboard.press('F2');
    await scanAsWedge(cdp, CARD);
    await expect.poll(() => page.getByTestId('buyer-panel').textContent()).toContain('Пётр');
    expect(await page.getByTestId('phone').inputValue()).toBe('');
    expect(await page.getByTestId('points-available').textContent()).toBe('300');

    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('receipt-lines').textContent()).toContain('Сыр «Российский»');
    // A repeat scan is one more piece on the same line (priced by the core in the same answer).
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('900,00');
    expect(await page.getByTestId('receipt-line').count()).toBe(1);
    expect(await page.getByTestId('receipt-line').first().textContent()).toMatch(
      /Сыр «Российский».*2.*450,00.*900,00/,
    );
    expect(await page.getByTestId('phone').inputValue()).toBe('');

    await page.keyboard.press('F6');
    await page.keyboard.type('150', { delay: 120 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('points-paid').textContent()).toContain('150');
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('750,00');
    await expect
      .poll(() => page.getByTestId('points-max-reason').textContent())
      .toBe('Можно списать до 300 — столько баллов на счёте');
    await shot('03-sale');

    await page.keyboard.press('F9');
    await page.getByTestId('committed').waitFor();
    await expect.poll(() => page.getByTestId('print-note').textContent()).toBe('Чек напечатан');
    await shot('04-committed');

    const paper = decodeEscPos(await capture.next());
    expect(paper.text).toContain('Магазин 1');
    expect(paper.text).toContain('Сыр "Российский"');
    expect(paper.text).toMatch(/2 x 450,00 +900,00/);
    expect(paper.text).toMatch(/Оплачено баллами +150/);
    expect(paper.text).toMatch(/ИТОГО К ОПЛАТЕ +750,00 руб\./);
    expect(paper.text).toMatch(/Баланс баллов +150/);
    expect(paper.text).toContain('Кассир: Иванова');
    expect(paper.qrCodes).toHaveLength(1);
    expect(paper.cuts).toBe(1);

    await expect.poll(() => page.getByTestId('queued').textContent(), { timeout: 20_000 }).toContain(': 0');

    // A scan after the booked receipt starts the next one, priced in the scan's answer.
    await scanAsWedge(cdp, BARCODE);
    await expect.poll(() => page.getByTestId('total').textContent()).toContain('450,00');
    expect(await page.getByTestId('committed').count()).toBe(0);
    expect(await page.getByTestId('receipt-line').count()).toBe(1);
    expect(await page.getByTestId('buyer-panel').textContent()).not.toContain('Пётр');
  });
});
