// C8 referral modes on a real PostgreSQL: in 'anyone' mode any buyer may bring others; in
// 'invite_only' only buyers the merchant allowed to invite may be named as referrers (by id or
// phone) and only they stay in the chain that earns rewards.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { referrerChain } from './referrer-chain.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const rule = {
  accrual: { kind: 'percent', percent: 200 },
  expiry: { kind: 'never' },
  activation: { kind: 'immediate' },
  payment: { kind: 'forbidden' },
};

/** A merchant with a programme in the given referral mode (or none). */
async function merchant(mode: 'anyone' | 'invite_only' | null): Promise<Session> {
  const owner = await t.signIn('owner');
  if (mode === null) return owner;
  const type = await owner.request('POST', '/api/v1/card-types', {
    name: 'Базовая',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: rule,
  });
  expect(type.statusCode, type.body).toBe(201);
  const settings = await owner.request('PUT', '/api/v1/programme/settings', {
    type: 'bonus',
    defaultCardTypeId: type.json<{ id: string }>().id,
    referral: { mode },
  });
  expect(settings.statusCode, settings.body).toBe(200);
  return owner;
}

let phones = 0;
const nextPhone = () => `+7912${String(1_000_000 + ++phones).slice(-7)}`;

async function register(owner: Session, body: Record<string, unknown> = {}) {
  return owner.request('POST', '/api/v1/buyers', { phone: nextPhone(), ...body });
}

async function registered(owner: Session, body: Record<string, unknown> = {}) {
  const res = await register(owner, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; phone: string; canInvite: boolean; referrerId: string | null }>();
}

describe('registering with a referrer (C8)', () => {
  it('lets anyone invite in the default mode, and without a programme', async () => {
    for (const mode of ['anyone', null] as const) {
      const owner = await merchant(mode);
      const friend = await registered(owner);
      expect(friend.canInvite).toBe(false);
      const invited = await registered(owner, { referrerId: friend.id });
      expect(invited.referrerId).toBe(friend.id);
    }
  });

  it('in invite-only mode refuses a referrer who may not invite, by id or phone, and creates nothing', async () => {
    const owner = await merchant('invite_only');
    const friend = await registered(owner);
    for (const via of [{ referrerId: friend.id }, { referrerPhone: friend.phone }]) {
      const phone = nextPhone();
      const res = await register(owner, { phone, ...via });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        code: 'referrer_cannot_invite',
        message:
          'Программа работает по приглашениям: этот покупатель не может приглашать. Разрешите ему приглашать в карточке покупателя.',
        details: { referrerId: friend.id },
      });
      const none = await owner.request('GET', `/api/v1/buyers?phone=${encodeURIComponent(phone)}`);
      expect(none.json()).toMatchObject({ total: 0 });
    }
    // Registration without a referrer is not affected.
    await registered(owner);
  });

  it('in invite-only mode accepts a referrer the merchant allowed, and the permission is audited', async () => {
    const owner = await merchant('invite_only');
    const trainer = await registered(owner);
    const allow = await owner.request('PATCH', `/api/v1/buyers/${trainer.id}`, { canInvite: true });
    expect(allow.statusCode, allow.body).toBe(200);
    expect(allow.json()).toMatchObject({ canInvite: true });
    const pupil = await registered(owner, { referrerPhone: trainer.phone });
    expect(pupil.referrerId).toBe(trainer.id);
    const coach = await registered(owner, { canInvite: true });
    expect(coach.canInvite).toBe(true);
    expect((await registered(owner, { referrerId: coach.id })).referrerId).toBe(coach.id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity_id', '=', trainer.id)
      .where('action', '=', 'buyer.update')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ before: { canInvite: false }, after: { canInvite: true } });
    const allowed = await owner.request('GET', '/api/v1/buyers?canInvite=true');
    expect(
      allowed
        .json<{ items: Array<{ id: string }> }>()
        .items.map((b) => b.id)
        .sort(),
    ).toEqual([trainer.id, coach.id].sort());
  });

  it('refuses a malformed canInvite with 400', async () => {
    const owner = await merchant('invite_only');
    expect((await register(owner, { canInvite: 'yes' })).statusCode).toBe(400);
    expect((await owner.request('GET', '/api/v1/buyers?canInvite=maybe')).statusCode).toBe(400);
  });
});

describe('referrerChain (who earns referral rewards)', () => {
  /** Buyers b1 <- b2 <- ... : each invited by the previous one. */
  async function chain(owner: Session, length: number, canInvite: (i: number) => boolean) {
    const ids: string[] = [];
    for (let i = 0; i < length; i++) {
      const row = await t.db
        .insertInto('buyers')
        .values({
          merchant_id: owner.merchantId,
          channel: 'api',
          referrer_id: ids.at(-1) ?? null,
          can_invite: canInvite(i),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    return ids;
  }

  it('walks up to five levels, level 1 first; invite-only keeps only those allowed, at their levels', async () => {
    const owner = await merchant(null);
    const ids = await chain(owner, 7, (i) => i % 2 === 0);
    const buyer = { id: ids[6] ?? '', referrer_id: ids[5] ?? null };
    const all = await referrerChain(t.db, owner.merchantId, buyer, 'default-type', 'anyone');
    expect(all.map((r) => [r.buyerId, r.level])).toEqual([
      [ids[5], 1],
      [ids[4], 2],
      [ids[3], 3],
      [ids[2], 4],
      [ids[1], 5],
    ]);
    expect(all[0]?.cardTypeId).toBe('default-type');
    const invited = await referrerChain(t.db, owner.merchantId, buyer, 'default-type', 'invite_only');
    expect(invited.map((r) => [r.buyerId, r.level])).toEqual([
      [ids[4], 2],
      [ids[2], 4],
    ]);
    expect(
      await referrerChain(t.db, owner.merchantId, { id: ids[0] ?? '', referrer_id: null }, 'x', 'anyone'),
    ).toEqual([]);
  });

  it('stops at an erased referrer and at a cycle', async () => {
    const owner = await merchant(null);
    const ids = await chain(owner, 4, () => true);
    await t.db
      .updateTable('buyers')
      .set({ erased_at: new Date() })
      .where('id', '=', ids[1] ?? '')
      .execute();
    const buyer = { id: ids[3] ?? '', referrer_id: ids[2] ?? null };
    expect((await referrerChain(t.db, owner.merchantId, buyer, 'x', 'anyone')).map((r) => r.buyerId)).toEqual(
      [ids[2]],
    );
    // A loop a <- b <- a (written past the API, as old data might be): each appears once.
    const [a, b] = await chain(owner, 2, () => true);
    await sql`UPDATE buyers SET referrer_id = ${b} WHERE id = ${a}`.execute(t.db);
    const loop = await referrerChain(
      t.db,
      owner.merchantId,
      { id: a ?? '', referrer_id: b ?? null },
      'x',
      'anyone',
    );
    expect(loop.map((r) => r.buyerId)).toEqual([b]);
  });
});
