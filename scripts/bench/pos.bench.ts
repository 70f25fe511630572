// `npm run bench -- pos`: from a scanned barcode to the updated total on the cashier's screen
// (issue 5, goal <= 50 ms), in Chromium against the real server process (embedded PostgreSQL,
// server-fixture.ts) and the terminal core in browser mode, on a fresh production build of the
// renderer. Each receipt grows to 50 lines of different products, scanned one by one as a
// keyboard wedge (CDP key events as fast as the page takes them, as a scanner types). The page
// itself measures: the first keydown's timestamp, and the moment a MutationObserver on the total
// sees the expected sum (then the next animation frame, when it is painted).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { hashSecret } from '../../apps/server/src/auth/secrets.ts';
import { createTerminalCore } from '../../apps/pos/src/core/terminal-core.ts';
import { startLocalServer } from '../../apps/pos/src/core/transport/local-server.ts';
import { startServer } from './server.bench.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';
import { quantile, report } from './stats.ts';

const LINES = 50;
const ROUNDS = Number(process.env.BENCH_POS_ROUNDS ?? 5);
const CASHIER_CODE = '518273';
const TOKEN = 'bench-token';
const PASSWORD = 'bench password 2026';
const BUYER_PHONE = '9000000001';
const pos = fileURLToPath(new URL('../../apps/pos/', import.meta.url));

const barcodeOf = (i: number) => `46${String(1000000000 + i).padStart(11, '0')}`;
const priceOf = (i: number) => 50_00 + i * 137;

// Runs in the page before the app: it must see the scan's keydowns before the wedge router,
// which stops them in the capture phase of window. Kept as text: scripts have no DOM types.
const PROBE = `(() => {
  const state = { armed: false, start: null, enter: null, end: null, painted: null, expected: 0 };
  let observer = null;
  window.addEventListener('keydown', (e) => {
    if (!state.armed) return;
    if (state.start === null) state.start = e.timeStamp;
    if (e.key === 'Enter') state.enter = e.timeStamp;
  }, true);
  state.arm = (expected) => {
    Object.assign(state, { armed: true, start: null, enter: null, end: null, painted: null, expected });
    const total = document.querySelector('[data-testid="total"]');
    observer?.disconnect();
    observer = new MutationObserver(() => {
      if (state.end !== null || state.start === null) return;
      if (Number((total.textContent || '').replace(/\\D/g, '')) !== state.expected) return;
      state.end = performance.now();
      state.armed = false;
      observer.disconnect();
      requestAnimationFrame(() => { state.painted = performance.now(); });
    });
    observer.observe(total, { subtree: true, childList: true, characterData: true });
  };
  window.__bench = state;
})();`;

type Probe = { start: number; enter: number; end: number; painted: number | null };

/** A cabinet session over real HTTP (cookie and CSRF token), as an owner made for the bench. */
async function cabinet(fixture: ServerFixture, base: string) {
  const email = 'owner@pos-bench.local';
  await fixture.db
    .insertInto('users')
    .values({
      merchant_id: fixture.merchantId,
      email,
      name: 'Владелец',
      role: 'owner',
      password_hash: await hashSecret(PASSWORD),
    })
    .execute();
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
}

/** A production build of the renderer in a temporary folder (what the till serves). */
function buildRenderer(outDir: string): void {
  // vitest-style VITE_* variables would make Vite bundle React's development build.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITE')));
  const build = spawnSync(
    'npx',
    ['vite', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'],
    { cwd: pos, encoding: 'utf8', env: { ...env, NODE_ENV: 'production' } },
  );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
}

/** A wedge scan of digits and Enter: every key event is sent at once, so they arrive back to back. */
async function scan(cdp: CDPSession, code: string): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const ch of code) {
    const key = { code: `Digit${ch}`, key: ch, windowsVirtualKeyCode: ch.charCodeAt(0) };
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key, text: ch, unmodifiedText: ch }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key }));
  }
  const enter = { code: 'Enter', key: 'Enter', windowsVirtualKeyCode: 13 };
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...enter, text: '\r' }));
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...enter }));
  await Promise.all(sends);
}

/** A new receipt (the page loaded afresh) with the buyer identified by phone, typed at human speed. */
async function freshReceipt(page: Page, url: string | null): Promise<void> {
  // The page moves the token to sessionStorage: a reload keeps it.
  if (url) await page.goto(url);
  else await page.reload();
  await page.getByTestId('sale-screen').waitFor({ timeout: 60_000 });
  await page.keyboard.press('F2');
  await page.keyboard.type(BUYER_PHONE, { delay: 80 });
  await page.keyboard.press('Enter');
  await page.getByTestId('points-available').waitFor({ timeout: 30_000 });
}

/** Scans split by the machine (see fillReceipt), scanned again and left out of the figures. */
let splitScans = 0;

