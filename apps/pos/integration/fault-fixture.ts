// Shared pieces of the fault-injection tests: a shop with a product, a cashier and buyers with
// points on the real server, a paired terminal core, sales, and the one check every fault test
// ends with: every receipt exactly once on the server, the ledger invariant for every buyer, and
// an empty outbox on the terminal.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../server/src/db/database.ts';
import { ledgerSides } from '../../server/src/ledger/ledger.service.ts';
import { shop, type Shop } from '../../server/src/sync/sync.test-helper.ts';
import type { TestApp } from '../../server/test/test-app.ts';
import { getIdentity } from '../src/core/store/identity.repository.ts';
import {
  createTerminalCore,
  type TerminalCore,
  type TerminalCoreOptions,
} from '../src/core/terminal-core.ts';

export const CASHIER_CODE = '482916';
export const PRODUCT_SKU = 'MILK-1';

/** The merchant side of a fault test. */
export type FaultShop = Shop & { buyerIds: string[] };

/** A shop with one product, one cashier and `buyers` buyers holding 300.00 points each. */
export async function faultShop(t: TestApp, buyers = 2): Promise<FaultShop> {
  const s = await shop(t);
  const product = await s.owner.request('POST', '/api/v1/products', {
    sku: PRODUCT_SKU,
    name: 'Молоко',
    price: 100_00,
  });
  expect(product.statusCode, product.body).toBe(201);
  const cashier = await s.owner.request('POST', '/api/v1/cashiers', {
    name: 'Смирнова',
    storeId: s.storeId,
    code: CASHIER_CODE,
  });
  expect(cashier.statusCode, cashier.body).toBe(201);
  const buyerIds: string[] = [];
  for (let i = 0; i < buyers; i++) {
    const buyer = await s.owner.request('POST', '/api/v1/buyers', { phone: `+7916123450${i}` });
    expect(buyer.statusCode, buyer.body).toBe(201);
    const id = buyer.json<{ id: string }>().id;
    const points = await s.owner.request('POST', `/api/v1/buyers/${id}/points`, {
      operation: 'accrue',
      points: 300_00,
      reason: 'Стартовый баланс',
    });
    expect(points.statusCode, points.body).toBe(200);
    buyerIds.push(id);
  }
  return { ...s, buyerIds };
}

/** A new pairing code for a new terminal of the shop's store. */
export async function pairingCode(s: Shop, name = 'Касса'): Promise<string> {
  const created = await s.owner.request('POST', '/api/v1/terminals', { storeId: s.storeId, name });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ pairingCode: string }>().pairingCode;
}

/** A terminal core in a new folder, paired through `serverUrl`, fully synced, cashier logged in. */
export async function pairedCore(
  s: Shop,
  serverUrl: string,
  options: Omit<TerminalCoreOptions, 'dataDir'> & { dataDir?: string } = {},
): Promise<TerminalCore & { dir: string }> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pos-fault-'));
  const core = createTerminalCore({ autoSync: false, ...options, dataDir: dir });
  const paired = await core.handlers['pairing.pair']({ code: await pairingCode(s), serverUrl });
  if (!paired.ok) throw new Error(JSON.stringify(paired.error));
  await syncOrThrow(core);
  await login(core);
  return Object.assign(core, { dir });
}

/** Logs the cashier in (a restarted core has no session). */
export async function login(core: TerminalCore): Promise<void> {
  const login = await core.handlers['cashier.login']({ code: CASHIER_CODE });
  if (!login.ok) throw new Error(JSON.stringify(login.error));
}

/** A full sync that must succeed. */
export async function syncOrThrow(core: TerminalCore): Promise<void> {
  const synced = await core.handlers['sync.now']({});
  if (!synced.ok) throw new Error(JSON.stringify(synced.error));
}

/** One sale of `quantity` milk to a buyer, paying `pointsToPay`; answers the receipt id. */
export async function sell(
  core: TerminalCore,
  buyerId: string,
  pointsToPay = 0,
  quantity = 1,
): Promise<string> {
  const sale = await core.handlers['sale.commit']({
    buyerId,
    identifiedBy: 'manual',
    lines: [{ productId: PRODUCT_SKU, quantity: quantity * 1000 }],
    pointsToPay,
  });
  if (!sale.ok) throw new Error(JSON.stringify(sale.error));
  return sale.value.receiptId;
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ops in the terminal's outbox by status. */
export function outboxStatuses(core: Pick<TerminalCore, 'ctx'>): Record<string, number> {
  const rows = core.ctx.db
    .prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status')
    .all();
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Receipt ids the terminal wrote, in its sequence order. */
export function terminalReceiptIds(core: Pick<TerminalCore, 'ctx'>): string[] {
  return core.ctx.db
    .prepare<[], { payload: string }>(`SELECT payload FROM outbox WHERE kind = 'receipt' ORDER BY seq`)
    .all()
    .map((row) => (JSON.parse(row.payload) as { receiptId: string }).receiptId);
}

/** The id the server gave the paired terminal. */
export function terminalIdOf(core: Pick<TerminalCore, 'ctx'>): string {
  const id = getIdentity(core.ctx.db).terminalId;
  if (!id) throw new Error('terminal not paired');
  return id;
}

/**
 * The end state every fault test demands: each of the terminal's receipts exactly once on the
 * server (and no others from it), every op applied, the ledger invariant for each buyer, and no
 * op left in the terminal's outbox.
 */
export async function expectRecovered(
  db: Db,
  core: Pick<TerminalCore, 'ctx'>,
  buyerIds: string[],
): Promise<void> {
  const receiptIds = terminalReceiptIds(core);
  expect(new Set(receiptIds).size).toBe(receiptIds.length);
  const terminalId = terminalIdOf(core);
  const onServer = await db
    .selectFrom('receipts')
    .select(['id', 'idempotency_key'])
    .where('idempotency_key', 'like', 'terminal:%')
    .where('id', 'in', receiptIds.length > 0 ? receiptIds : ['00000000-0000-0000-0000-000000000000'])
    .execute();
  expect(onServer.map((r) => r.id).sort()).toEqual([...receiptIds].sort());
  const ops = await db
    .selectFrom('sync_ops')
    .select(['seq', 'status'])
    .where('terminal_id', '=', terminalId)
    .orderBy('seq')
    .execute();
  const localOps = core.ctx.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? 0;
  expect(ops.map((op) => op.seq)).toEqual(Array.from({ length: localOps }, (_, i) => i + 1));
  expect(ops.every((op) => op.status === 'applied')).toBe(true);
  for (const buyerId of buyerIds) {
    const sides = await ledgerSides(db, buyerId);
    expect(sides.entries, `entries of ${buyerId}`).toBe(sides.balance);
    expect(sides.lots - sides.debt, `lots - debt of ${buyerId}`).toBe(sides.balance);
  }
  expect(outboxStatuses(core)).toEqual({ done: localOps });
}

/** Runs a node script with tsx from the repository root; resolves with how it ended. */
export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: new URL('../../..', import.meta.url).pathname,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}
