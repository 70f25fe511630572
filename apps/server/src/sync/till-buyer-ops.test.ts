// The till's buyer work on the server (A2, A4, D2, D6): the questionnaire with category conditions
// in the `settings` stream (and again after it changes), registration without a code leaving the
// buyer pending, the `buyer_consent` op with its proof, `buyer_update` field by field in
// application order with audit, and the lookup's recent receipts for the buyer panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import {
  buyerWithPoints,
  op,
  pairedTerminal,
  receiptPayload,
  shop,
  type Shop,
  type TerminalClient,
} from './sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Settings = {
  items: Array<{
    questionnaire: {
      standardFields: Record<string, { enabled: boolean; required: boolean }>;
      fields: Array<{ key: string; required: boolean; requiredForCategoryIds: string[]; kind: string }>;
    };
  }>;
  cursor: string;
};
type PushAnswer = { results: Array<{ status: string; answer?: unknown; error?: { code: string } }> };

const pull = async (till: TerminalClient, cursor?: string) => {
  const res = await till.request(
    'GET',
    `/api/v1/sync/pull?stream=settings${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Settings>();
};

const push = async (till: TerminalClient, ops: unknown[]) => {
  const res = await till.request('POST', '/api/v1/sync/push', { ops });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PushAnswer>();
};

const registration = (buyerId: string, phone: string, extra: object = {}) => ({
  buyerId,
  phone,
  firstName: 'Ольга',
  lastName: null,
  birthDate: null,
  gender: null,
  email: null,
  cardNumber: null,
  answers: {},
  consents: [],
  referrerId: null,
  ...extra,
});

describe('the questionnaire in the settings stream', () => {
  let s: Shop;
  let till: TerminalClient;
  let categoryId: string;
  beforeAll(async () => {
    s = await shop(t);
    till = await pairedTerminal(t, s);
    const category = await s.owner.request('POST', '/api/v1/categories', { name: 'Алкоголь' });
    categoryId = category.json<{ id: string }>().id;
  });

  it('refuses categories the merchant does not have, in Russian, and keeps the valid ones', async () => {
    const stray = await s.owner.request('POST', '/api/v1/questionnaire/fields', {
      key: 'passport',
      label: 'Паспорт',
      kind: 'text',
      requiredCategoryIds: ['0195a000-0000-7000-8000-00000000dead'],
    });
    expect(stray.statusCode).toBe(400);
    expect(stray.json()).toMatchObject({
      code: 'category_not_found',
      details: { categoryIds: ['0195a000-0000-7000-8000-00000000dead'] },
    });
    expect(stray.json<{ message: string }>().message).toMatch(/категор/);
    const created = await s.owner.request('POST', '/api/v1/questionnaire/fields', {
      key: 'passport',
      label: 'Паспорт',
      kind: 'text',
      requiredCategoryIds: [categoryId],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ required: false, requiredCategoryIds: [categoryId] });
  });

  it('carries the form to the till and again after a field changes', async () => {
    await s.owner.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      lastName: { enabled: true, required: true },
      middleName: { enabled: false, required: false },
    });
    const first = await pull(till);
    const q = first.items[0]?.questionnaire;
    expect(q?.standardFields.lastName).toEqual({ enabled: true, required: true });
    expect(q?.standardFields.middleName).toEqual({ enabled: false, required: false });
    expect(q?.fields).toEqual([
      expect.objectContaining({
        key: 'passport',
        kind: 'text',
        required: false,
        requiredForCategoryIds: [categoryId],
      }),
    ]);
    // Nothing changed: nothing comes.
    expect((await pull(till, first.cursor)).items).toEqual([]);

    const fields = await s.owner.request('GET', '/api/v1/questionnaire');
    const passport = fields
      .json<{ fields: Array<{ id: string; key: string }> }>()
      .fields.find((f) => f.key === 'passport');
    await s.owner.request('PATCH', `/api/v1/questionnaire/fields/${passport?.id}`, { required: true });
    const second = await pull(till, first.cursor);
    expect(second.items[0]?.questionnaire.fields[0]).toMatchObject({ key: 'passport', required: true });

    // A deleted field leaves the form on the next pull, and a disabled one is never sent.
    await s.owner.request('POST', '/api/v1/questionnaire/fields', {
      key: 'pet',
      label: 'Питомец',
      kind: 'list',
      options: ['кошка', 'собака'],
      enabled: false,
    });
    await s.owner.request('DELETE', `/api/v1/questionnaire/fields/${passport?.id}`);
    const third = await pull(till, second.cursor);
    expect(third.items[0]?.questionnaire.fields).toEqual([]);
  });
});

describe('consent after an offline registration', () => {
  it('keeps the buyer pending until a buyer_consent op brings the code, then records the proof', async () => {
    const s = await shop(t);
    const till = await pairedTerminal(t, s);
    const cashier = await s.owner.request('POST', '/api/v1/cashiers', {
      name: 'Иванова',
      storeId: s.storeId,
      code: '135790',
    });
    const cashierId = cashier.json<{ id: string }>().id;
    const buyerId = '0195a000-0000-7000-8000-00000000e001';
    const registered = await push(till, [
      op(1, 'buyer_registration', registration(buyerId, '+79165550001', { consentPending: true })),
    ]);
    expect(registered.results[0]?.status).toBe('applied');
    const lookup = await till.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${buyerId}`);
    expect(lookup.json<{ buyer: { consentPending: boolean } }>().buyer.consentPending).toBe(true);
    const none = await t.db
      .selectFrom('buyer_consents')
      .select('id')
      .where('buyer_id', '=', buyerId)
      .execute();
    expect(none).toEqual([]);

    // A consent op without a code is not proof: dead-lettered, the buyer stays pending.
    const confirmedAt = Date.now();
    const noCode = await push(till, [
      op(2, 'buyer_consent', {
        buyerId,
        consents: [{ kind: 'sms', channel: 'till', textVersion: 'v1', confirmedAt, code: null, cashierId }],
      }),
    ]);
    expect(noCode.results[0]).toMatchObject({ status: 'dead_letter', error: { code: 'invalid_payload' } });

    const consent = op(3, 'buyer_consent', {
      buyerId,
      consents: ['sms', 'advertising'].map((kind) => ({
        kind,
        channel: 'till',
        textVersion: 'till-consent-2026-01',
        confirmedAt,
        code: '482913',
        cashierId,
      })),
    });
    const confirmed = await push(till, [consent]);
    expect(confirmed.results[0]).toMatchObject({ status: 'applied', answer: { buyerId } });
    // The same op again is a duplicate: no second set of consents.
    const again = await push(till, [consent]);
    expect(again.results[0]?.status).toBe('duplicate');

    const rows = await t.db
      .selectFrom('buyer_consents')
      .select(['kind', 'granted', 'channel', 'text_version', 'code', 'cashier_id', 'recorded_at'])
      .where('buyer_id', '=', buyerId)
      .orderBy('kind')
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatchObject({
        granted: true,
        channel: 'till',
        text_version: 'till-consent-2026-01',
        code: '482913',
        cashier_id: cashierId,
      });
    expect(rows[0]?.recorded_at.getTime()).toBe(confirmedAt);
    const buyer = await t.db
      .selectFrom('buyers')
      .select('consent_pending')
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(buyer.consent_pending).toBe(false);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', buyerId)
      .execute();
    expect(audit).toEqual([{ action: 'buyer.consent_confirmed', actor_id: `terminal:${till.id}` }]);
  });
});

