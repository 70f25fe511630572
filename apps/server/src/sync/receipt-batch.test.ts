// Set-based posting of a push chunk's receipts (issue 4, B3, C12): several receipts of one buyer
// in one chunk, each planned on the state the previous one left (a lot credited earlier in the
// chunk is spent when active, not when pending), the same answers as the op-by-op path, buyers
// mixed with anonymous receipts, replays, and a buyer moved by another writer between the
// chunk's read and its write (the chunk then goes op by op and nothing is lost).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditLots, ledgerSides, lockBuyer } from '#ledger/ledger.service.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import {
  buyerWithPoints,
  op,
  pairedTerminal,
  receiptPayload,
  shop,
  standardRule,
  type TerminalClient,
} from './sync.test-helper.ts';
import { applyReceiptBatch } from './receipt-batch.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type BuyerAnswer = { buyerId: string; balance: number; active: number; pending: number; debt: number };
type Result = {
  opId: string;
  seq: number;
  status: string;
  answer?: { receiptId: string; overdraft: number; buyer: BuyerAnswer | null };
  error?: { code: string };
};
type PushAnswer = { results: Result[]; nextSeq: number; resendFrom: number | null };

async function push(terminal: TerminalClient, ops: unknown[]): Promise<PushAnswer> {
  const response = await terminal.request('POST', '/api/v1/sync/push', { ops });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PushAnswer>();
}

async function expectInvariant(buyerId: string) {
  const sides = await ledgerSides(t.db, buyerId);
  expect(sides.entries).toBe(sides.balance);
  expect(sides.lots - sides.debt).toBe(sides.balance);
  return sides;
}

let phones = 0;
const phone = () => `+7902${String(++phones).padStart(7, '0')}`;

/**
 * One buyer with 10 points, three receipts priced while the till saw those 10 points: spend 10,
 * buy for 1,000.00 (accrues 20), spend 10 again. Posted set-based (applyReceiptBatch called
 * directly, so a fallback cannot hide a fault of its own), or pushed behind a profile edit, which
 * sends the chunk op by op: the reference path.
 */
async function threeReceipts(rule: object, opByOp: boolean) {
  const s = await shop(t, rule);
  const terminal = await pairedTerminal(t, s);
  const buyerId = await buyerWithPoints(s, phone(), 10_00);
  const receipts = [
    await receiptPayload(s, buyerId, 100_00, 10_00),
    await receiptPayload(s, buyerId, 1000_00, 0),
    await receiptPayload(s, buyerId, 100_00, 10_00),
  ];
  let results: Array<Result['answer']>;
  if (opByOp) {
    const ops: unknown[] = [op(1, 'buyer_update', { buyerId, changes: { firstName: 'Ольга' } })];
    receipts.forEach((receipt, i) => ops.push(op(i + 2, 'receipt', receipt)));
    const answer = await push(terminal, ops);
    expect(answer.results.map((r) => r.status)).toEqual(ops.map(() => 'applied'));
    results = answer.results.slice(1).map((r) => r.answer);
  } else {
    const ops = receipts.map((receipt, i) => op(i + 1, 'receipt', receipt));
    const actor = { terminalId: terminal.id, merchantId: s.owner.merchantId, storeId: s.storeId };
    const batched = await t.db.transaction().execute((trx) => applyReceiptBatch(trx, actor, ops));
    if (!(batched instanceof Map)) throw new Error(`the chunk was not posted set-based: ${batched}`);
    results = ops.map((o) => {
      const outcome = batched.get(o.opId);
      if (!outcome?.ok) throw new Error('an op has no outcome');
      return outcome.answer as Result['answer'];
    });
  }
  // Ids differ between the two runs; the figures must not.
  const answers = results.map((r, i) => ({
    ownReceipt: r?.receiptId === receipts[i]?.receiptId,
    overdraft: r?.overdraft,
    figures: { ...r?.buyer, buyerId: r?.buyer?.buyerId === buyerId },
  }));
  return { buyerId, receipts, answers, sides: await expectInvariant(buyerId) };
}

