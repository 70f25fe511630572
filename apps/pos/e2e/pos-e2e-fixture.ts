// A shop on the real server, a terminal core in browser mode paired with it (through the handler,
// not the screen: sale.e2e.test.ts covers pairing from the screen) and Chromium on its page.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';
import { startLocalServer, type LocalServer } from '../src/core/transport/local-server.ts';

const POS_ROOT = resolve(import.meta.dirname, '..');
export const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/pos');
export const CASHIER_CODE = '135790';
export const SENIOR_CODE = '246802';
export const CARD = '70001';
export const BARCODE = 'QWE4601';
export const TOKEN = 'e2e-token';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export type PosE2e = {
  t: TestApp;
  s: Shop;
  serverUrl: string;
  buyerId: string;
  core: TerminalCore;
  local: LocalServer;
  browser: Browser;
  page: Page;
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
};

/** Server, shop (cheese 450,00; a cashier and a senior cashier; a buyer with 300 points), core, page.
 * `chromiumArgs` are added to the usual flags (the webcam test's fake video capture). */
export async function startPosE2e(options: { chromiumArgs?: readonly string[] } = {}): Promise<PosE2e> {
  const built = spawnSync('node', ['scripts/build-if-missing.js'], { cwd: POS_ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('renderer build failed');
  mkdirSync(ARTIFACTS, { recursive: true });

  const t = await createTestApp();
  const s = await shop(t);
  const serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const ok = async (method: string, url: string, body: object) => {
    const res = await s.owner.request(method, url, body);
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
  await ok('POST', '/api/v1/cashiers', {
    name: 'Петрова',
    role: 'senior',
    storeId: s.storeId,
    code: SENIOR_CODE,
  });
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
  const pairingCode = (await ok('POST', '/api/v1/terminals', { storeId: s.storeId, name: 'Касса 1' }))
    .pairingCode;

  const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  const core = createTerminalCore({ dataDir: dir });
  await core.handlers['settings.set']({ local: { printer: { transport: 'none' } } });
  const paired = await core.handlers['pairing.pair']({ serverUrl, code: pairingCode ?? '' });
  if (!paired.ok) throw new Error(`pairing: ${paired.error.message}`);
  const synced = await core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(`first sync: ${synced.error.message}`);
  const local = await startLocalServer({
    core,
    token: TOKEN,
    port: 0,
    staticDir: join(POS_ROOT, 'dist/renderer'),
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'ru-RU' });
  await page.goto(`${local.url}/#token=${TOKEN}`);

  return {
    t,
    s,
    serverUrl,
    buyerId: buyer.id,
    core,
    local,
    browser,
    page,
    shot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }),
    async close() {
      await browser.close();
      await local.close();
      await core.close();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Types an access code at human speed into the focused field and presses Enter. */
export async function typeCode(page: Page, code: string): Promise<void> {
  // A person types slower than a scanner: the wedge router lets these keys into the field.
  await page.keyboard.type(code, { delay: 120 });
  await page.keyboard.press('Enter');
}

/** The server's balance of a buyer, in hundredths of a point. */
export async function serverBalance(t: TestApp, buyerId: string): Promise<number> {
  const row = await t.db
    .selectFrom('buyers')
    .select('balance')
    .where('id', '=', buyerId)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}