describe('buyer_update from tills', () => {
  it('writes only the fields named, the later op winning per field, and audits each change', async () => {
    const s = await shop(t);
    const tillA = await pairedTerminal(t, s, 'Касса A');
    const tillB = await pairedTerminal(t, s, 'Касса B');
    const buyerId = await buyerWithPoints(s, '+79165550002', 0);
    // Till A's op was made later by its clock, but the server applies B's after it: B wins the
    // first name; the e-mail only A changed stays A's.
    const a = op(1, 'buyer_update', { buyerId, changes: { firstName: 'Анна', email: 'anna@example.ru' } });
    a.occurredAt = Date.now() + 3_600_000;
    expect((await push(tillA, [a])).results[0]?.status).toBe('applied');
    const b = op(1, 'buyer_update', { buyerId, changes: { firstName: 'Анастасия', lastName: 'Котова' } });
    expect((await push(tillB, [b])).results[0]?.status).toBe('applied');
    const row = await t.db
      .selectFrom('buyers')
      .select(['first_name', 'last_name', 'email'])
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ first_name: 'Анастасия', last_name: 'Котова', email: 'anna@example.ru' });
    // Replayed: a duplicate, nothing written again.
    expect((await push(tillA, [a])).results[0]?.status).toBe('duplicate');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'before', 'after'])
      .where('entity_id', '=', buyerId)
      .where('action', '=', 'buyer.update')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'buyer.update',
        actor_id: `terminal:${tillA.id}`,
        before: { firstName: null, email: null },
        after: { firstName: 'Анна', email: 'anna@example.ru' },
      },
      {
        action: 'buyer.update',
        actor_id: `terminal:${tillB.id}`,
        before: { firstName: 'Анна', lastName: null },
        after: { firstName: 'Анастасия', lastName: 'Котова' },
      },
    ]);
    // The buyers stream carries the edited fields to the tills.
    const lookup = await tillA.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${buyerId}`);
    expect(lookup.json<{ buyer: object }>().buyer).toMatchObject({
      firstName: 'Анастасия',
      email: 'anna@example.ru',
      consentPending: false,
    });
  });

  it("refuses another buyer's phone as a dead letter", async () => {
    const s = await shop(t);
    const till = await pairedTerminal(t, s);
    await buyerWithPoints(s, '+79165550003', 0);
    const buyerId = await buyerWithPoints(s, '+79165550004', 0);
    const taken = await push(till, [op(1, 'buyer_update', { buyerId, changes: { phone: '+79165550003' } })]);
    expect(taken.results[0]).toMatchObject({ status: 'dead_letter', error: { code: 'phone_taken' } });
  });
});

describe('the buyer lookup for the panel', () => {
  it('answers the latest receipts of the buyer, newest first', async () => {
    const s = await shop(t);
    const till = await pairedTerminal(t, s);
    const buyerId = await buyerWithPoints(s, '+79165550005', 0);
    const first = await receiptPayload(s, buyerId, 100_00, 0);
    const second = await receiptPayload(s, buyerId, 250_00, 0);
    const pushed = await push(till, [op(1, 'receipt', first), op(2, 'receipt', second)]);
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const lookup = await till.request('GET', `/api/v1/sync/buyers/lookup?buyerId=${buyerId}`);
    expect(lookup.statusCode, lookup.body).toBe(200);
    const recent = lookup.json<{ recentReceipts: Array<{ receiptId: string; paidMoney: number }> }>()
      .recentReceipts;
    expect(recent.map((r) => r.receiptId).sort()).toEqual([first.receiptId, second.receiptId].sort());
    expect(recent.find((r) => r.receiptId === second.receiptId)?.paidMoney).toBe(250_00);
  });
});
