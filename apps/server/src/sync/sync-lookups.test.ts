// The contract gaps a till hit (SYNC.md): the pair answer's lastSeq, the QR key in `settings`,
// buyer snapshots in the push answer, the receipt lookup for returns at another till, and coupon
// counters on demand. Real PostgreSQL, requests through the app.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrPublicKeyFor } from '#qr/qr-keys.service.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { pairedTerminal, shop, type Shop, type TerminalClient } from './sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function buyer(s: Shop, phone: string, points: number): Promise<string> {
  const created = await s.owner.request('POST', '/api/v1/buyers', { phone });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<{ id: string }>().id;
  if (points === 0) return id;
  const r = await s.owner.request('POST', `/api/v1/buyers/${id}/points`, {
    operation: 'accrue',
    points,
    reason: 'Стартовый баланс',
  });
  expect(r.statusCode, r.body).toBe(200);
  return id;
}

/** A receipt op priced by the API's dry run, as a till would price it. */
async function receiptOp(s: Shop, seq: number, buyerId: string | null, number: string, pointsToPay = 0) {
  const lines = [
    { productId: 'milk', price: 200_00, quantity: 2000 },
    { productId: 'bread', price: 50_00, quantity: 1000 },
  ];
  const calc = await s.owner.request('POST', '/api/v1/purchases/calculate', {
    storeId: s.storeId,
    buyer: buyerId ? { buyerId } : null,
    lines,
    pointsToPay,
  });
  expect(calc.statusCode, calc.body).toBe(200);
  const calculation = calc.json<{ calculation: { rulesVersion: string } }>().calculation;
  const receiptId = randomUUID();
  return {
    receiptId,
    op: {
      opId: randomUUID(),
      seq,
      kind: 'receipt',
      occurredAt: Date.now(),
      payload: {
        receiptId,
        number,
        storeId: s.storeId,
        cashierId: null,
        buyerId,
        identifiedBy: buyerId ? 'phone' : null,
        lines,
        coupons: [],
        pointsToPay,
        calculation,
        rulesVersion: calculation.rulesVersion,
        holdId: null,
        offline: true,
      },
    },
  };
}

async function push(terminal: TerminalClient, ops: unknown[]) {
  const response = await terminal.request('POST', '/api/v1/sync/push', { ops });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    results: Array<{ status: string }>;
    buyers?: { items: Array<{ id: string; balance: number; lots: unknown[] }>; appliedSeq: number };
  }>();
}

