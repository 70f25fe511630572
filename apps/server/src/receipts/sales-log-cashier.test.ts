// The cashier on every receipt and return (issue 6, B4, G5) on a real PostgreSQL: an online
// confirm (group commit and the single posting with a hold), synced receipts (the set-based chunk
// and the per-op path) and returns (API and sync) store the cashier they name; a till's unknown or
// foreign cashier is stored as null, the API refuses one with a 404 and writes nothing; the sales
// log filtered by one or several cashiers returns exactly their operations with the cashier's
// name, the XLSX export has the cashier column and honours the filter, and so does the summary.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetRows } from '#import-export/upload.test-helper.ts';
import { applyReceiptBatch } from '#sync/receipt-batch.ts';
import {
  pairedTerminal,
  receiptPayload,
  op,
  shop,
  type Shop,
  type TerminalClient,
} from '#sync/sync.test-helper.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

type Entry = {
  id: string;
  type: 'sale' | 'return';
  receiptId: string;
  cashierId: string | null;
  cashierName: string | null;
  total: number;
};
type Page = { items: Entry[]; total: number };
type PushAnswer = { results: Array<{ status: string }> };

let t: TestApp;
let s: Shop;
let till: TerminalClient;
let elena: string;
let igor: string;
let foreign: string;
/** Receipt and return ids by what made them. */
const made = {
  confirmElena: '',
  confirmIgorHold: '',
  syncedElena: '',
  syncedUnknown: '',
  syncedForeign: '',
  singleIgor: '',
  returnApiIgor: '',
  returnSyncElena: '',
  anonymousConfirm: '',
};

async function ok<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await s.owner.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<T>();
}

