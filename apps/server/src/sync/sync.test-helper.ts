// Test fixtures for terminals and sync: a merchant with a programme and a store, a paired
// terminal and a small client that speaks the protocol with its token.
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Session, TestApp } from '../../test/test-app.ts';

export const standardRule = {
  accrual: { kind: 'percent', percent: 200 },
  accrualBase: 'paid',
  rounding: 'nearest_whole',
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

/** A merchant with a programme (2 % accrual, points pay up to 100 %) and one store. */
export type Shop = { owner: Session; storeId: string };

export async function shop(t: TestApp): Promise<Shop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: standardRule,
  });
  expect(cardType.statusCode).toBe(201);
  const store = await owner.request('POST', '/api/v1/stores', {
    name: 'Магазин 1',
    address: 'ул. Ленина, 1',
    attributes: { city: 'Казань' },
  });
  expect(store.statusCode).toBe(201);
  return { owner, storeId: store.json<{ id: string }>().id };
}

/** A paired terminal and requests signed with its token. */
export type TerminalClient = {
  id: string;
  token: string;
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
};

export async function pairedTerminal(t: TestApp, s: Shop, name = 'Касса 1'): Promise<TerminalClient> {
  const created = await s.owner.request('POST', '/api/v1/terminals', { storeId: s.storeId, name });
  expect(created.statusCode).toBe(201);
  const { pairingCode } = created.json<{ pairingCode: string }>();
  const paired = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sync/pair',
    payload: { code: pairingCode, deviceName: 'till-01' },
  });
  expect(paired.statusCode).toBe(200);
  const { terminalId, token } = paired.json<{ terminalId: string; token: string }>();
  return {
    id: terminalId,
    token,
    request: (method, url, body) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  };
}
