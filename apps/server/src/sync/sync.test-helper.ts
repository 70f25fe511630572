// Test fixtures for terminals and sync: a merchant with a programme and a store, a paired
// terminal and a small client that speaks the protocol with its token.
import { randomUUID } from 'node:crypto';
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

export async function shop(t: TestApp, rule: object = standardRule): Promise<Shop> {
  const owner = await t.signIn('owner');
  const cardType = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: rule,
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

/** A buyer created through the API, with a starting balance accrued by hand. */
export async function buyerWithPoints(s: Shop, phone: string, balance: number): Promise<string> {
  const buyer = await s.owner.request('POST', '/api/v1/buyers', { phone });
  expect(buyer.statusCode, buyer.body).toBe(201);
  const id = buyer.json<{ id: string }>().id;
  if (balance > 0) {
    const r = await s.owner.request('POST', `/api/v1/buyers/${id}/points`, {
      operation: 'accrue',
      points: balance,
      reason: 'Стартовый баланс',
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
}

/** A receipt op's payload as a till makes it: priced by the engine (the API's dry run) now. */
export async function receiptPayload(s: Shop, buyerId: string | null, price: number, pointsToPay: number) {
  const lines = [{ productId: 'milk', price, quantity: 1000 }];
  const calc = await s.owner.request('POST', '/api/v1/purchases/calculate', {
    storeId: s.storeId,
    buyer: buyerId ? { buyerId } : null,
    lines,
    pointsToPay,
  });
  expect(calc.statusCode, calc.body).toBe(200);
  const calculation = calc.json<{ calculation: { rulesVersion: string } }>().calculation;
  return {
    receiptId: randomUUID(),
    number: null,
    storeId: s.storeId,
    cashierId: null,
    buyerId,
    identifiedBy: buyerId ? 'phone' : null,
    lines,
    coupons: [],
    pointsToPay,
    calculation,
    rulesVersion: calculation.rulesVersion,
    holdId: null,
    offline: true,
  };
}

/** An op envelope. */
export const op = <P>(seq: number, kind: string, payload: P) => ({
  opId: randomUUID(),
  seq,
  kind,
  occurredAt: Date.now(),
  payload,
});
