// C10, B4: sign-in, sessions with CSRF, throttling, roles, API keys, merchant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('sign-in and sessions', () => {
  it('signs in, answers /me with the role permissions, and signs out', async () => {
    const owner = await t.signIn('owner');
    const me = await owner.request('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { role: 'owner', merchantId: owner.merchantId } });
    expect(me.json<{ permissions: string[] }>().permissions).toContain('users:manage');
    expect((await owner.request('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await owner.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses a wrong password with 401 and the same answer for an unknown e-mail', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@test.local', password: 'whatever-it-is' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'unauthenticated', message: 'Неверный e-mail или пароль' });
  });

  it('throttles password guessing per e-mail after 10 failures (429), even with the right password', async () => {
    const victim = await t.signIn('manager');
    const me = await victim.request('GET', '/api/v1/auth/me');
    const email = me.json<{ user: { email: string } }>().user.email;
    for (let i = 0; i < 10; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: `guess-${i}-xxxxx` },
      });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json<{ code: string }>().code).toBe('too_many_requests');
  });

  it('refuses a write with the session cookie but without the CSRF token', async () => {
    const owner = await t.signIn('owner');
    const email = (await owner.request('GET', '/api/v1/auth/me')).json<{ user: { email: string } }>().user
      .email;
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    const sid = login.cookies.find((c) => c.name === 'sid')?.value ?? '';
    const attempt = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        cookies: { sid },
        headers,
        payload: { email: `csrf-${Date.now()}@test.local`, role: 'analyst', password: 'long enough pass' },
      });
    const noCsrf = await attempt({});
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json<{ code: string }>().code).toBe('csrf_failed');
    expect((await attempt({ 'x-csrf-token': 'forged-token-value' })).statusCode).toBe(403);
    const csrfToken = login.json<{ csrfToken: string }>().csrfToken;
    expect((await attempt({ 'x-csrf-token': csrfToken })).statusCode).toBe(201);
  });

  it('answers malformed bodies with 400, a code and every problem', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-mail' },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json<{ code: string; details: { issues: Array<{ path: string }> } }>();
    expect(body.code).toBe('invalid_request');
    expect(body.details.issues.map((i) => i.path).sort()).toEqual(['body.email', 'body.password']);
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json<{ code: string }>().code).toBe('invalid_request');
  });
});

describe('users, roles and merchants', () => {
  it('lets an owner manage users and refuses an analyst (403)', async () => {
    const owner = await t.signIn('owner');
    const created = await owner.request('POST', '/api/v1/users', {
      email: `new-${Date.now()}@test.local`,
      name: 'Маркетолог',
      role: 'marketer',
      password: 'a long password',
    });
    expect(created.statusCode).toBe(201);
    const list = await owner.request('GET', '/api/v1/users');
    expect(
      list
        .json<Array<{ role: string }>>()
        .map((u) => u.role)
        .sort(),
    ).toEqual(['marketer', 'owner']);

    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/users')).statusCode).toBe(403);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('merchant_id', '=', owner.merchantId)
      .execute();
    expect(audit).toEqual([{ action: 'user.create', actor_id: owner.userId }]);
  });

  it("answers 404 for another merchant's user id", async () => {
    const a = await t.signIn('owner');
    const b = await t.signIn('owner');
    const patch = await a.request('PATCH', `/api/v1/users/${b.userId}`, { name: 'взлом' });
    expect(patch.statusCode).toBe(404);
    const reset = await a.request('POST', `/api/v1/users/${b.userId}/password-reset`);
    expect(reset.statusCode).toBe(404);
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const admin = await t.signIn('admin');
    const email = (await admin.request('GET', '/api/v1/auth/me')).json<{ user: { email: string } }>().user
      .email;
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    const otherSid = other.cookies.find((c) => c.name === 'sid')?.value ?? '';
    const changed = await admin.request('POST', '/api/v1/auth/password', {
      currentPassword: 'correct horse battery',
      newPassword: 'an even longer password',
    });
    expect(changed.statusCode).toBe(204);
    expect((await admin.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const stale = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { sid: otherSid } });
    expect(stale.statusCode).toBe(401);
    const oldLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    expect(oldLogin.statusCode).toBe(401);
  });

  it('resets a password with a one-time token issued by an admin', async () => {
    const owner = await t.signIn('owner');
    const manager = await t.signIn('manager', owner.merchantId);
    const issued = await owner.request('POST', `/api/v1/users/${manager.userId}/password-reset`);
    expect(issued.statusCode).toBe(201);
    const { resetToken } = issued.json<{ resetToken: string }>();
    const use = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { token: resetToken, newPassword: 'brand new password' },
      });
    expect((await use()).statusCode).toBe(204);
    const again = await use();
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('reset_token_invalid');
    expect((await manager.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('API keys (B4)', () => {
  it('authenticates by bearer key within its scopes, and stops after revocation', async () => {
    const owner = await t.signIn('owner');
    const created = await owner.request('POST', '/api/v1/api-keys', { name: '1С', scopes: ['users:manage'] });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json<{ key: string; id: string }>();
    const asKey = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    expect((await asKey('/api/v1/users')).statusCode).toBe(200);
    expect(
      (await asKey('/api/v1/users'))
        .json<Array<{ merchantId: string }>>()
        .every((u) => u.merchantId === owner.merchantId),
    ).toBe(true);

    const narrow = await owner.request('POST', '/api/v1/api-keys', {
      name: 'касса',
      scopes: ['sales:write'],
    });
    const narrowKey = narrow.json<{ key: string }>().key;
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${narrowKey}` },
    });
    expect(refused.statusCode).toBe(403);

    expect((await owner.request('DELETE', `/api/v1/api-keys/${id}`)).statusCode).toBe(204);
    expect((await asKey('/api/v1/users')).statusCode).toBe(401);
    const bad = await owner.request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['root'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('unknown_scope');
  });
});
