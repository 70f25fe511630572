// Push (B3): the op log's answers (applied, duplicate, conflict, gap, dead letter), receipts never
// refused (overdraft booked and repaid later, the ledger invariant intact), batches retried in
// parallel booked once, returns and registrations merged by phone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerSides } from '#ledger/ledger.service.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import {
  buyerWithPoints,
  pairedTerminal,
  receiptPayload,
  shop,
  type TerminalClient,
} from './sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Result = {
  opId: string;
  seq: number;
  status: string;
  answer?: Record<string, unknown>;
  error?: { code: string };
};
type PushAnswer = { results: Result[]; nextSeq: number; resendFrom: number | null };

const op = <P>(seq: number, kind: string, payload: P) => ({
  opId: randomUUID(),
  seq,
  kind,
  occurredAt: Date.now(),
  payload,
});

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

describe('push (B3)', () => {
  it('answers applied, duplicate, conflict, gap and dead letter per op', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, '+79001234501', 0);
    const first = op(1, 'receipt', await receiptPayload(s, buyerId, 500_00, 0));
    const bad = op(2, 'receipt', { receiptId: 'nope' });
    const unknown = op(3, 'teleport', {});
    const answer = await push(terminal, [first, bad, unknown]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'dead_letter', 'dead_letter']);
    expect(answer.results[1]?.error?.code).toBe('invalid_payload');
    expect(answer.results[2]?.error?.code).toBe('unknown_kind');
    expect(answer).toMatchObject({ nextSeq: 4, resendFrom: null });
    expect(answer.results[0]?.answer).toMatchObject({ overdraft: 0, buyer: { buyerId } });

    // The same ops again: duplicates with the stored answers, nothing booked twice.
    const again = await push(terminal, [first, bad]);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.results[0]?.answer).toEqual(answer.results[0]?.answer);
    // A known op id with another payload, and a used seq under a new id: conflicts.
    const changed = { ...first, payload: { ...first.payload, number: 'другой' } };
    const reused = op(1, 'receipt', await receiptPayload(s, null, 100_00, 0));
    expect((await push(terminal, [changed])).results.map((r) => r.status)).toEqual(['conflict']);
    expect((await push(terminal, [reused])).results.map((r) => r.status)).toEqual(['conflict']);
    // A gap: nothing after it is applied, resend from the expected seq.
    const gap = await push(terminal, [op(6, 'receipt', await receiptPayload(s, null, 100_00, 0))]);
    expect(gap).toMatchObject({ results: [], resendFrom: 4, nextSeq: 4 });

    const receipts = await t.db
      .selectFrom('receipts')
      .select('id')
      .where('merchant_id', '=', s.owner.merchantId)
      .execute();
    expect(receipts).toHaveLength(1);
    const view = (await s.owner.request('GET', `/api/v1/terminals/${terminal.id}`)).json<unknown>();
    expect(view).toMatchObject({ lastSeq: 3, deadLetters: 2 });
    const letters = await s.owner.request('GET', `/api/v1/terminals/dead-letters?terminalId=${terminal.id}`);
    expect(
      letters
        .json<{ total: number; items: Array<{ reason: string }> }>()
        .items.map((d) => d.reason)
        .sort(),
    ).toEqual(['invalid_payload', 'unknown_kind']);
    // An envelope that is not one: 400 for the whole batch.
    const invalid = await terminal.request('POST', '/api/v1/sync/push', {
      ops: [op(5, 'receipt', {}), op(4, 'receipt', {})],
    });
    expect(invalid.statusCode).toBe(400);
    // Another merchant's terminal knows nothing of these ops.
    const other = await pairedTerminal(t, await shop(t));
    expect((await push(other, [first])).results[0]?.status).toBe('conflict');
  });

  it('books a spend beyond the balance as overdraft, flags it, and repays it from later accruals', async () => {
    const s = await shop(t);
    const till1 = await pairedTerminal(t, s, 'Касса 1');
    const till2 = await pairedTerminal(t, s, 'Касса 2');
    const buyerId = await buyerWithPoints(s, '+79001234502', 100_00);
    // Both tills were offline and saw the same 100 points: both spend them.
    const spend1 = await receiptPayload(s, buyerId, 1000_00, 100_00);
    const spend2 = await receiptPayload(s, buyerId, 1000_00, 100_00);
    const a1 = await push(till1, [op(1, 'receipt', spend1)]);
    const a2 = await push(till2, [op(1, 'receipt', spend2)]);
    expect(a1.results[0]).toMatchObject({ status: 'applied', answer: { overdraft: 0 } });
    // Each receipt accrues 2 % of 900.00 = 18 points: the second spend finds those 18 and books
    // 82 as overdraft; its own accrual then repays 18 of that debt.
    expect(a2.results[0]).toMatchObject({ status: 'applied', answer: { overdraft: 82_00 } });
    const afterSpend = await expectInvariant(buyerId);
    expect(afterSpend.debt).toBe(82_00 - 18_00);
    expect((await s.owner.request('GET', `/api/v1/terminals/${till2.id}`)).json()).toMatchObject({
      overdraftReceipts: 1,
    });

    // A later purchase accrues 2 % of 5,000.00 = 100 points: the debt is repaid in full first.
    const a3 = await push(till1, [op(2, 'receipt', await receiptPayload(s, buyerId, 5000_00, 0))]);
    expect(a3.results[0]?.status).toBe('applied');
    const repaid = await expectInvariant(buyerId);
    expect(repaid.debt).toBe(0);
    expect(repaid.balance).toBe(100_00 - 100_00 - 100_00 + 18_00 + 18_00 + 100_00);
  });

  it('books a batch retried 10 times in parallel exactly once', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, '+79001234503', 50_00);
    const ops = [
      op(1, 'receipt', await receiptPayload(s, buyerId, 300_00, 50_00)),
      op(2, 'receipt', await receiptPayload(s, buyerId, 200_00, 0)),
      op(3, 'receipt', await receiptPayload(s, null, 100_00, 0)),
    ];
    const answers = await Promise.all(Array.from({ length: 10 }, () => push(terminal, ops)));
    for (const answer of answers) {
      expect(answer.results.map((r) => r.status).every((st) => st === 'applied' || st === 'duplicate')).toBe(
        true,
      );
      expect(answer.nextSeq).toBe(4);
    }
    const applied = answers.flatMap((a) => a.results).filter((r) => r.status === 'applied');
    expect(applied).toHaveLength(3);
    const receipts = await t.db
      .selectFrom('receipts')
      .select(['id', 'terminal_seq'])
      .where('merchant_id', '=', s.owner.merchantId)
      .execute();
    expect(receipts.map((r) => r.terminal_seq).sort()).toEqual([1, 2, 3]);
    const sides = await expectInvariant(buyerId);
    expect(sides.debt).toBe(0);
  });

  it('applies returns of receipts from any terminal and dead-letters returns beyond the receipt', async () => {
    const s = await shop(t);
    const till1 = await pairedTerminal(t, s, 'Касса 1');
    const till2 = await pairedTerminal(t, s, 'Касса 2');
    const buyerId = await buyerWithPoints(s, '+79001234504', 20_00);
    const sale = await receiptPayload(s, buyerId, 1000_00, 20_00);
    await push(till1, [op(1, 'receipt', sale)]);
    const back = {
      returnId: randomUUID(),
      receiptId: sale.receiptId,
      lines: [{ index: 0, quantity: 1000 }],
      cashierId: null,
    };
    const answer = await push(till2, [
      op(1, 'return', back),
      op(2, 'return', { ...back, returnId: randomUUID() }),
      op(3, 'return', { ...back, returnId: randomUUID(), receiptId: randomUUID() }),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'dead_letter', 'dead_letter']);
    expect(answer.results[1]?.error?.code).toBe('return_exceeds_receipt');
    expect(answer.results[2]?.error?.code).toBe('receipt_not_found');
    const sides = await expectInvariant(buyerId);
    expect(sides.balance).toBe(20_00);
  });

  it('merges a registration whose phone is taken, and later ops follow the alias', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const existing = await buyerWithPoints(s, '+79001234505', 0);
    const offlineId = randomUUID();
    const registration = {
      buyerId: offlineId,
      phone: '8 (900) 123-45-05',
      firstName: 'Анна',
      lastName: null,
      birthDate: null,
      gender: null,
      email: null,
      cardNumber: null,
      answers: {},
      consents: [
        {
          kind: 'sms',
          channel: 'till',
          textVersion: 'v1',
          confirmedAt: Date.now(),
          code: null,
          cashierId: null,
        },
      ],
      referrerId: null,
    };
    const fresh = { ...registration, buyerId: randomUUID(), phone: '+79001234506' };
    const answer = await push(terminal, [
      op(1, 'buyer_registration', registration),
      op(2, 'buyer_registration', fresh),
      op(3, 'buyer_update', { buyerId: offlineId, changes: { firstName: 'Анна-Мария' } }),
      op(4, 'receipt', await receiptPayload(s, existing, 100_00, 0)),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(answer.results[0]?.answer).toEqual({ buyerId: existing, merged: true });
    expect(answer.results[1]?.answer).toEqual({ buyerId: fresh.buyerId, merged: false });
    const row = await t.db
      .selectFrom('buyers')
      .select(['first_name'])
      .where('id', '=', existing)
      .executeTakeFirstOrThrow();
    expect(row.first_name).toBe('Анна-Мария');
    const lookup = await terminal.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${offlineId}`);
    expect(lookup.json()).toMatchObject({ buyer: { id: existing }, appliedSeq: 4 });
  });

  it('holds points for an online sale and consumes the hold with the receipt', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, '+79001234507', 30_00);
    const hold = await terminal.request('POST', '/api/v1/sync/holds', {
      buyerId,
      points: 30_00,
      ttlSeconds: 60,
    });
    expect(hold.statusCode, hold.body).toBe(201);
    const tooMuch = await terminal.request('POST', '/api/v1/sync/holds', { buyerId, points: 1_00 });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'insufficient_points' });
    const holdId = hold.json<{ id: string }>().id;
    const sale = { ...(await receiptPayload(s, buyerId, 100_00, 0)), holdId };
    // Priced before the hold was placed would not see it; price it with the points now.
    const answer = await push(terminal, [op(1, 'receipt', sale)]);
    expect(answer.results[0]?.status).toBe('applied');
    const stored = await t.db
      .selectFrom('point_holds')
      .select('status')
      .where('id', '=', holdId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('consumed');
    const other = await pairedTerminal(t, await shop(t));
    expect((await other.request('DELETE', `/api/v1/sync/holds/${holdId}`)).statusCode).toBe(404);
  });

  it('a receipt that fails in PostgreSQL is dead-lettered alone; the rest of its batch applies', async () => {
    const a = await shop(t);
    const b = await shop(t);
    const tillA = await pairedTerminal(t, a);
    const tillB = await pairedTerminal(t, b);
    const first = await receiptPayload(a, null, 10_000, 0);
    expect((await push(tillA, [op(1, 'receipt', first)])).results[0]?.status).toBe('applied');
    // Another merchant's till reuses that receipt id: the insert violates the primary key.
    const clash = { ...(await receiptPayload(b, null, 20_000, 0)), receiptId: first.receiptId };
    const before = await receiptPayload(b, null, 30_000, 0);
    const after = await receiptPayload(b, null, 40_000, 0);
    const answer = await push(tillB, [
      op(1, 'receipt', before),
      op(2, 'receipt', clash),
      op(3, 'receipt', after),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'dead_letter', 'applied']);
    expect(answer.nextSeq).toBe(4);
    const booked = await t.db
      .selectFrom('receipts')
      .select('amount')
      .where('merchant_id', '=', b.owner.merchantId)
      .orderBy('amount')
      .execute();
    expect(booked.map((r) => r.amount)).toEqual([30_000, 40_000]);
  });
});
