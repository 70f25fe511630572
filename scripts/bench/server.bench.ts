// `npm run bench -- server`: the purchase flow under load and the buyers search over 1,000,000
// buyers, against the real server process (spawned, so its memory can be measured) and a local
// PostgreSQL. Prints server.confirm.throughput/p95, server.buyers.search.p95, server.rss_mb.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { freePort } from '../../apps/server/test/free-port.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';
import { quantile, report } from './stats.ts';

const CLIENTS = 32;
/** Buyers the confirm run spreads its receipts over. */
const BUYERS = 2_000;
const CONFIRMS = 10_000;
const WARMUP = 500;
const SEARCH_BUYERS = 1_000_000;
const PRODUCTS = ['milk', 'bread', 'cheese', 'apples', 'coffee', 'tea', 'juice', 'butter'];

export async function startServer(fixture: ServerFixture): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      'apps/server/src/main.ts',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: process.env.BENCH_PG_SOCKET
          ? `${fixture.url}?host=${process.env.BENCH_PG_SOCKET}`
          : fixture.url,
        PORT: String(port),
        DEMO: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function receipt(fixture: ServerFixture, buyerPhone: string, n: number) {
  return {
    idempotencyKey: `bench-${process.pid}-${n}`,
    storeId: fixture.storeId,
    buyer: { phone: buyerPhone },
    lines: Array.from({ length: 5 }, (_, i) => ({
      productId: PRODUCTS[(n + i) % PRODUCTS.length] ?? 'milk',
      quantity: 1000 * (1 + ((n + i) % 3)),
      price: 5_000 + ((n * 7919 + i * 104_729) % 50_000),
    })),
    pointsToPay: n % 4 === 0 ? 1_000 : 0,
  };
}

/**
 * POSTs a body over a keep-alive connection and answers the status once the whole answer has
 * arrived. node:http rather than global fetch: fetch's WHATWG layer cost the bench client more
 * CPU per request than the server's route, on the same two cores the server is measured on.
 */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function confirmRun(
  fixture: ServerFixture,
  base: string,
  buyers: number,
  total: number,
  offset: number,
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const headers = { authorization: `Bearer ${fixture.apiKey}`, 'content-type': 'application/json' };
  const url = new URL(`${base}/api/v1/purchases/confirm`);
  // One connection per client, kept for the whole run (as a till keeps its connection).
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= total) return;
      const phone = `+79${String(1 + ((n * 7) % buyers)).padStart(9, '0')}`;
      const started = performance.now();
      const status = await post(agent, url, headers, JSON.stringify(receipt(fixture, phone, offset + n)));
      latencies.push(performance.now() - started);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: CLIENTS }, worker));
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

export async function addSearchBuyers(fixture: ServerFixture, count: number): Promise<void> {
  // Varied attributes so the three filters below select a realistic slice of a big base.
  await sql`
    INSERT INTO buyers (merchant_id, phone, channel, card_type_id, gender, purchases_count, purchases_total,
                        last_purchase_at, balance, registered_at, first_name, last_name)
    SELECT ${fixture.merchantId}, '+795' || lpad(g::text, 8, '0'),
           (ARRAY['till','chatbot','web','import','api','cabinet'])[1 + g % 6],
           (ARRAY[${fixture.cardTypeIds[0]}::uuid, ${fixture.cardTypeIds[1]}::uuid])[1 + (g % 7 = 0)::int],
           CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END,
           g % 40, (g % 40) * 150000, now() - ((g % 400) || ' days')::interval, 0,
           now() - ((g % 700) || ' days')::interval, 'Имя' || (g % 1000), 'Фамилия' || (g % 5000)
    FROM generate_series(1, ${count}) g`.execute(fixture.db);
  await sql`ANALYZE buyers`.execute(fixture.db);
}

async function searchRun(fixture: ServerFixture, base: string, rounds: number): Promise<number[]> {
  const silver = fixture.cardTypeIds[1] ?? '';
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const query = `cardTypeId=${silver}&gender=${i % 2 ? 'female' : 'male'}&purchasesCountFrom=${3 + (i % 5)}&sort=lastPurchaseAt&order=desc&pageSize=50`;
    const started = performance.now();
    const response = await fetch(`${base}/api/v1/buyers?${query}`, {
      headers: { authorization: `Bearer ${fixture.apiKey}` },
    });
    const body = (await response.json()) as { items?: unknown[] };
    latencies.push(performance.now() - started);
    if (response.status !== 200 || !body.items?.length) throw new Error(`search failed: ${response.status}`);
  }
  return latencies;
}

