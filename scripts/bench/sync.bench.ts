// `npm run bench -- sync`: the terminal sync protocol against the real server process on an
// embedded PostgreSQL (server-fixture.ts), with the terminal core in a child process of its own
// (sync-terminal.child.ts). Prints sync.pull.100k_buyers.seconds (the first sync of a terminal of
// a merchant with 100,000 buyers), sync.terminal.rss_mb (its peak resident memory after that
// pull), sync.rule_propagation.p95 (a promotion changed through the REST API until an online
// terminal prices with it) and sync.push.10k.seconds (10,000 queued receipts until acknowledged).
import { fork, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { hashSecret } from '../../apps/server/src/auth/secrets.ts';
import { cpuMs, peakRssMb, postgresCpuMs, startServer } from './server.bench.ts';
import { serverFixture, type ServerFixture } from './server-fixture.ts';
import { quantile, report } from './stats.ts';
import type { ChildCommand } from './sync-terminal.child.ts';

const BUYERS = 100_000;
const RECEIPTS = 10_000;
const ROUNDS = 20;
const CASHIER_CODE = '482916';
const SKU = 'MILK-1';
const PASSWORD = 'bench password 2026';

/** A cabinet session over real HTTP (cookie and CSRF token). */
type Cabinet = (method: string, path: string, body?: unknown) => Promise<unknown>;

async function cabinet(fixture: ServerFixture, base: string): Promise<Cabinet> {
  const email = 'owner@bench.local';
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
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
}

/** The terminal child and a request/answer call over IPC. */
function startTerminal(): Promise<{
  child: ChildProcess;
  call: (command: ChildCommand) => Promise<unknown>;
}> {
  const child = fork(new URL('./sync-terminal.child.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 1;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`terminal exited with ${code}`)));
    child.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (message.id === 0)
        resolve({
          child,
          call: (command) =>
            new Promise((res, rej) => {
              const id = next++;
              waiting.set(id, { resolve: res, reject: rej });
              child.send({ id, ...command });
            }),
        });
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) pending?.resolve(message.value);
      else pending?.reject(new Error(message.error));
    });
  });
}

/** Runs the sync benchmark and prints its four figures. */
export async function benchSync(): Promise<void> {
  const fixture = await serverFixture(BUYERS);
  // What autovacuum does minutes after a bulk import: without statistics the planner takes the
  // 100,000 fresh rows for a handful and reads the whole stream for every page.
  await sql`VACUUM ANALYZE`.execute(fixture.db);
  const server = await startServer(fixture);
  let terminal: Awaited<ReturnType<typeof startTerminal>> | null = null;
  try {
    const api = await cabinet(fixture, server.base);
    await api('POST', '/api/v1/products', { sku: SKU, name: 'Молоко', price: 100_00 });
    await api('POST', '/api/v1/cashiers', { name: 'Кассир', storeId: fixture.storeId, code: CASHIER_CODE });
    const promotion = (await api('POST', '/api/v1/promotions', {
      name: 'Скидка на всё',
      priority: 5,
      effect: { kind: 'discount_percent', percent: 100 },
    })) as { id: string };
    const { pairingCode } = (await api('POST', '/api/v1/terminals', {
      storeId: fixture.storeId,
      name: 'Касса бенчмарка',
    })) as { pairingCode: string };

    terminal = await startTerminal();
    const pull = (await terminal.call({ cmd: 'pair', serverUrl: server.base, code: pairingCode })) as {
      seconds: number;
      pulled: Record<string, number>;
    };
    if (pull.pulled.buyers !== BUYERS) throw new Error(`pulled ${pull.pulled.buyers} buyers, not ${BUYERS}`);
    report('sync.pull.100k_buyers.seconds', pull.seconds, 's');
    report('sync.terminal.rss_mb', await peakRssMb(terminal.child.pid ?? 0), 'MB');

    await terminal.call({ cmd: 'login', code: CASHIER_CODE });
    await terminal.call({ cmd: 'online' });
    const latencies: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // 2 %, 3 %, ... of 100.00: the terminal knows it has the change when the discount matches.
      const percent = 100 * (round + 1);
      const start = Date.now();
      await api('PUT', `/api/v1/promotions/${promotion.id}`, {
        name: 'Скидка на всё',
        priority: 5,
        effect: { kind: 'discount_percent', percent },
      });
      const seen = (await terminal.call({ cmd: 'awaitDiscount', sku: SKU, discount: percent })) as number;
      latencies.push(seen - start);
    }
    report('sync.rule_propagation.p95', quantile(latencies, 0.95), 'ms');

    const queued = (await terminal.call({ cmd: 'sell', count: RECEIPTS, sku: SKU, buyers: 5_000 })) as {
      pending: number;
    };
    if (queued.pending !== RECEIPTS) throw new Error(`queued ${queued.pending} receipts, not ${RECEIPTS}`);
    // CPU per op is less sensitive to a busy machine than the wall time: the server's own, and
    // the benchmark's PostgreSQL (its processes only).
    const serverCpuBefore = await cpuMs(server.child.pid ?? 0);
    const pgCpuBefore = await postgresCpuMs(fixture.dataDir);
    const push = (await terminal.call({ cmd: 'push' })) as {
      seconds: number;
      outbox: { pending: number; done: number; dead_letter: number; conflict: number };
    };
    const booked = await fixture.db
      .selectFrom('receipts')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('idempotency_key', 'like', 'terminal:%')
      .executeTakeFirstOrThrow();
    if (push.outbox.done !== RECEIPTS || Number(booked.n) !== RECEIPTS)
      throw new Error(`push incomplete: ${JSON.stringify(push.outbox)}, ${booked.n} receipts on the server`);
    report('sync.push.10k.seconds', push.seconds, 's');
    report(
      'sync.push.server_cpu_per_op',
      ((await cpuMs(server.child.pid ?? 0)) - serverCpuBefore) / RECEIPTS,
      'ms',
    );
    report(
      'sync.push.postgres_cpu_per_op',
      ((await postgresCpuMs(fixture.dataDir)) - pgCpuBefore) / RECEIPTS,
      'ms',
    );
  } finally {
    if (terminal) await terminal.call({ cmd: 'close' }).catch(() => undefined);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await fixture.close();
  }
}