describe('sync contract additions', () => {
  it('answers lastSeq at pairing, so a reinstalled till continues above it', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    await push(terminal, [(await receiptOp(s, 1, null, '1')).op, (await receiptOp(s, 2, null, '2')).op]);
    const code = await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`);
    expect(code.statusCode, code.body).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pair',
      payload: { code: code.json<{ pairingCode: string }>().pairingCode },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ terminalId: terminal.id, lastSeq: 2 });
  });

  it('ships the QR public key in the settings stream', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const page = await terminal.request('GET', '/api/v1/sync/pull?stream=settings');
    expect(page.statusCode, page.body).toBe(200);
    const key = page.json<{ items: Array<{ qrPublicKey: string | null }> }>().items[0]?.qrPublicKey;
    expect(key).toBe(await qrPublicKeyFor(t.db, s.owner.merchantId));
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
  });

  it('answers a push with fresh snapshots of the buyers it moved and the applied seq', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyer(s, '+79001230001', 300_00);
    const sale = await receiptOp(s, 1, buyerId, '1', 100_00);
    const answer = await push(terminal, [sale.op, (await receiptOp(s, 2, null, '2')).op]);
    expect(answer.buyers?.appliedSeq).toBe(2);
    const row = await t.db
      .selectFrom('buyers')
      .select('balance')
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(answer.buyers?.items.map((b) => [b.id, b.balance])).toEqual([[buyerId, Number(row.balance)]]);
    expect(Number(row.balance)).toBe(300_00 - 100_00 + 7_00);
    // A retry (the first answer lost) still carries the snapshot, read now.
    const retry = await push(terminal, [sale.op]);
    expect(retry.results[0]?.status).toBe('duplicate');
    expect(retry.buyers?.items[0]?.balance).toBe(Number(row.balance));
  });

  it('looks up a receipt of another till by id or number, with what was returned', async () => {
    const s = await shop(t);
    const seller = await pairedTerminal(t, s, 'Касса 1');
    const other = await pairedTerminal(t, s, 'Касса 2');
    const buyerId = await buyer(s, '+79001230002', 0);
    const sale = await receiptOp(s, 1, buyerId, '77');
    await push(seller, [sale.op]);
    const ret = {
      opId: randomUUID(),
      seq: 1,
      kind: 'return',
      occurredAt: Date.now(),
      payload: {
        returnId: randomUUID(),
        receiptId: sale.receiptId,
        lines: [{ index: 0, quantity: 1000 }],
        cashierId: null,
      },
    };
    expect((await push(other, [ret])).results[0]?.status).toBe('applied');

    const byNumber = await other.request('GET', '/api/v1/sync/receipts/lookup?number=77');
    expect(byNumber.statusCode, byNumber.body).toBe(200);
    const found = byNumber.json<{
      receipt: { id: string; buyerId: string; returned: number[]; returns: unknown[]; calculation: unknown };
    }>().receipt;
    expect(found).toMatchObject({ id: sale.receiptId, buyerId, returned: [1000, 0] });
    expect(found.returns).toEqual([
      {
        returnId: ret.payload.returnId,
        lines: [{ index: 0, quantity: 1000 }],
        createdAt: expect.any(Number) as unknown,
      },
    ]);
    expect(found.calculation).toMatchObject({ totals: { amount: 450_00 } });
    const byId = await other.request('GET', `/api/v1/sync/receipts/lookup?receiptId=${sale.receiptId}`);
    expect(byId.json<{ receipt: { number: string } }>().receipt.number).toBe('77');

    // Both tills printed a receipt No 78: the number alone is ambiguous.
    await push(seller, [(await receiptOp(s, 2, null, '78')).op]);
    await push(other, [(await receiptOp(s, 2, null, '78')).op]);
    const twice = await other.request('GET', '/api/v1/sync/receipts/lookup?number=78');
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ code: string; details: { candidates: unknown[] } }>()).toMatchObject({
      code: 'receipt_number_ambiguous',
      details: { candidates: [expect.anything(), expect.anything()] },
    });
    // Another merchant's terminal never sees it.
    const stranger = await pairedTerminal(t, await shop(t));
    const hidden = await stranger.request('GET', `/api/v1/sync/receipts/lookup?receiptId=${sale.receiptId}`);
    expect(hidden.statusCode).toBe(404);
  });

  it('answers coupon counters for a buyer, with the applied seq', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const promo = await s.owner.request('POST', '/api/v1/promotions', {
      name: 'Минус 10% по купону',
      effect: { kind: 'discount_percent', percent: 1000 },
    });
    const series = await s.owner.request('POST', '/api/v1/coupon-series', {
      name: 'Весна',
      promotionId: promo.json<{ id: string }>().id,
      usage: 'multi',
      codes: { kind: 'shared', code: 'SPRING10' },
    });
    expect(series.statusCode, series.body).toBe(201);
    const buyerId = await buyer(s, '+79001230003', 0);
    const confirm = await s.owner.request('POST', '/api/v1/purchases/confirm', {
      idempotencyKey: randomUUID(),
      storeId: s.storeId,
      buyer: { buyerId },
      lines: [{ productId: 'p1', price: 1000_00, quantity: 1000 }],
      coupons: ['SPRING10'],
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const looked = await terminal.request(
      'GET',
      `/api/v1/sync/coupons/lookup?codes=spring10,NOPE&buyerId=${buyerId}`,
    );
    expect(looked.statusCode, looked.body).toBe(200);
    expect(looked.json()).toMatchObject({
      appliedSeq: 0,
      coupons: [
        {
          code: 'SPRING10',
          seriesId: series.json<{ id: string }>().id,
          uses: 1,
          buyerUses: 1,
          blocked: false,
        },
        { code: 'NOPE', seriesId: null, uses: 0 },
      ],
    });
  });
});