/** Runs the server benchmark group, or only its confirm or search part. */
export async function benchServer(
  parts: ReadonlyArray<'confirm' | 'search'> = ['confirm', 'search'],
): Promise<void> {
  const fixture = await serverFixture(BUYERS);
  let server: Running | null = null;
  try {
    server = await startServer(fixture);
    if (parts.includes('confirm')) await confirmPart(fixture, server);
    if (parts.includes('search')) await searchPart(fixture, server);
  } finally {
    server?.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fixture.close();
  }
}

type Running = { child: ChildProcess; base: string };

/** CPU time a process has used so far (user + system), in ms; /proc counts in 1/100 s ticks. */
export async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The statements that cost PostgreSQL the most time (diagnostics, on stderr). */
async function printStatementStats(fixture: ServerFixture): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(fixture.db);
  const rows = await sql<{ calls: number; plan: number; exec: number; query: string }>`
    SELECT calls, round(total_plan_time::numeric / greatest(calls, 1), 3)::float AS plan,
           round(total_exec_time::numeric / greatest(calls, 1), 3)::float AS exec, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query
      FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 12`.execute(fixture.db);
  for (const row of rows.rows)
    console.error(
      `${String(row.calls).padStart(7)} calls  plan ${row.plan} ms  exec ${row.exec} ms  ${row.query}`,
    );
}

/**
 * CPU time used so far by the benchmark's own PostgreSQL (its postmaster and the processes it
 * started), in ms, by process title. Other PostgreSQL servers on a shared machine are left out.
 */
async function postgresCpu(dataDir: string | null): Promise<Map<string, number>> {
  const byTitle = new Map<string, number>();
  if (!dataDir) return byTitle;
  const postmaster = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.split(') ')[1]?.split(' ')[1]);
      if (Number(entry) !== postmaster && parent !== postmaster) continue;
      const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8'))
        .replace(/\0/g, ' ')
        .replace(/\d+/g, '#')
        .trim();
      byTitle.set(title, (byTitle.get(title) ?? 0) + (await cpuMs(Number(entry))));
    } catch {
      // the process ended while we looked
    }
  }
  return byTitle;
}

export async function postgresCpuMs(dataDir: string | null): Promise<number> {
  return [...(await postgresCpu(dataDir)).values()].reduce((a, b) => a + b, 0);
}

async function confirmPart(fixture: ServerFixture, server: Running) {
  await confirmRun(fixture, server.base, BUYERS, WARMUP, 0);
  const pid = server.child.pid ?? 0;
  const cpuBefore = await cpuMs(pid);
  const pgBefore = await postgresCpuMs(fixture.dataDir);
  const pgTitlesBefore = await postgresCpu(fixture.dataDir);
  const clientBefore = process.cpuUsage();
  const run = await confirmRun(fixture, server.base, BUYERS, CONFIRMS, WARMUP);
  report('server.confirm.throughput', CONFIRMS / run.seconds, 'ops/s');
  report('server.confirm.p95', quantile(run.latencies, 0.95), 'ms');
  // Less sensitive to a busy machine than throughput: the server's own CPU per receipt.
  report('server.confirm.cpu_per_op', ((await cpuMs(pid)) - cpuBefore) / CONFIRMS, 'ms');
  report(
    'server.confirm.postgres_cpu_per_op',
    ((await postgresCpuMs(fixture.dataDir)) - pgBefore) / CONFIRMS,
    'ms',
  );
  if (process.env.BENCH_PG_STATS)
    for (const [title, ms] of await postgresCpu(fixture.dataDir))
      console.error(
        `${((ms - (pgTitlesBefore.get(title) ?? 0)) / CONFIRMS).toFixed(3)} ms/op  ${title.slice(0, 80)}`,
      );
  const client = process.cpuUsage(clientBefore);
  report('server.confirm.client_cpu_per_op', (client.user + client.system) / 1000 / CONFIRMS, 'ms');
  report('server.confirm.failures', run.failures, 'requests');
  if (process.env.BENCH_PG_STATS) await printStatementStats(fixture);
  report('server.rss_mb', await peakRssMb(server.child.pid ?? 0), 'MB');
}

async function searchPart(fixture: ServerFixture, server: Running) {
  const started = performance.now();
  await addSearchBuyers(fixture, SEARCH_BUYERS);
  report('server.buyers.seed_1m', (performance.now() - started) / 1000, 's');
  await searchRun(fixture, server.base, 5);
  const search = await searchRun(fixture, server.base, 40);
  report('server.buyers.search.p95', quantile(search, 0.95), 'ms');
}
