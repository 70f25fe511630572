// Terminals in the cabinet and pairing (B1): the code works once, a new code replaces the old,
// revoking refuses the token and the code, roles and merchants are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { MAX_PAIRING_FAILURES_PER_ADDRESS } from '#sync/pairing.service.ts';
import { pairedTerminal, shop } from '#sync/sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const pair = (code: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/sync/pair', payload: { code, deviceName: 'till' } });

describe('terminals and pairing (B1)', () => {
  it('creates a terminal with a code that pairs exactly once', async () => {
    const s = await shop(t);
    const created = await s.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: 'Касса 1',
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; pairingCode: string; pairingPending: boolean }>();
    expect(body.pairingCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(body.pairingPending).toBe(true);

    // Typed in lower case without the dash: still the same code.
    const first = await pair(body.pairingCode.replace('-', '').toLowerCase());
    expect(first.statusCode).toBe(200);
    const paired = first.json<{ terminalId: string; merchantId: string; storeId: string; token: string }>();
    expect(paired).toMatchObject({ terminalId: body.id, merchantId: s.owner.merchantId, storeId: s.storeId });
    expect(paired.token).toMatch(/^tt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);

    const again = await pair(body.pairingCode);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'pairing_code_invalid' });

    const view = await s.owner.request('GET', `/api/v1/terminals/${body.id}`);
    expect(view.json()).toMatchObject({
      status: 'active',
      pairingPending: false,
      deviceName: 'till',
      lastSeq: 0,
    });
    // The code is shown once: reads never carry it.
    expect(view.body).not.toContain(body.pairingCode);
  });

  it('an address that sent too many wrong codes must wait, even with the right code; others need not', async () => {
    const s = await shop(t);
    const created = await s.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: 'Касса 2',
    });
    const code = created.json<{ pairingCode: string }>().pairingCode;
    const from = (remoteAddress: string, value: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pair',
        payload: { code: value, deviceName: 'till' },
        remoteAddress,
      });
    for (let i = 0; i < MAX_PAIRING_FAILURES_PER_ADDRESS; i++)
      expect((await from('10.9.8.7', 'AAAAAAAA')).statusCode).toBe(400);
    const throttled = await from('10.9.8.7', code);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'too_many_requests' });
    expect(throttled.json<{ message: string }>().message).toContain('Подождите 15 минут');
    // The right code was not spent by the refused attempt: another address still pairs with it.
    expect((await from('10.9.8.6', code)).statusCode).toBe(200);
  });

  it('a new code replaces the old one, and re-pairing replaces the token', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const fresh = await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`);
    expect(fresh.statusCode).toBe(200);
    const second = await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`);
    expect((await pair(fresh.json<{ pairingCode: string }>().pairingCode)).statusCode).toBe(400);
    const repaired = await pair(second.json<{ pairingCode: string }>().pairingCode);
    expect(repaired.statusCode).toBe(200);
    expect(repaired.json<{ terminalId: string }>().terminalId).toBe(terminal.id);
    const old = await terminal.request('GET', '/api/v1/sync/pull?stream=settings');
    expect(old.statusCode).toBe(401);
    expect(old.json()).toMatchObject({ code: 'terminal_unauthorized' });
  });

  it('a revoked terminal is refused with the Russian message, and its pending code no longer pairs', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    expect((await terminal.request('GET', '/api/v1/sync/pull?stream=settings')).statusCode).toBe(200);
    const code = (await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`)).json<{
      pairingCode: string;
    }>().pairingCode;
    const revoked = await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked' });

    const refused = await terminal.request('GET', '/api/v1/sync/pull?stream=settings');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({
      code: 'terminal_revoked',
      message: 'Терминал отключён в кабинете. Обратитесь к администратору и подключите его заново.',
      details: null,
    });
    expect((await pair(code)).statusCode).toBe(400);

    // A fresh code from the cabinet brings it back under the same id.
    const again = await s.owner.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`);
    const repaired = await pair(again.json<{ pairingCode: string }>().pairingCode);
    expect(repaired.json<{ terminalId: string }>().terminalId).toBe(terminal.id);
    expect((await s.owner.request('GET', `/api/v1/terminals/${terminal.id}`)).json()).toMatchObject({
      status: 'active',
    });
  });

  it('lists terminals with their sync state; analyst reads but cannot manage', async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const analyst = await t.signIn('analyst', s.owner.merchantId);
    const list = await analyst.request('GET', '/api/v1/terminals');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ id: terminal.id, deadLetters: 0, overdraftReceipts: 0 }],
    });
    expect(
      (await analyst.request('POST', '/api/v1/terminals', { storeId: s.storeId, name: 'X' })).statusCode,
    ).toBe(403);
    expect((await analyst.request('POST', `/api/v1/terminals/${terminal.id}/revoke`)).statusCode).toBe(403);
    expect((await analyst.request('POST', `/api/v1/terminals/${terminal.id}/pairing-code`)).statusCode).toBe(
      403,
    );
    const manager = await t.signIn('manager', s.owner.merchantId);
    expect(
      (await manager.request('POST', '/api/v1/terminals', { storeId: s.storeId, name: 'Касса 2' }))
        .statusCode,
    ).toBe(201);
    expect((await analyst.request('GET', '/api/v1/terminals/dead-letters')).statusCode).toBe(200);
  });

  it("answers 404 for another merchant's terminals and stores", async () => {
    const s = await shop(t);
    const terminal = await pairedTerminal(t, s);
    const other = await shop(t);
    for (const [method, url] of [
      ['GET', `/api/v1/terminals/${terminal.id}`],
      ['PATCH', `/api/v1/terminals/${terminal.id}`],
      ['POST', `/api/v1/terminals/${terminal.id}/pairing-code`],
      ['POST', `/api/v1/terminals/${terminal.id}/revoke`],
    ] as const) {
      const response = await other.owner.request(
        method,
        url,
        method === 'PATCH' ? { name: 'Чужая' } : undefined,
      );
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const foreignStore = await other.owner.request('POST', '/api/v1/terminals', {
      storeId: s.storeId,
      name: 'X',
    });
    expect(foreignStore.statusCode).toBe(404);
    expect((await other.owner.request('GET', '/api/v1/terminals')).json()).toMatchObject({ total: 0 });
  });

  it('shows the worst-case offline overspend: active terminals times the per-terminal limit', async () => {
    const s = await shop(t);
    const exposure = () => s.owner.request('GET', '/api/v1/terminals/offline-exposure');
    // No limit set: unbounded, said as null.
    expect((await exposure()).json()).toMatchObject({ activeTerminals: 0, worstCaseOverspend: null });
    const programme = (await s.owner.request('GET', '/api/v1/programme')).json<{
      settings: Record<string, unknown>;
    }>();
    const saved = await s.owner.request('PUT', '/api/v1/programme/settings', {
      ...programme.settings,
      offlineLimits: { maxPointsPerTerminalSinceSync: 30_000 },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await pairedTerminal(t, s, 'Касса 1');
    const second = await pairedTerminal(t, s, 'Касса 2');
    expect((await exposure()).json()).toMatchObject({
      activeTerminals: 2,
      maxPointsPerTerminalSinceSync: 30_000,
      worstCaseOverspend: 60_000,
      debtOwed: 0,
    });
    // A revoked terminal can no longer spend.
    await s.owner.request('POST', `/api/v1/terminals/${second.id}/revoke`);
    expect((await exposure()).json()).toMatchObject({ activeTerminals: 1, worstCaseOverspend: 30_000 });
    const analyst = await t.signIn('analyst', s.owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/terminals/offline-exposure')).statusCode).toBe(200);
  });
});