/** Scans LINES products into one receipt; per scan, the page's timestamps (see PROBE). */
async function fillReceipt(page: Page, cdp: CDPSession): Promise<Probe[]> {
  const probes: Probe[] = [];
  let expected = 0;
  for (let i = 0; i < LINES; i++) {
    expected += priceOf(i);
    for (let attempt = 1; ; attempt++) {
      // A cashier scans about one item a second: the page is idle when the next scan starts.
      await page.evaluate(
        'new Promise((resolve) => setTimeout(() => requestIdleCallback(resolve, { timeout: 500 }), 50))',
      );
      await page.evaluate(`window.__bench.arm(${expected})`);
      await scan(cdp, barcodeOf(i));
      await page.waitForFunction(
        'window.__bench.painted !== null || document.querySelector(\'[data-testid="problem"]\') !== null',
        undefined,
        { timeout: 10_000 },
      );
      const probe = await page.evaluate<Probe>('({ ...window.__bench })');
      if (probe.painted !== null) {
        probes.push(probe);
        break;
      }
      // On a loaded machine the page can stall for longer than the wedge router's 40 ms gap in
      // the middle of a burst; the router then takes the halves for typing and an unknown code,
      // as it would with a real scanner. The cashier scans again; so does the bench.
      const shown = await page.evaluate<string>(
        `['total', 'notice', 'problem'].map((id) => document.querySelector('[data-testid="' + id + '"]')?.textContent).join(' | ')`,
      );
      if (attempt >= 5)
        throw new Error(`line ${i + 1}: expected ${expected} kopecks, the screen shows: ${shown}`);
      splitScans++;
      await page.locator('[data-testid="problem"] button').click();
      await page.locator('[data-testid="problem"]').waitFor({ state: 'detached' });
    }
  }
  return probes;
}

/** Runs the pos benchmark and prints pos.scan_to_total.* figures. */
export async function benchPos(): Promise<void> {
  const fixture = await serverFixture(10);
  const server = await startServer(fixture);
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-'));
  const outDir = join(dir, 'renderer');
  let close: (() => Promise<void>)[] = [];
  try {
    const api = await cabinet(fixture, server.base);
    for (let i = 0; i < LINES; i++)
      await api('/api/v1/products', {
        sku: `BENCH-${i + 1}`,
        name: `Товар бенчмарка № ${i + 1}`,
        price: priceOf(i),
        barcodes: [barcodeOf(i)],
      });
    await api('/api/v1/cashiers', { name: 'Кассир', storeId: fixture.storeId, code: CASHIER_CODE });
    const { pairingCode } = (await api('/api/v1/terminals', {
      storeId: fixture.storeId,
      name: 'Касса бенчмарка',
    })) as { pairingCode: string };
    buildRenderer(outDir);

    const core = createTerminalCore({ dataDir: join(dir, 'core') });
    close = [() => core.close(), ...close];
    await core.handlers['settings.set']({ local: { printer: { transport: 'none' } } });
    const paired = await core.handlers['pairing.pair']({ serverUrl: server.base, code: pairingCode });
    if (!paired.ok) throw new Error(paired.error.message);
    const synced = await core.handlers['sync.now']({});
    if (!synced.ok) throw new Error(synced.error.message);
    const login = await core.handlers['cashier.login']({ code: CASHIER_CODE });
    if (!login.ok) throw new Error(login.error.message);
    const local = await startLocalServer({ core, token: TOKEN, port: 0, staticDir: outDir });
    close = [() => local.close(), ...close];

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    close = [() => browser.close(), ...close];
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'ru-RU' });
    await page.addInitScript(PROBE);
    const cdp = await page.context().newCDPSession(page);
    const url = `${local.url}/#token=${TOKEN}`;

    // One receipt unmeasured: the page's and the core's code paths are compiled by then.
    await freshReceipt(page, url);
    await fillReceipt(page, cdp);
    const rounds: Probe[][] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await freshReceipt(page, null);
      rounds.push(await fillReceipt(page, cdp));
    }
    const all = rounds.flat();
    const toTotal = all.map((p) => p.end - p.start);
    report('pos.scan_to_total.p50', quantile(toTotal, 0.5), 'ms');
    report('pos.scan_to_total.p95', quantile(toTotal, 0.95), 'ms');
    report(
      'pos.scan_to_total.line50',
      quantile(
        rounds.map((probes) => {
          const last = probes[LINES - 1];
          return last ? last.end - last.start : Number.NaN;
        }),
        0.5,
      ),
      'ms',
    );
    report(
      'pos.scan_keys.p50',
      quantile(
        all.map((p) => p.enter - p.start),
        0.5,
      ),
      'ms',
    );
    report(
      'pos.scan_end_to_total.p95',
      quantile(
        all.map((p) => p.end - p.enter),
        0.95,
      ),
      'ms',
    );
    report(
      'pos.scan_to_painted.p95',
      quantile(
        all.map((p) => (p.painted ?? Number.NaN) - p.start),
        0.95,
      ),
      'ms',
    );
    report('pos.scans_split_and_repeated', splitScans, 'scans');
  } finally {
    for (const step of close) await step();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
