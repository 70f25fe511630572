// SIGKILL of the terminal core process at the two dangerous moments of a push (test-only crash
// points, LOYALTY_TEST_CRASH_AT): after the sales are committed to SQLite but before the push is
// sent, and after the server answered (and committed) but before the ops are marked done. A
// restarted core must send what is missing and take the server's stored answers for the rest.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/test-app.ts';
import { CrashPoint } from '../src/core/sync/test-crash-point.ts';
import { createTerminalCore, type TerminalCore } from '../src/core/terminal-core.ts';
import {
  CASHIER_CODE,
  expectRecovered,
  faultShop,
  outboxStatuses,
  pairedCore,
  PRODUCT_SKU,
  runScript,
  syncOrThrow,
  terminalReceiptIds,
  type FaultShop,
} from './fault-fixture.ts';

const SCRIPT = 'apps/pos/integration/fault-terminal.script.ts';
const SALES = 3;

let t: TestApp;
let s: FaultShop;
let serverUrl: string;
const dirs: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  s = await faultShop(t, 1);
  serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Pairs a terminal in a new folder, then lets a child process sell and die at `point`. */
async function crashAt(point: CrashPoint): Promise<string> {
  const paired = await pairedCore(s, serverUrl);
  dirs.push(paired.dir);
  await paired.close();
  const buyerId = s.buyerIds[0] ?? '';
  const run = await runScript(SCRIPT, [paired.dir, buyerId, String(SALES), CASHIER_CODE, PRODUCT_SKU], {
    LOYALTY_TEST_CRASH_AT: point,
  });
  expect(run, run.stderr).toMatchObject({ signal: 'SIGKILL' });
  return paired.dir;
}

const serverReceipts = async (ids: string[]) =>
  (await t.db.selectFrom('receipts').select('id').where('id', 'in', ids).execute()).length;

describe('SIGKILL of the terminal core', () => {
  let core: TerminalCore | undefined;
  afterAll(async () => {
    await core?.close();
  });

  it('between the SQLite commit and the push: the restarted core sends every sale once', async () => {
    const dir = await crashAt(CrashPoint.beforePush);
    core = createTerminalCore({ dataDir: dir, autoSync: false });
    const receipts = terminalReceiptIds(core);
    expect(receipts).toHaveLength(SALES);
    // The crash came before the request: the server has none of them, the outbox all of them.
    expect(await serverReceipts(receipts)).toBe(0);
    expect(outboxStatuses(core)).toEqual({ pending: SALES });
    await syncOrThrow(core);
    await expectRecovered(t.db, core, s.buyerIds);
    await core.close();
    core = undefined;
  });

  it('between the push answer and marking the ops done: the retry is answered from the op log', async () => {
    const dir = await crashAt(CrashPoint.afterPushAnswer);
    core = createTerminalCore({ dataDir: dir, autoSync: false });
    const receipts = terminalReceiptIds(core);
    // The server committed all of them; the terminal never recorded the answer.
    expect(await serverReceipts(receipts)).toBe(SALES);
    expect(outboxStatuses(core)).toEqual({ pending: SALES });
    const synced = await core.handlers['sync.now']({});
    expect(synced.ok && synced.value.pushed).toBe(SALES);
    const answers = core.ctx.db
      .prepare<[], { answer: string | null }>(`SELECT answer FROM outbox ORDER BY seq`)
      .all()
      .map((row) => (JSON.parse(row.answer ?? 'null') as { receiptId?: string } | null)?.receiptId);
    expect(answers).toEqual(receipts);
    await expectRecovered(t.db, core, s.buyerIds);
  });
});
