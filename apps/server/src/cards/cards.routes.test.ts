// C9: card series with ranges, attaching, activating, blocking with a reason, replacing while
// keeping the buyer and the balance; roles and merchant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Card = {
  id: string;
  number: string;
  status: string;
  buyerId: string | null;
  blockReason: string | null;
  replacedById: string | null;
  kind: string | null;
};
type Problem = { code: string; details: { issues?: Array<{ path: string }>; seriesId?: string } | null };

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
});
afterAll(async () => {
  await t.close();
});

const issue = (session: Session, body: object) => session.request('POST', '/api/v1/card-series', body);
async function cardByNumber(session: Session, number: string): Promise<Card> {
  const res = await session.request('GET', `/api/v1/cards?number=${number}`);
  const [card] = res.json<{ items: Card[] }>().items;
  if (!card) throw new Error(`no card ${number}`);
  return card;
}
async function newBuyer(session: Session, phone: string): Promise<string> {
  const res = await session.request('POST', '/api/v1/buyers', { phone });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<{ id: string }>().id;
}

describe('card series', () => {
  it('issues every number of the range, padded to the width of the last one', async () => {
    const res = await issue(owner, {
      name: 'Стандарт',
      prefix: '4602',
      numberFrom: 1,
      numberTo: 20,
      kind: 'personal',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      prefix: '4602',
      cards: { issued: 20, active: 0, blocked: 0, replaced: 0 },
    });
    const page = await owner.request(
      'GET',
      `/api/v1/cards?seriesId=${res.json<{ id: string }>().id}&pageSize=3`,
    );
    expect(page.json<{ items: Card[]; total: number }>()).toMatchObject({
      total: 20,
      items: [{ number: '460201' }, { number: '460202' }, { number: '460203' }],
    });
  });

  it('refuses an overlapping range (409) and numbers another prefix already spells (409)', async () => {
    const first = (await owner.request('GET', '/api/v1/card-series')).json<Array<{ id: string }>>()[0];
    const overlap = await issue(owner, {
      name: 'Вторая',
      prefix: '4602',
      numberFrom: 15,
      numberTo: 30,
      kind: 'personal',
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json<Problem>()).toMatchObject({ code: 'conflict', details: { seriesId: first?.id } });
    const spelled = await issue(owner, {
      name: 'Третья',
      prefix: '460',
      numberFrom: 201,
      numberTo: 203,
      kind: 'personal',
    });
    expect(spelled.statusCode).toBe(409);
    const apart = await issue(owner, {
      name: 'Анонимные',
      prefix: '4603',
      numberFrom: 1,
      numberTo: 5,
      kind: 'anonymous',
    });
    expect(apart.statusCode).toBe(201);
    expect((await owner.request('GET', '/api/v1/card-series')).json<unknown[]>()).toHaveLength(2);
  });

  it('refuses a reversed or oversized range with the field path, and a manager (403)', async () => {
    const reversed = await issue(owner, { name: 'x', numberFrom: 10, numberTo: 1, kind: 'personal' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.numberTo']);
    const huge = await issue(owner, { name: 'x', numberFrom: 1, numberTo: 200_000, kind: 'personal' });
    expect(huge.statusCode).toBe(400);
    const manager = await t.signIn('manager', owner.merchantId);
    expect(
      (await issue(manager, { name: 'x', prefix: '9', numberFrom: 1, numberTo: 2, kind: 'personal' }))
        .statusCode,
    ).toBe(403);
  });
});

describe('cards', () => {
  it('attaches a card, blocks it with a reason, and replaces it keeping buyer and balance', async () => {
    const buyerId = await newBuyer(owner, '+79161234567');
    await t.db.updateTable('buyers').set({ balance: 12_345 }).where('id', '=', buyerId).execute();
    const old = await cardByNumber(owner, '460205');

    const attached = await owner.request('POST', `/api/v1/cards/${old.id}/attach`, { buyerId });
    expect(attached.statusCode).toBe(200);
    expect(attached.json<Card>()).toMatchObject({ status: 'active', buyerId });
    expect((await owner.request('POST', `/api/v1/cards/${old.id}/attach`, { buyerId })).statusCode).toBe(409);

    const noReason = await owner.request('POST', `/api/v1/cards/${old.id}/block`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.reason']);
    const blocked = await owner.request('POST', `/api/v1/cards/${old.id}/block`, { reason: 'Утеряна' });
    expect(blocked.json<Card>()).toMatchObject({ status: 'blocked', blockReason: 'Утеряна', buyerId });
    expect(
      (await owner.request('POST', `/api/v1/cards/${old.id}/block`, { reason: 'ещё раз' })).statusCode,
    ).toBe(409);
    const scanned = await owner.request('GET', '/api/v1/buyers/lookup?card=460205');
    expect(scanned.json()).toMatchObject({ buyer: { id: buyerId }, card: { status: 'blocked' } });

    const replaced = await owner.request('POST', `/api/v1/cards/${old.id}/replace`, { newNumber: '460206' });
    expect(replaced.statusCode).toBe(200);
    const { old: oldAfter, new: fresh } = replaced.json<{ old: Card; new: Card }>();
    expect(oldAfter).toMatchObject({ status: 'replaced', replacedById: fresh.id, buyerId });
    expect(fresh).toMatchObject({ number: '460206', status: 'active', buyerId });
    const byNew = await owner.request('GET', '/api/v1/buyers/lookup?card=460206');
    expect(byNew.json()).toMatchObject({
      buyer: { id: buyerId, stats: { balance: 12_345 }, cards: [{ number: '460206', status: 'active' }] },
      card: { status: 'active' },
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'card')
      .where('entity_id', '=', old.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['card.attach', 'card.block', 'card.replace']);
  });

  it('unblocks a card back to active (or issued when never used); an erased holder keeps it blocked', async () => {
    const buyerId = await newBuyer(owner, '+79161234569');
    const card = await cardByNumber(owner, '460207');
    await owner.request('POST', `/api/v1/cards/${card.id}/attach`, { buyerId });
    expect((await owner.request('POST', `/api/v1/cards/${card.id}/unblock`)).statusCode).toBe(409);
    await owner.request('POST', `/api/v1/cards/${card.id}/block`, { reason: 'Нашлась у кассы' });
    const unblocked = await owner.request('POST', `/api/v1/cards/${card.id}/unblock`);
    expect(unblocked.statusCode).toBe(200);
    expect(unblocked.json<Card>()).toMatchObject({ status: 'active', blockReason: null, buyerId });

    const unused = await cardByNumber(owner, '460208');
    await owner.request('POST', `/api/v1/cards/${unused.id}/block`, { reason: 'Брак печати' });
    const back = await owner.request('POST', `/api/v1/cards/${unused.id}/unblock`);
    expect(back.json<Card>()).toMatchObject({ status: 'issued', buyerId: null, blockReason: null });

    expect((await owner.request('DELETE', `/api/v1/buyers/${buyerId}`)).statusCode).toBe(204);
    expect((await owner.request('GET', `/api/v1/cards/${card.id}`)).json<Card>().status).toBe('blocked');
    const refused = await owner.request('POST', `/api/v1/cards/${card.id}/unblock`);
    expect(refused.statusCode).toBe(409);
    expect((await owner.request('GET', `/api/v1/cards/${card.id}`)).json<Card>().status).toBe('blocked');
    const analyst = await t.signIn('analyst');
    expect((await analyst.request('POST', `/api/v1/cards/${unused.id}/unblock`)).statusCode).toBe(403);
  });

  it('refuses to replace into a card in use, or to replace a replaced card (409)', async () => {
    const buyerId = await newBuyer(owner, '+79161234568');
    const a = await cardByNumber(owner, '460210');
    const b = await cardByNumber(owner, '460211');
    await owner.request('POST', `/api/v1/cards/${a.id}/attach`, { buyerId });
    await owner.request('POST', `/api/v1/cards/${b.id}/attach`, { buyerId });
    expect(
      (await owner.request('POST', `/api/v1/cards/${a.id}/replace`, { newNumber: '460211' })).statusCode,
    ).toBe(409);
    expect(
      (await owner.request('POST', `/api/v1/cards/${a.id}/replace`, { newNumber: '460210' })).statusCode,
    ).toBe(400);
    const used = await cardByNumber(owner, '460205');
    expect(
      (await owner.request('POST', `/api/v1/cards/${used.id}/replace`, { newNumber: '460212' })).statusCode,
    ).toBe(409);
    expect(
      (await owner.request('POST', `/api/v1/cards/${a.id}/replace`, { newNumber: '999999' })).statusCode,
    ).toBe(404);
  });

  it('activates an anonymous card without a buyer, but not a personal one', async () => {
    const anonymous = await cardByNumber(owner, '46031');
    const activated = await owner.request('POST', `/api/v1/cards/${anonymous.id}/activate`);
    expect(activated.json<Card>()).toMatchObject({ status: 'active', buyerId: null, kind: 'anonymous' });
    // Its holder registers later: the card in use becomes theirs.
    const holder = await newBuyer(owner, '+79161234570');
    const attached = await owner.request('POST', `/api/v1/cards/${anonymous.id}/attach`, { buyerId: holder });
    expect(attached.json<Card>()).toMatchObject({ status: 'active', buyerId: holder });
    const personal = await cardByNumber(owner, '460215');
    const refused = await owner.request('POST', `/api/v1/cards/${personal.id}/activate`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().code).toBe('personal_card_needs_buyer');
  });

  it('registers a buyer with an issued card, and refuses a card already given (409)', async () => {
    const res = await owner.request('POST', '/api/v1/buyers', { cardNumber: '460220' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ phone: null, cards: [{ number: '460220', status: 'active' }] });
    expect((await owner.request('POST', '/api/v1/buyers', { cardNumber: '460220' })).statusCode).toBe(409);
    expect((await owner.request('POST', '/api/v1/buyers', { cardNumber: '123' })).statusCode).toBe(404);
  });

  it("answers 404 for another merchant's cards and buyers, and 403 to an analyst", async () => {
    const other = await t.signIn('owner');
    await issue(other, { name: 'Чужая', prefix: '5', numberFrom: 1, numberTo: 3, kind: 'personal' });
    const foreignCard = await cardByNumber(other, '51');
    const foreignBuyer = await newBuyer(other, '+79161234569');
    expect((await owner.request('GET', `/api/v1/cards/${foreignCard.id}`)).statusCode).toBe(404);
    expect(
      (await owner.request('POST', `/api/v1/cards/${foreignCard.id}/block`, { reason: 'x' })).statusCode,
    ).toBe(404);
    expect((await owner.request('POST', `/api/v1/cards/${foreignCard.id}/activate`)).statusCode).toBe(404);
    const own = await cardByNumber(owner, '460216');
    expect(
      (await owner.request('POST', `/api/v1/cards/${own.id}/attach`, { buyerId: foreignBuyer })).statusCode,
    ).toBe(404);
    expect(
      (await owner.request('POST', `/api/v1/cards/${own.id}/replace`, { newNumber: '51' })).statusCode,
    ).toBe(404);
    expect((await owner.request('GET', '/api/v1/buyers/lookup?card=51')).statusCode).toBe(404);
    expect((await owner.request('GET', '/api/v1/cards?number=51')).json()).toMatchObject({
      total: 0,
      items: [],
    });

    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', `/api/v1/cards/${own.id}`)).statusCode).toBe(200);
    expect((await analyst.request('POST', `/api/v1/cards/${own.id}/block`, { reason: 'x' })).statusCode).toBe(
      403,
    );
  });
});
