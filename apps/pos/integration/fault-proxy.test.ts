// Network faults between a terminal and the real server on a real port, injected by a TCP proxy:
// a connection reset mid-request, an answer lost after the server committed, and stalls in
// either direction. The terminal runs with background sync on, so its own request time limit
// and retry with backoff must recover; nothing may be lost or booked twice.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import type { TerminalCore } from '../src/core/terminal-core.ts';
import {
  expectRecovered,
  faultShop,
  outboxStatuses,
  pairedCore,
  sell,
  waitFor,
  type FaultShop,
} from './fault-fixture.ts';
import { ProxyFault, startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const PUSH = 'POST /api/v1/sync/push';
// Short enough to keep the suite fast, long enough for a push of a few ops on a busy CI machine.
const REQUEST_TIMEOUT_MS = 2_000;

let t: TestApp;
let s: FaultShop;
let proxy: TcpProxy;
let core: TerminalCore & { dir: string };

beforeAll(async () => {
  t = await createTestApp();
  s = await faultShop(t);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  proxy = await startTcpProxy(Number(new URL(address).port));
  core = await pairedCore(s, proxy.url, {
    autoSync: true,
    periodicSyncMs: 3_600_000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
});

afterAll(async () => {
  await core?.close();
  await proxy?.close();
  await t?.close();
  if (core) rmSync(core.dir, { recursive: true, force: true });
});

/** Attempts the terminal counted on ops it has not been answered for at least once. */
const attemptsOf = (receiptIds: string[]): number[] =>
  receiptIds.map(
    (id) =>
      core.ctx.db
        .prepare<[string], { attempts: number }>(
          `SELECT attempts FROM outbox WHERE kind = 'receipt' AND json_extract(payload, '$.receiptId') = ?`,
        )
        .get(id)?.attempts ?? -1,
  );

async function sellAndRecover(fault: ProxyFault): Promise<void> {
  const before = proxy.injected.length;
  proxy.arm(fault, PUSH);
  const [a, b] = s.buyerIds as [string, string];
  // An online sale with points (a hold first), and one without: both pushed right after.
  const receipts = [await sell(core, a, 10_00), await sell(core, b)];
  await waitFor(() => (outboxStatuses(core).pending ?? 0) === 0 && !core.ctx.sync.state().syncing);
  expect(proxy.injected.slice(before)).toEqual([fault]);
  // The fault hit these ops: at least one failed attempt was counted before they went through.
  expect(Math.max(...attemptsOf(receipts))).toBeGreaterThanOrEqual(1);
  await expectRecovered(t.db, core, s.buyerIds);
}

describe('network faults between terminal and server', () => {
  it('a connection reset mid-request: the push is retried and booked once', async () => {
    await sellAndRecover(ProxyFault.resetMidRequest);
  });

  it('the answer lost after the server committed: the retry gets duplicates, nothing doubles', async () => {
    const opsBefore = await t.db
      .selectFrom('sync_ops')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await sellAndRecover(ProxyFault.dropResponse);
    const opsAfter = await t.db
      .selectFrom('sync_ops')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(opsAfter.n) - Number(opsBefore.n)).toBe(2);
  });

  it('a stalled request: the time limit fires and the retry goes through', async () => {
    await sellAndRecover(ProxyFault.stallRequest);
  });

  it('a stalled answer after the commit: the time limit fires, the retry is answered as duplicate', async () => {
    await sellAndRecover(ProxyFault.stallResponse);
  });
});
