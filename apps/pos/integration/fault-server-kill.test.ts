// SIGKILL of the server process in the middle of a push: ops are applied one PostgreSQL
// transaction each, so the killed server leaves a prefix of the batch committed and nothing half
// done; the restarted server (same port, same database) takes the retry, answering the committed
// prefix from its op log and applying the rest.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/test/free-port.ts';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import type { TerminalCore } from '../src/core/terminal-core.ts';
import {
  expectRecovered,
  faultShop,
  outboxStatuses,
  pairedCore,
  sell,
  terminalIdOf,
  type FaultShop,
} from './fault-fixture.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

// Two push batches of 200: long enough on the server to be caught in the middle.
const SALES = 300;

let t: TestApp;
let s: FaultShop;
let server: ServerProcess | undefined;
let core: (TerminalCore & { dir: string }) | undefined;

beforeAll(async () => {
  // The app in this process only sets the shop up (through inject) and reads the database.
  t = await createTestApp();
  s = await faultShop(t);
});

afterAll(async () => {
  await core?.close();
  await server?.kill();
  await t?.close();
  if (core) rmSync(core.dir, { recursive: true, force: true });
});

const appliedOps = async (terminalId: string): Promise<number> =>
  Number(
    (
      await t.db
        .selectFrom('sync_ops')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('terminal_id', '=', terminalId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('SIGKILL of the server', () => {
  it('mid-push: after a restart every receipt is booked once', async () => {
    const port = await freePort();
    server = await startServerProcess(t.url, port);
    core = await pairedCore(s, server.url);
    const terminalId = terminalIdOf(core);
    const [a, b] = s.buyerIds as [string, string];
    for (let i = 0; i < SALES; i++) await sell(core, i % 2 === 0 ? a : b);
    expect(outboxStatuses(core)).toEqual({ pending: SALES });

    const push = core.handlers['sync.now']({});
    while ((await appliedOps(terminalId)) < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.kill();
    const failed = await push;
    expect(!failed.ok && failed.error.code).toBe('server_unreachable');
    const committed = await appliedOps(terminalId);
    // Killed in the middle: part of the queue is on the server, part is not.
    expect(committed).toBeGreaterThanOrEqual(20);
    expect(committed).toBeLessThan(SALES);

    server = await startServerProcess(t.url, port);
    const synced = await core.handlers['sync.now']({});
    if (!synced.ok) throw new Error(JSON.stringify(synced.error));
    await expectRecovered(t.db, core, s.buyerIds);
  }, 120_000); // a restart of a server or PostgreSQL on a loaded 2-core CI machine can take most of a minute
});
