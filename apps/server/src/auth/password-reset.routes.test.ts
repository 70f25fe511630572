// C10 "forgot password": a reset link queued in the mail outbox for a real user only, the same 202
// for any e-mail, a single-use hashed token that expires, sessions revoked, limits per user and address.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const requestReset = (email: string, ip = '10.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset-request',
    payload: { email },
    remoteAddress: ip,
  });
const reset = (token: string, newPassword: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, newPassword } });
const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

async function emailOf(session: Session): Promise<string> {
  const me = await session.request('GET', '/api/v1/auth/me');
  return me.json<{ user: { email: string } }>().user.email;
}
const outbox = (recipient: string) =>
  t.db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('recipient', '=', recipient)
    .orderBy('created_at')
    .execute();
const tokenIn = (body: string) => {
  const match = /\/reset-password\?token=([\w-]+)/.exec(body);
  if (!match?.[1]) throw new Error(`no reset link in: ${body}`);
  return decodeURIComponent(match[1]);
};

describe('password reset by link', () => {
  it('mails a link to a known user, stores only its hash, sets the password once and ends sessions', async () => {
    const manager = await t.signIn('manager');
    const email = await emailOf(manager);
    const answer = await requestReset(email.toUpperCase());
    expect(answer.statusCode).toBe(202);
    const mails = await outbox(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      kind: 'password_reset',
      merchant_id: manager.merchantId,
      sent_at: null,
    });
    expect(mails[0]?.body).toContain('Тестовый магазин');
    const token = tokenIn(mails[0]?.body ?? '');
    const stored = await t.db
      .selectFrom('password_resets')
      .select(['token_hash', 'expires_at', 'created_at'])
      .where('user_id', '=', manager.userId)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const ttl = (stored[0]?.expires_at.getTime() ?? 0) - (stored[0]?.created_at.getTime() ?? 0);
    expect(ttl).toBe(60 * 60 * 1000);

    const tooShort = await reset(token, 'short');
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json<{ message: string }>().message).toMatch(/Неверный запрос/);
    expect((await reset(token, 'a brand new password')).statusCode).toBe(204);
    expect((await manager.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(email, 'a brand new password')).statusCode).toBe(200);
    const again = await reset(token, 'yet another password');
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('reset_token_invalid');
    expect((await login(email, 'yet another password')).statusCode).toBe(401);
  });

  it('answers an unknown or disabled e-mail exactly like a known one and mails nothing', async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      const answer = await requestReset(email, '10.0.0.2');
      return { answer, ms: performance.now() - started };
    };
    const known = await timed((await emailOf(await t.signIn('analyst'))).toLowerCase());
    const unknown = await timed('nobody-here@test.local');
    expect(unknown.answer.statusCode).toBe(known.answer.statusCode);
    expect(unknown.answer.body).toBe(known.answer.body);
    // Both wait for the same floor, so the time does not tell a user's e-mail from a stranger's.
    expect(known.ms).toBeGreaterThanOrEqual(290);
    expect(unknown.ms).toBeGreaterThanOrEqual(290);
    expect(await outbox('nobody-here@test.local')).toHaveLength(0);

    const disabled = await t.signIn('marketer');
    const email = await emailOf(disabled);
    await t.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('id', '=', disabled.userId)
      .execute();
    expect((await requestReset(email, '10.0.0.2')).statusCode).toBe(202);
    expect(await outbox(email)).toHaveLength(0);
    const bad = await requestReset('not an e-mail', '10.0.0.2');
    expect(bad.statusCode).toBe(400);
  });

  it('refuses an expired link, and a newer link voids the older one', async () => {
    const user = await t.signIn('manager');
    const email = await emailOf(user);
    await requestReset(email, '10.0.0.3');
    await requestReset(email, '10.0.0.3');
    const [first, second] = (await outbox(email)).map((m) => tokenIn(m.body));
    expect((await reset(first ?? '', 'password from the old link')).statusCode).toBe(400);
    await t.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.userId)
      .execute();
    expect((await reset(second ?? '', 'password after expiry')).statusCode).toBe(400);
    expect((await login(email, 'password after expiry')).statusCode).toBe(401);
  });

  it('mails at most three links per user in 15 minutes and throttles an address after 20 requests', async () => {
    const email = await emailOf(await t.signIn('manager'));
    for (let i = 0; i < 5; i++) expect((await requestReset(email, '10.0.0.4')).statusCode).toBe(202);
    expect(await outbox(email)).toHaveLength(3);
    for (let i = 0; i < 15; i++) await requestReset(`flood${i}@test.local`, '10.0.0.4');
    const limited = await requestReset('flood-last@test.local', '10.0.0.4');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ message: string }>().message).toMatch(/Подождите 15 минут/);
    expect((await requestReset('other@test.local', '10.0.0.5')).statusCode).toBe(202);
  });
});