const cashier = async (name: string, storeId: string | null, owner = s.owner) => {
  const res = await owner.request('POST', '/api/v1/cashiers', { name, role: 'cashier', storeId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
};

async function push(ops: unknown[]): Promise<PushAnswer> {
  const res = await till.request('POST', '/api/v1/sync/push', { ops });
  expect(res.statusCode, res.body).toBe(200);
  const answer = res.json<PushAnswer>();
  expect(
    answer.results.map((r) => r.status),
    JSON.stringify(answer.results),
  ).toEqual(ops.map(() => 'applied'));
  return answer;
}

const lines = [{ productId: 'milk', price: 50_000, quantity: 2000 }];

beforeAll(async () => {
  t = await createTestApp();
  s = await shop(t);
  till = await pairedTerminal(t, s);
  elena = await cashier('Елена Петрова', s.storeId);
  igor = await cashier('Игорь Соколов', null);
  const other = await t.signIn('owner');
  const otherStore = await other.request('POST', '/api/v1/stores', {
    name: 'Чужой',
    address: 'ул. Чужая, 1',
  });
  foreign = await cashier('Чужой кассир', otherStore.json<{ id: string }>().id, other);
  const buyer = await ok<{ id: string }>('POST', '/api/v1/buyers', { phone: '+79005557711' });
  await ok('POST', `/api/v1/buyers/${buyer.id}/points`, {
    operation: 'accrue',
    points: 50_000,
    reason: 'Стартовый баланс',
  });

  // Online: an anonymous sale goes through the group commit, a sale with a hold posts alone.
  made.confirmElena = (
    await ok<{ receiptId: string }>('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `cashier-${randomUUID()}`,
      storeId: s.storeId,
      cashierId: elena,
      lines,
    })
  ).receiptId;
  const hold = await ok<{ id: string }>('POST', '/api/v1/holds', {
    buyer: { buyerId: buyer.id },
    points: 1_000,
  });
  made.confirmIgorHold = (
    await ok<{ receiptId: string }>('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `cashier-${randomUUID()}`,
      storeId: s.storeId,
      cashierId: igor,
      buyer: { buyerId: buyer.id },
      holdId: hold.id,
      pointsToPay: 1_000,
      lines,
    })
  ).receiptId;
  made.anonymousConfirm = (
    await ok<{ receiptId: string }>('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `cashier-${randomUUID()}`,
      storeId: s.storeId,
      lines,
    })
  ).receiptId;

  // A chunk of plain receipts posted set-based (called directly, so a fallback to the per-op
  // path cannot hide a fault of its own); the till's unknown and foreign cashiers become null.
  const withCashier = async (cashierId: string | null) => ({
    ...(await receiptPayload(s, buyer.id, 30_000, 0)),
    cashierId,
  });
  const batch = [await withCashier(elena), await withCashier(randomUUID()), await withCashier(foreign)];
  made.syncedElena = batch[0]?.receiptId ?? '';
  made.syncedUnknown = batch[1]?.receiptId ?? '';
  made.syncedForeign = batch[2]?.receiptId ?? '';
  const actor = { terminalId: till.id, merchantId: s.owner.merchantId, storeId: s.storeId };
  const batched = await t.db
    .transaction()
    // Seqs the op log never reaches: the push below starts at 1, and (terminal, seq) is unique.
    .execute((trx) =>
      applyReceiptBatch(
        trx,
        actor,
        batch.map((p, i) => op(100 + i, 'receipt', p)),
      ),
    );
  if (!(batched instanceof Map)) throw new Error(`the chunk was not posted set-based: ${batched}`);

  // A chunk with a return in it goes op by op: a receipt and the return of the synced sale.
  const single = await withCashier(igor);
  made.singleIgor = single.receiptId;
  made.returnSyncElena = randomUUID();
  await push([
    op(1, 'receipt', single),
    op(2, 'return', {
      returnId: made.returnSyncElena,
      receiptId: made.syncedElena,
      lines: [{ index: 0, quantity: 1000 }],
      cashierId: elena,
    }),
  ]);

  made.returnApiIgor = (
    await ok<{ returnId: string }>('POST', `/api/v1/purchases/${made.confirmElena}/return`, {
      idempotencyKey: `cashier-return-${randomUUID()}`,
      lines: [{ index: 0, quantity: 1000 }],
      cashierId: igor,
    })
  ).returnId;
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('the cashier on receipts and returns (issue 6, B4)', () => {
  it('stores the cashier every posting path was given, and null for a till’s unknown one', async () => {
    const receipts = await t.db.selectFrom('receipts').select(['id', 'cashier_id']).execute();
    const of = new Map(receipts.map((r) => [r.id, r.cashier_id]));
    expect(of.get(made.confirmElena)).toBe(elena);
    expect(of.get(made.confirmIgorHold)).toBe(igor);
    expect(of.get(made.anonymousConfirm)).toBeNull();
    expect(of.get(made.syncedElena)).toBe(elena);
    expect(of.get(made.syncedUnknown)).toBeNull();
    expect(of.get(made.syncedForeign)).toBeNull();
    expect(of.get(made.singleIgor)).toBe(igor);
    const returns = await t.db.selectFrom('receipt_returns').select(['id', 'cashier_id']).execute();
    expect(new Map(returns.map((r) => [r.id, r.cashier_id]))).toEqual(
      new Map([
        [made.returnSyncElena, elena],
        [made.returnApiIgor, igor],
      ]),
    );
  });

  it('refuses a foreign or unknown cashier on confirm and return with 404 and writes nothing', async () => {
    const count = async () =>
      (
        await t.db
          .selectFrom('receipts')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    for (const cashierId of [foreign, randomUUID()]) {
      const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
        idempotencyKey: `cashier-${randomUUID()}`,
        storeId: s.storeId,
        cashierId,
        lines,
      });
      expect(confirm.statusCode, confirm.body).toBe(404);
      expect(confirm.json()).toMatchObject({ code: 'cashier_not_found', details: { cashierId } });
      expect(confirm.json<{ message: string }>().message).toMatch(/^Кассир не найден/);
      const back = await s.owner.request('POST', `/api/v1/purchases/${made.anonymousConfirm}/return`, {
        idempotencyKey: `cashier-return-${randomUUID()}`,
        lines: [{ index: 0, quantity: 1000 }],
        cashierId,
      });
      expect(back.statusCode, back.body).toBe(404);
      expect(back.json()).toMatchObject({ code: 'cashier_not_found' });
    }
    expect(await count()).toBe(before);
    const returns = await t.db
      .selectFrom('receipt_returns')
      .select('id')
      .where('receipt_id', '=', made.anonymousConfirm)
      .execute();
    expect(returns).toEqual([]);
    const malformed = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: `cashier-${randomUUID()}`,
      storeId: s.storeId,
      cashierId: 'elena',
      lines,
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('filters the sales log by one or several cashiers and names them', async () => {
    const log = (query: string) => ok<Page>('GET', `/api/v1/sales-log?pageSize=100${query}`);
    const ids = (page: Page) => page.items.map((e) => e.id).sort();

    const byElena = await log(`&cashierId=${elena}`);
    expect(ids(byElena)).toEqual([made.confirmElena, made.syncedElena, made.returnSyncElena].sort());
    expect(byElena.total).toBe(3);
    expect(new Set(byElena.items.map((e) => e.cashierName))).toEqual(new Set(['Елена Петрова']));
    // The return the API took for Igor is of Elena's sale: it counts as Igor's, not hers.
    const byIgor = await log(`&cashierId=${igor}`);
    expect(ids(byIgor)).toEqual([made.confirmIgorHold, made.singleIgor, made.returnApiIgor].sort());
    expect(byIgor.items.find((e) => e.id === made.returnApiIgor)).toMatchObject({
      type: 'return',
      receiptId: made.confirmElena,
      cashierId: igor,
      cashierName: 'Игорь Соколов',
    });
    const both = await log(`&cashierId=${elena},${igor}&type=sale`);
    expect(ids(both)).toEqual(
      [made.confirmElena, made.syncedElena, made.confirmIgorHold, made.singleIgor].sort(),
    );
    const repeated = await log(`&cashierId=${elena}&cashierId=${igor}`);
    expect(repeated.total).toBe(6);
    // Unfiltered, the anonymous-cashier rows are there with null names.
    const all = await log('');
    expect(all.items.find((e) => e.id === made.syncedUnknown)).toMatchObject({
      cashierId: null,
      cashierName: null,
    });
    // Another merchant's cashier matches nothing here; a malformed id is a 400.
    expect((await log(`&cashierId=${foreign}`)).total).toBe(0);
    const bad = await s.owner.request('GET', '/api/v1/sales-log?cashierId=nobody');
    expect(bad.statusCode).toBe(400);
  });

  it('exports the cashier column with the filter, and the summary honours it', async () => {
    const res = await s.owner.request('GET', `/api/v1/exports/sales-log.xlsx?cashierId=${elena}`);
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...rows] = await sheetRows(res.rawPayload);
    const cashierColumn = header?.indexOf('Кассир') ?? -1;
    const idColumn = header?.indexOf('ID') ?? -1;
    expect(cashierColumn).toBeGreaterThan(0);
    expect(rows.map((r) => r[idColumn]).sort()).toEqual(
      [made.confirmElena, made.syncedElena, made.returnSyncElena].sort(),
    );
    expect(rows.map((r) => r[cashierColumn])).toEqual(rows.map(() => 'Елена Петрова'));

    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
    type Summary = { totals: { receipts: number; returns: number; revenue: number } };
    const summary = (query: string) =>
      ok<Summary>('GET', `/api/v1/reports/sales-summary?from=${day}&to=${day}${query}`);
    const elenaLog = await ok<Page>('GET', `/api/v1/sales-log?cashierId=${elena}`);
    const elenaSummary = await summary(`&cashierId=${elena}`);
    expect(elenaSummary.totals).toMatchObject({
      receipts: 2,
      returns: 1,
      revenue: elenaLog.items.reduce((sum, e) => sum + e.total, 0),
    });
    expect((await summary(`&cashierId=${elena}&cashierId=${igor}`)).totals.receipts).toBe(4);
    expect((await summary('')).totals.receipts).toBe(7);
  });
});
