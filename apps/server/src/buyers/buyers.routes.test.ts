// D1, D2, D6: registering buyers with consents, phones, questionnaire, referrers; changes, erasure,
// lookup, roles and merchant isolation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Buyer = {
  id: string;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  referrerId: string | null;
  answers: Record<string, unknown>;
  consents: Record<string, boolean>;
  cards: Array<{ id: string; number: string; status: string }>;
  stats: { balance: number };
};
type Problem = {
  code: string;
  message: string;
  details: { issues?: Array<{ path: string; code: string }> } | null;
};

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
});
afterAll(async () => {
  await t.close();
});

const create = (session: Session, body: object) => session.request('POST', '/api/v1/buyers', body);
let phoneCounter = 0;
/** A fresh valid phone for each buyer whose phone does not matter. */
const nextPhone = () => `+7 900 ${1_000_000 + ++phoneCounter}`;

describe('registering a buyer', () => {
  it('creates a buyer with consents and their proof, and shows the current decision', async () => {
    const cashier = await t.db
      .insertInto('cashiers')
      .values({
        merchant_id: owner.merchantId,
        name: 'Анна',
        role: 'cashier',
        code_hash: 'x',
        code_lookup: Buffer.from('a1'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await create(owner, {
      phone: '8 912 111-22-33',
      firstName: 'Денис',
      lastName: 'Дедюхин',
      email: 'Denis@Example.com',
      gender: 'male',
      birthDate: '1986-11-25',
      consents: [
        {
          kind: 'sms',
          granted: true,
          channel: 'till',
          textVersion: 'v3',
          code: '4821',
          cashierId: cashier.id,
        },
        { kind: 'advertising', granted: false, channel: 'till' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const buyer = res.json<Buyer & { email: string; birthDate: string; channel: string }>();
    expect(buyer).toMatchObject({
      phone: '+79121112233',
      email: 'denis@example.com',
      birthDate: '1986-11-25',
      channel: 'cabinet',
      consents: { sms: true, advertising: false, email: false, messenger: false },
    });
    const history = await owner.request('GET', `/api/v1/buyers/${buyer.id}/consents`);
    expect(history.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'sms',
          granted: true,
          textVersion: 'v3',
          code: '4821',
          cashierId: cashier.id,
        }),
        expect.objectContaining({ kind: 'advertising', granted: false, channel: 'till' }),
      ]),
    );

    // Unsubscribing is one more record; the latest one is the buyer's decision.
    const withdraw = await owner.request('POST', `/api/v1/buyers/${buyer.id}/consents`, {
      kind: 'sms',
      granted: false,
      channel: 'web',
    });
    expect(withdraw.statusCode).toBe(201);
    const after = await owner.request('GET', `/api/v1/buyers/${buyer.id}`);
    expect(after.json<Buyer>().consents.sms).toBe(false);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('merchant_id', '=', owner.merchantId)
      .where('entity_id', '=', buyer.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['buyer.create', 'buyer.consent']);
  });

  it('refuses a grant without the text version it was given for', async () => {
    const res = await create(owner, {
      phone: nextPhone(),
      consents: [{ kind: 'sms', granted: true, channel: 'till' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.consents.0.textVersion']);
  });

  it('normalises phones: both spellings are one buyer, the second is a 409 naming the first', async () => {
    const first = await create(owner, { phone: '8 912 345-67-89', firstName: 'Вера' });
    expect(first.statusCode).toBe(201);
    expect(first.json<Buyer>().phone).toBe('+79123456789');
    const second = await create(owner, { phone: '+7 (912) 345 67 89', firstName: 'Вера' });
    expect(second.statusCode).toBe(409);
    expect(second.json<Problem>()).toMatchObject({
      code: 'conflict',
      details: { buyerId: first.json<Buyer>().id },
    });
    const lookup = await owner.request(
      'GET',
      `/api/v1/buyers/lookup?phone=${encodeURIComponent('89123456789')}`,
    );
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json<{ buyer: Buyer; card: null }>()).toMatchObject({
      buyer: { id: first.json<Buyer>().id },
      card: null,
    });
  });

  it('rejects a 9-digit phone with phone_invalid and the field path', async () => {
    const res = await create(owner, { phone: '912 345 67 8' });
    expect(res.statusCode).toBe(400);
    const body = res.json<Problem>();
    expect(body.code).toBe('phone_invalid');
    expect(body.details?.issues).toEqual([
      expect.objectContaining({ path: 'body.phone', code: 'phone_invalid' }),
    ]);
    const lookup = await owner.request('GET', '/api/v1/buyers/lookup?phone=12345');
    expect(lookup.json<Problem>().code).toBe('phone_invalid');
  });

  it('needs a phone or a card to find the buyer again', async () => {
    const res = await create(owner, { firstName: 'Без телефона' });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().code).toBe('identifier_required');
  });

  it('links a referrer given by phone, and refuses an unknown one', async () => {
    const referrer = (await create(owner, { phone: nextPhone() })).json<Buyer>();
    const referred = await create(owner, { phone: nextPhone(), referrerPhone: referrer.phone });
    expect(referred.statusCode).toBe(201);
    expect(referred.json<Buyer>().referrerId).toBe(referrer.id);
    const unknown = await create(owner, { phone: nextPhone(), referrerPhone: '+7 999 999 99 99' });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers malformed bodies with 400 and every path', async () => {
    const res = await create(owner, {
      phone: 79123,
      email: 'not-mail',
      gender: 'other',
      birthDate: '1986-13-45',
      consents: [{ kind: 'fax', granted: 'yes' }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json<Problem>().details?.issues?.map((i) => i.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.phone',
        'body.email',
        'body.gender',
        'body.birthDate',
        'body.consents.0.kind',
        'body.consents.0.granted',
        'body.consents.0.channel',
      ]),
    );
  });
});

describe('questionnaire rules on buyers', () => {
  let session: Session;
  beforeAll(async () => {
    session = await t.signIn('owner');
    const field = await session.request('POST', '/api/v1/questionnaire/fields', {
      key: 'pet',
      label: 'Питомец',
      kind: 'list',
      options: ['кошка', 'собака'],
      required: true,
    });
    expect(field.statusCode).toBe(201);
    await session.request('POST', '/api/v1/questionnaire/fields', {
      key: 'shoe_size',
      label: 'Размер',
      kind: 'number',
    });
    const standard = await session.request('PATCH', '/api/v1/questionnaire/standard-fields', {
      lastName: { enabled: true, required: true },
      middleName: { enabled: false, required: false },
    });
    expect(standard.statusCode).toBe(200);
  });

  it('enforces required fields, kinds, options and switched-off fields (400 with paths)', async () => {
    const res = await create(session, {
      phone: nextPhone(),
      middleName: 'Иванович',
      answers: { shoe_size: 'сорок', unknown_key: 'x' },
    });
    expect(res.statusCode).toBe(400);
    const issues = res.json<Problem>().details?.issues ?? [];
    expect(issues.map((i) => [i.path, i.code]).sort()).toEqual(
      [
        ['body.answers.pet', 'required'],
        ['body.answers.shoe_size', 'invalid_type'],
        ['body.answers.unknown_key', 'unknown_field'],
        ['body.lastName', 'required'],
        ['body.middleName', 'field_disabled'],
      ].sort(),
    );
    const badOption = await create(session, { phone: nextPhone(), lastName: 'Л', answers: { pet: 'рыбка' } });
    expect(badOption.json<Problem>().details?.issues).toEqual([
      expect.objectContaining({ path: 'body.answers.pet', code: 'invalid_option' }),
    ]);
  });

  it('accepts a complete profile; a change may not blank a required answer but merges others', async () => {
    const res = await create(session, { phone: nextPhone(), lastName: 'Лисова', answers: { pet: 'кошка' } });
    expect(res.statusCode).toBe(201);
    const id = res.json<Buyer>().id;
    const blank = await session.request('PATCH', `/api/v1/buyers/${id}`, { answers: { pet: null } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<Problem>().details?.issues).toEqual([
      expect.objectContaining({ path: 'body.answers.pet', code: 'required' }),
    ]);
    const merged = await session.request('PATCH', `/api/v1/buyers/${id}`, { answers: { shoe_size: 38 } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json<Buyer>().answers).toEqual({ pet: 'кошка', shoe_size: 38 });
  });
});

describe('changes, erasure and isolation', () => {
  it('changes a profile and audits before and after', async () => {
    const buyer = (await create(owner, { phone: nextPhone(), firstName: 'Ландыш' })).json<Buyer>();
    const res = await owner.request('PATCH', `/api/v1/buyers/${buyer.id}`, {
      firstName: 'Лана',
      phone: '8 900 555 44 33',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Buyer>()).toMatchObject({ firstName: 'Лана', phone: '+79005554433' });
    const entry = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity_id', '=', buyer.id)
      .where('action', '=', 'buyer.update')
      .executeTakeFirstOrThrow();
    expect(entry.before).toMatchObject({ firstName: 'Ландыш' });
    expect(entry.after).toMatchObject({ firstName: 'Лана' });
    const taken = await owner.request('PATCH', `/api/v1/buyers/${buyer.id}`, { phone: '8 912 111-22-33' });
    expect(taken.statusCode).toBe(409);
  });

  it('erases personal data, keeps the anonymous stats, blocks the cards and redacts the audit trail', async () => {
    await owner.request('POST', '/api/v1/card-series', {
      name: 'Erasure',
      prefix: '77',
      numberFrom: 1,
      numberTo: 5,
      kind: 'personal',
    });
    const phone = nextPhone();
    const buyer = (
      await create(owner, {
        phone,
        firstName: 'Маргарита',
        lastName: 'Мелихова',
        cardNumber: '771',
        tags: ['vip'],
        consents: [{ kind: 'sms', granted: true, channel: 'cabinet', textVersion: 'v1' }],
      })
    ).json<Buyer>();
    await t.db
      .updateTable('buyers')
      .set({ purchases_count: 3, purchases_total: 45_000, balance: 1_200 })
      .where('id', '=', buyer.id)
      .execute();

    // A failed till update about this buyer keeps what the till sent; one about someone else too.
    const store = await t.db
      .insertInto('stores')
      .values({ merchant_id: owner.merchantId, name: 'Касса', attributes: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const terminal = await t.db
      .insertInto('terminals')
      .values({ merchant_id: owner.merchantId, store_id: store.id, name: 'Касса 1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const deadLetter = (seq: number, buyerId: string) =>
      t.db
        .insertInto('sync_dead_letters')
        .values({
          merchant_id: owner.merchantId,
          terminal_id: terminal.id,
          op_id: randomUUID(),
          seq,
          kind: 'buyer_update',
          reason: 'invalid',
          message: 'x',
          payload: JSON.stringify({ buyerId, phone, firstName: 'Маргарита', note: 'kept' }),
        })
        .execute();
    const someoneElse = randomUUID();
    await deadLetter(1, buyer.id);
    await deadLetter(2, someoneElse);

    const erased = await owner.request('DELETE', `/api/v1/buyers/${buyer.id}`);
    expect(erased.statusCode).toBe(204);
    const letters = await t.db
      .selectFrom('sync_dead_letters')
      .select(['seq', 'payload'])
      .where('terminal_id', '=', terminal.id)
      .orderBy('seq')
      .execute();
    expect(letters.map((l) => JSON.parse(l.payload) as unknown)).toEqual([
      { buyerId: buyer.id, note: 'kept' },
      { buyerId: someoneElse, phone, firstName: 'Маргарита', note: 'kept' },
    ]);
    const row = await t.db
      .selectFrom('buyers')
      .select([
        'phone',
        'first_name',
        'last_name',
        'tags',
        'answers',
        'purchases_count',
        'purchases_total',
        'balance',
        'erased_at',
      ])
      .where('id', '=', buyer.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      phone: null,
      first_name: null,
      last_name: null,
      tags: [],
      answers: {},
      purchases_count: 3,
      purchases_total: 45_000,
      balance: 1_200,
    });
    expect(row.erased_at).toBeInstanceOf(Date);
    const card = await t.db
      .selectFrom('cards')
      .select(['status', 'buyer_id'])
      .where('number', '=', '771')
      .executeTakeFirstOrThrow();
    expect(card).toEqual({ status: 'blocked', buyer_id: buyer.id });
    const trail = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', buyer.id)
      .execute();
    expect(JSON.stringify(trail)).not.toMatch(/Маргарита|Мелихова|vip|\+7900/);
    expect(trail.map((e) => e.action)).toEqual(['buyer.create', 'buyer.erase']);

    expect((await owner.request('GET', `/api/v1/buyers/${buyer.id}`)).statusCode).toBe(404);
    expect((await owner.request('DELETE', `/api/v1/buyers/${buyer.id}`)).statusCode).toBe(404);
    expect((await owner.request('GET', '/api/v1/buyers/lookup?card=771')).statusCode).toBe(404);
    // The phone is free again for a new registration.
    expect((await create(owner, { phone })).statusCode).toBe(201);
  });

  it("answers 404 for another merchant's buyer on every route", async () => {
    const other = await t.signIn('owner');
    const foreign = (await create(other, { phone: nextPhone(), firstName: 'Чужой' })).json<Buyer>();
    expect((await owner.request('GET', `/api/v1/buyers/${foreign.id}`)).statusCode).toBe(404);
    expect(
      (await owner.request('PATCH', `/api/v1/buyers/${foreign.id}`, { firstName: 'x' })).statusCode,
    ).toBe(404);
    expect((await owner.request('DELETE', `/api/v1/buyers/${foreign.id}`)).statusCode).toBe(404);
    expect((await owner.request('GET', `/api/v1/buyers/${foreign.id}/consents`)).statusCode).toBe(404);
    expect(
      (
        await owner.request('POST', `/api/v1/buyers/${foreign.id}/consents`, {
          kind: 'sms',
          granted: false,
          channel: 'web',
        })
      ).statusCode,
    ).toBe(404);
    expect((await create(owner, { phone: nextPhone(), referrerId: foreign.id })).statusCode).toBe(404);
    expect(
      (await owner.request('GET', `/api/v1/buyers/lookup?phone=${encodeURIComponent(foreign.phone ?? '')}`))
        .statusCode,
    ).toBe(404);
    // The same phone may belong to a buyer of each merchant.
    expect((await create(owner, { phone: foreign.phone })).statusCode).toBe(201);
  });

  it('lets an analyst read but not write (403), and refuses anonymous callers (401)', async () => {
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/buyers')).statusCode).toBe(200);
    const write = await create(analyst, { phone: nextPhone() });
    expect(write.statusCode).toBe(403);
    expect(write.json<Problem>().code).toBe('forbidden');
    const some = (await create(owner, { phone: nextPhone() })).json<Buyer>();
    expect((await analyst.request('PATCH', `/api/v1/buyers/${some.id}`, { firstName: 'x' })).statusCode).toBe(
      403,
    );
    expect((await analyst.request('DELETE', `/api/v1/buyers/${some.id}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/buyers' })).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('publishes the buyer, card and questionnaire routes with the list filters', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    type Doc = { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> };
    const { paths } = response.json<Doc>();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/buyers',
        '/api/v1/buyers/lookup',
        '/api/v1/buyers/{id}',
        '/api/v1/buyers/{id}/consents',
        '/api/v1/card-series',
        '/api/v1/cards/{id}/replace',
        '/api/v1/questionnaire/fields/{id}',
      ]),
    );
    const parameters = paths['/api/v1/buyers']?.get?.parameters?.map((p) => p.name) ?? [];
    expect(parameters).toEqual(
      expect.arrayContaining(['cardTypeId', 'daysWithoutPurchaseTo', 'referrerPhone', 'sort']),
    );
  });
});