describe('set-based posting of a push chunk (issue 4)', () => {
  it('plans a buyer’s receipts in order: an active lot credited earlier in the chunk is spent', async () => {
    const batch = await threeReceipts(standardRule, false);
    expect(batch.answers.map((a) => a.overdraft)).toEqual([0, 0, 0]);
    // The third receipt found no manual points left: it spent lots the first two credited.
    const taken = await t.db
      .selectFrom('lot_consumptions as c')
      .innerJoin('point_lots as l', 'l.id', 'c.lot_id')
      .select(['l.receipt_id', 'c.points'])
      .where('c.operation_id', '=', batch.receipts[2]?.receiptId ?? '')
      .execute();
    expect(taken.reduce((a, c) => a + Number(c.points), 0)).toBe(10_00);
    for (const c of taken)
      expect([batch.receipts[0]?.receiptId, batch.receipts[1]?.receiptId]).toContain(c.receipt_id);
    // 10 - 10 + 2 (2 % of 90, rounded) + 20 - 10 + 2
    expect(batch.sides).toMatchObject({ balance: 14_00, debt: 0 });
    // The same rows and answers as op by op.
    const reference = await threeReceipts(standardRule, true);
    expect(batch.answers).toEqual(reference.answers);
    expect(batch.sides).toEqual(reference.sides);
  });

  it('does not spend a lot that is still pending: the spend becomes overdraft, as op by op', async () => {
    const later = { ...standardRule, activation: { kind: 'after_days', days: 14 } };
    const batch = await threeReceipts(later, false);
    expect(batch.answers.map((a) => a.overdraft)).toEqual([0, 0, 10_00]);
    // Accruals repay debt even while pending: 10 owed, 2 repaid by the third receipt's accrual.
    expect(batch.sides).toMatchObject({ debt: 8_00 });
    expect(batch.answers[2]?.figures).toMatchObject({ debt: 8_00, active: 0 });
    const reference = await threeReceipts(later, true);
    expect(batch.answers).toEqual(reference.answers);
    expect(batch.sides).toEqual(reference.sides);
  });

  it('mixes buyers and anonymous receipts: counters, lines and ledger per buyer', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const a = await buyerWithPoints(s, phone(), 50_00);
    const b = await buyerWithPoints(s, phone(), 0);
    const payloads = [
      await receiptPayload(s, a, 200_00, 50_00),
      await receiptPayload(s, b, 300_00, 0),
      await receiptPayload(s, null, 100_00, 0),
      await receiptPayload(s, a, 500_00, 0),
    ];
    const answer = await push(
      terminal,
      payloads.map((p, i) => op(i + 1, 'receipt', p)),
    );
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(answer.results.map((r) => r.answer?.buyer?.buyerId ?? null)).toEqual([a, b, null, a]);
    expect(answer.nextSeq).toBe(5);
    const rows = await t.db
      .selectFrom('buyers')
      .select(['id', 'purchases_count', 'purchases_total', 'last_store_id', 'balance'])
      .where('id', 'in', [a, b])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a)).toMatchObject({
      purchases_count: 2,
      purchases_total: 700_00,
      last_store_id: s.storeId,
    });
    expect(byId.get(b)).toMatchObject({ purchases_count: 1, purchases_total: 300_00 });
    // a: 50 - 50 + 2 % of 150 (3) + 2 % of 500 (10); b: 2 % of 300 (6)
    expect((await expectInvariant(a)).balance).toBe(13_00);
    expect((await expectInvariant(b)).balance).toBe(6_00);
    expect(answer.results[3]?.answer?.buyer?.balance).toBe(13_00);
    const booked = await t.db
      .selectFrom('receipts')
      .select(['id', 'terminal_seq', 'buyer_id', 'source'])
      .where('merchant_id', '=', s.owner.merchantId)
      .orderBy('terminal_seq')
      .execute();
    expect(booked.map((r) => [r.terminal_seq, r.buyer_id, r.source])).toEqual([
      [1, a, 'terminal'],
      [2, b, 'terminal'],
      [3, null, 'terminal'],
      [4, a, 'terminal'],
    ]);
    const lines = await t.db
      .selectFrom('receipt_lines')
      .select('receipt_id')
      .where('merchant_id', '=', s.owner.merchantId)
      .execute();
    expect(lines).toHaveLength(4);
    // Entries name their receipt and the terminal that pushed it.
    const entries = await t.db
      .selectFrom('ledger_entries')
      .select(['receipt_id', 'actor_type', 'actor_id', 'kind'])
      .where('buyer_id', '=', a)
      .where('receipt_id', 'is not', null)
      .execute();
    expect(entries.map((e) => e.kind).sort()).toEqual(['accrual', 'accrual', 'redemption']);
    for (const e of entries) expect(e).toMatchObject({ actor_type: 'terminal', actor_id: terminal.id });
  });

  it('upgrades the card type once when a buyer crosses the threshold inside a chunk (C2)', async () => {
    const s = await shop(t);
    const silver = await s.owner.request('POST', '/api/v1/card-types', {
      name: 'Серебряная',
      rank: 1,
      threshold: 1000_00,
      issue: 'threshold',
      defaultRule: standardRule,
    });
    expect(silver.statusCode, silver.body).toBe(201);
    const silverId = silver.json<{ id: string }>().id;
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, phone(), 0);
    const payloads = [
      await receiptPayload(s, buyerId, 600_00, 0),
      await receiptPayload(s, buyerId, 400_00, 0),
      await receiptPayload(s, buyerId, 100_00, 0),
    ];
    const answer = await push(
      terminal,
      payloads.map((p, i) => op(i + 1, 'receipt', p)),
    );
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const row = await t.db
      .selectFrom('buyers')
      .select(['card_type_id', 'purchases_total', 'purchases_count'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ card_type_id: silverId, purchases_total: 1100_00, purchases_count: 3 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', buyerId)
      .where('action', 'like', 'card_type.%')
      .execute();
    expect(audit).toEqual([{ action: 'card_type.upgrade', after: { cardTypeId: silverId } }]);
    await expectInvariant(buyerId);
  });

  it('a replayed chunk answers duplicates with the first answers; a partly new one applies only the new ops', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, phone(), 30_00);
    const ops = [
      op(1, 'receipt', await receiptPayload(s, buyerId, 300_00, 30_00)),
      op(2, 'receipt', await receiptPayload(s, buyerId, 200_00, 0)),
    ];
    const first = await push(terminal, ops);
    const sides = await expectInvariant(buyerId);
    const again = await push(terminal, ops);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.results.map((r) => r.answer)).toEqual(first.results.map((r) => r.answer));
    expect(await expectInvariant(buyerId)).toEqual(sides);
    const third = op(3, 'receipt', await receiptPayload(s, buyerId, 100_00, 0));
    const more = await push(terminal, [...ops, third]);
    expect(more.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'applied']);
    const booked = await t.db.selectFrom('receipts').select('id').where('buyer_id', '=', buyerId).execute();
    expect(booked).toHaveLength(3);
    expect((await expectInvariant(buyerId)).balance).toBe(sides.balance + 2_00);
  });

  it('a buyer moved between the chunk’s read and its write: the chunk goes op by op, nothing is lost', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, phone(), 10_00);
    const ops = [
      op(1, 'receipt', await receiptPayload(s, buyerId, 100_00, 10_00)),
      op(2, 'receipt', await receiptPayload(s, buyerId, 500_00, 0)),
    ];
    let pushing: Promise<PushAnswer> | null = null;
    // An online change of the buyer, committed only once the push waits on the buyer's row: the
    // push read the buyer before it, so its guarded write must miss.
    await t.db.transaction().execute(async (trx) => {
      await lockBuyer(trx, s.owner.merchantId, buyerId);
      await creditLots(
        trx,
        {
          merchantId: s.owner.merchantId,
          buyerId,
          operationId: randomUUID(),
          now: new Date(),
          reason: 'Начисление онлайн',
          actorType: 'system',
        },
        'manual',
        [{ source: 'manual', points: 500_00, activatesAt: new Date(), expiresAt: null }],
      );
      pushing = push(terminal, ops);
      for (let i = 0; ; i++) {
        const waiting = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.db);
        if ((waiting.rows[0]?.n ?? 0) > 0) break;
        if (i > 500) throw new Error('the push never waited on the buyer');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    const answer = await (pushing as unknown as Promise<PushAnswer>);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // 10 + 500 (online) - 10 + 2 (2 % of 90) + 10 (2 % of 500)
    const sides = await expectInvariant(buyerId);
    expect(sides).toMatchObject({ balance: 512_00, debt: 0 });
    expect(answer.results[1]?.answer?.buyer?.balance).toBe(512_00);
  });

  it('pushes from several tills racing online confirms on the same buyer lose no change', async () => {
    const s = await shop(t);
    const buyerId = await buyerWithPoints(s, phone(), 1000_00);
    const tills = await Promise.all([1, 2, 3].map((n) => pairedTerminal(t, s, `Касса ${n}`)));
    const batches = await Promise.all(
      tills.map(async () => {
        const ops = [];
        for (let i = 1; i <= 8; i++)
          ops.push(op(i, 'receipt', await receiptPayload(s, buyerId, 100_00 * i, i % 2 ? 10_00 : 0)));
        return ops;
      }),
    );
    const confirms = Array.from({ length: 12 }, (_, i) =>
      s.owner.request('POST', '/api/v1/purchases/confirm', {
        idempotencyKey: `race-${i}-${randomUUID()}`,
        storeId: s.storeId,
        buyer: { buyerId },
        lines: [{ productId: 'milk', price: 50_00 + i * 100, quantity: 1000 }],
        pointsToPay: 5_00,
      }),
    );
    const [answers, online] = await Promise.all([
      Promise.all(tills.map((till, i) => push(till, batches[i] ?? []))),
      Promise.all(confirms),
    ]);
    for (const answer of answers) expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
    expect(online.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    const booked = await t.db
      .selectFrom('receipts')
      .select([
        (e) => e.fn.countAll<number>().as('n'),
        (e) => e.fn.sum<number>('accrual').as('accrued'),
        (e) => e.fn.sum<number>('points_paid').as('paid'),
      ])
      .where('buyer_id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(Number(booked.n)).toBe(3 * 8 + 12);
    const sides = await expectInvariant(buyerId);
    // No debt arose, so every accrued and paid point is in the balance exactly once.
    expect(sides.debt).toBe(0);
    expect(sides.balance).toBe(1000_00 + Number(booked.accrued) - Number(booked.paid));
  });
});
