// Merchant settings (issue 6): name and IANA time zone changed by owners and admins only, audited,
// the currency read-only, the session and the calendar reports following the new zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Settings = { id: string; name: string; timeZone: string; currency: string };
type Problem = { code: string; message: string; details: { issues?: Array<{ path: string }> } | null };

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
});
afterAll(async () => {
  await t.close();
});

describe('merchant settings', () => {
  it('shows name, zone and currency, and saves a new name and zone with an audit entry', async () => {
    const first = await owner.request('GET', '/api/v1/merchant');
    expect(first.statusCode).toBe(200);
    expect(first.json<Settings>()).toMatchObject({
      id: owner.merchantId,
      name: 'Тестовый магазин',
      timeZone: 'Europe/Moscow',
      currency: 'RUB',
    });

    const changed = await owner.request('PATCH', '/api/v1/merchant', {
      name: '  Ромашка Урал ',
      timeZone: 'Asia/Yekaterinburg',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Settings>()).toMatchObject({
      name: 'Ромашка Урал',
      timeZone: 'Asia/Yekaterinburg',
      currency: 'RUB',
    });
    const me = await owner.request('GET', '/api/v1/auth/me');
    expect(me.json<{ merchant: { timeZone: string; name: string } }>().merchant).toMatchObject({
      name: 'Ромашка Урал',
      timeZone: 'Asia/Yekaterinburg',
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'before', 'after'])
      .where('merchant_id', '=', owner.merchantId)
      .where('entity', '=', 'merchant')
      .execute();
    expect(audit).toMatchObject([
      {
        action: 'merchant.update',
        before: { name: 'Тестовый магазин', timeZone: 'Europe/Moscow' },
        after: { name: 'Ромашка Урал', timeZone: 'Asia/Yekaterinburg' },
      },
    ]);
  });

  it('refuses a zone that is not an IANA name, an empty name and an empty body, in Russian (400)', async () => {
    const zone = await owner.request('PATCH', '/api/v1/merchant', { timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.timeZone']);
    expect(zone.json<Problem>().message).toMatch(/Неверный запрос/);
    const offset = await owner.request('PATCH', '/api/v1/merchant', { timeZone: '+05:00' });
    expect(offset.statusCode).toBe(400);
    const name = await owner.request('PATCH', '/api/v1/merchant', { name: '   ' });
    expect(name.statusCode).toBe(400);
    expect(name.json<Problem>().details?.issues?.map((i) => i.path)).toEqual(['body.name']);
    expect((await owner.request('PATCH', '/api/v1/merchant', {})).statusCode).toBe(400);
    // A currency is not a setting: an unknown key changes nothing.
    const currency = await owner.request('PATCH', '/api/v1/merchant', { name: 'Ромашка', currency: 'USD' });
    expect(currency.json<Settings>()).toMatchObject({ name: 'Ромашка', currency: 'RUB' });
  });

  it('lets other roles read but only owners and admins write; each merchant sees its own', async () => {
    const admin = await t.signIn('admin', owner.merchantId);
    expect(
      (await admin.request('PATCH', '/api/v1/merchant', { timeZone: 'Europe/Kaliningrad' })).statusCode,
    ).toBe(200);
    for (const role of ['manager', 'marketer', 'analyst'] as const) {
      const session = await t.signIn(role, owner.merchantId);
      expect((await session.request('GET', '/api/v1/merchant')).json<Settings>().timeZone).toBe(
        'Europe/Kaliningrad',
      );
      expect((await session.request('PATCH', '/api/v1/merchant', { name: 'Чужое' })).statusCode).toBe(403);
    }
    const stranger = await t.signIn('owner');
    expect((await stranger.request('GET', '/api/v1/merchant')).json<Settings>()).toMatchObject({
      id: stranger.merchantId,
      timeZone: 'Europe/Moscow',
    });
    expect((await owner.request('GET', '/api/v1/merchant')).json<Settings>().name).toBe('Ромашка');
  });
});
