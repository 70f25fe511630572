// `npm run bench -- cabinet`: the cabinet's first-load JavaScript, gzipped (goal < 500 KB), and the
// buyers page's first request over 1,000,000 buyers (goal p95 <= 300 ms, the server's search goal).
// For the size, a fresh production build goes to a temporary folder; "initial" is what index.html
// loads before any route chunk: the entry script and its modulepreload links.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { hashSecret } from '../../apps/server/src/auth/secrets.ts';
import { serverFixture } from './server-fixture.ts';
import { addSearchBuyers, startServer } from './server.bench.ts';
import { quantile, report } from './stats.ts';

const cabinet = fileURLToPath(new URL('../../apps/cabinet/', import.meta.url));
const gzipKb = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

/** The cabinet group: the bundle sizes and the buyers page over 1,000,000 buyers, or one of them. */
export async function benchCabinet(
  parts: ReadonlyArray<'size' | 'buyers'> = ['size', 'buyers'],
): Promise<void> {
  if (parts.includes('size')) benchBundleSize();
  if (parts.includes('buyers')) await benchBuyersPage();
}

/** Prints cabinet.initial_js_gzip_kb and cabinet.total_js_gzip_kb. */
function benchBundleSize(): void {
  const outDir = mkdtempSync(join(tmpdir(), 'cabinet-bench-'));
  try {
    const build = spawnSync(
      'npx',
      ['vite', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'],
      {
        cwd: cabinet,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    const all = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    report(
      'cabinet.initial_js_gzip_kb',
      initial.reduce((kb, f) => kb + gzipKb(join(outDir, f)), 0),
      'KB',
    );
    report(
      'cabinet.total_js_gzip_kb',
      all.reduce((kb, f) => kb + gzipKb(join(outDir, 'assets', f)), 0),
      'KB',
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const SEARCH_BUYERS = 1_000_000;
const WARMUP = 10;
const ROUNDS = 60;
const PASSWORD = 'bench password 1';

/**
 * The first request of the buyers page (`apps/cabinet/src/buyers/buyers-page.tsx`) after a manager
 * applied three D1 filters: the filters in the order `filtersToQuery` gives them, then the page's
 * default sort (registration, newest first), page 1 of 50, as `withQuery` encodes them. The total
 * the page shows comes in the same answer (capped by the server unless exactTotal is asked).
 */
function buyersPageQuery(cardTypeId: string, i: number, sort = 'registeredAt'): string {
  const params = new URLSearchParams();
  params.set('cardTypeId', cardTypeId);
  params.set('gender', i % 2 ? 'female' : 'male');
  params.set('purchasesCountFrom', String(3 + (i % 5)));
  params.set('sort', sort);
  params.set('order', 'desc');
  params.set('page', '1');
  params.set('pageSize', '50');
  return params.toString();
}

/**
 * Prints cabinet.buyers_page.p50 and .p95: the server process on the benchmark database filled by
 * the server group's own 1,000,000-buyer generator, asked with a manager's session cookie exactly
 * as the browser asks (the cabinet adds nothing but parsing on top).
 */
async function benchBuyersPage(): Promise<void> {
  const fixture = await serverFixture(0);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const started = performance.now();
    await addSearchBuyers(fixture, SEARCH_BUYERS);
    report('cabinet.buyers_page.seed_1m', (performance.now() - started) / 1000, 's');
    await fixture.db
      .insertInto('users')
      .values({
        merchant_id: fixture.merchantId,
        email: 'manager@bench.local',
        name: 'Менеджер',
        role: 'manager',
        password_hash: await hashSecret(PASSWORD),
      })
      .execute();
    server = await startServer(fixture);
    const login = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'manager@bench.local', password: PASSWORD }),
    });
    const sid = login.headers
      .getSetCookie()
      .map((c) => /^sid=([^;]+)/.exec(c)?.[1])
      .find(Boolean);
    if (login.status !== 200 || !sid) throw new Error(`manager sign-in failed: ${login.status}`);
    const silver = fixture.cardTypeIds[1] ?? '';
    const ask = async (i: number, sort?: string) => {
      const begun = performance.now();
      const response = await fetch(`${server!.base}/api/v1/buyers?${buyersPageQuery(silver, i, sort)}`, {
        headers: { cookie: `sid=${sid}`, accept: 'application/json' },
      });
      const body = (await response.json()) as { items?: unknown[]; total?: number };
      const ms = performance.now() - begun;
      if (response.status !== 200 || !body.items?.length || !body.total)
        throw new Error(`buyers page failed: ${response.status}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) await ask(i);
    const latencies: number[] = [];
    for (let i = 0; i < ROUNDS; i++) latencies.push(await ask(i));
    report('cabinet.buyers_page.p50', quantile(latencies, 0.5), 'ms');
    report('cabinet.buyers_page.p95', quantile(latencies, 0.95), 'ms');
    // Diagnostics (stderr): the server group's own query (sorted by last purchase) at the same
    // moment, to tell the page's sort from a busy machine.
    const byLastPurchase: number[] = [];
    for (let i = 0; i < ROUNDS; i++) byLastPurchase.push(await ask(i, 'lastPurchaseAt'));
    console.error(
      `same filters sorted by last purchase: p50 ${quantile(byLastPurchase, 0.5).toFixed(1)} ms, p95 ${quantile(byLastPurchase, 0.95).toFixed(1)} ms`,
    );
  } finally {
    server?.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fixture.close();
  }
}
