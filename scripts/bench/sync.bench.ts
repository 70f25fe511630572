// `npm run bench -- sync`: the terminal sync protocol against the real server process on an
// embedded PostgreSQL (server-fixture.ts), with the terminal core in a child process of its own
// (sync-terminal.child.ts). Prints sync.pull.100k_buyers.seconds (the first sync of a terminal of
// a merchant with 100,000 buyers), sync.terminal.rss_mb (its peak resident memory after that
// pull), sync.rule_propagation.p95 (a promotion changed through the REST API until an online
// terminal prices with it) and sync.push.10k.seconds (10,000 queued receipts until acknowledged).
import { startChild } from './child-ipc.ts';
import { cpuMs, peakRssMb, postgresCpuMs } from './server.bench.ts';
import { addTill, startServerStack } from './server-stack.ts';
import { quantile, report } from './stats.ts';
import type { ChildCommand } from './sync-terminal.child.ts';

const BUYERS = 100_000;
const RECEIPTS = 10_000;
const ROUNDS = 20;
const CASHIER_CODE = '482916';
const SKU = 'MILK-1';

/** The terminal child (sync-terminal.child.ts). */
const startTerminal = () => startChild<ChildCommand>(new URL('./sync-terminal.child.ts', import.meta.url));

/** Runs the sync benchmark and prints its four figures. */
export async function benchSync(): Promise<void> {
  const stack = await startServerStack({ buyers: BUYERS, ownerEmail: 'owner@bench.local', analyse: true });
  const { fixture, server, api } = stack;
  let terminal: Awaited<ReturnType<typeof startTerminal>> | null = null;
  try {
    await api('POST', '/api/v1/products', { sku: SKU, name: 'Молоко', price: 100_00 });
    const promotion = (await api('POST', '/api/v1/promotions', {
      name: 'Скидка на всё',
      priority: 5,
      effect: { kind: 'discount_percent', percent: 100 },
    })) as { id: string };
    const pairingCode = await addTill(stack, { cashierCode: CASHIER_CODE, name: 'Касса бенчмарка' });

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
    await stack.stop();
  }
}
