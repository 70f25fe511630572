// B5 export of a buyer's points lots (C12) on a real PostgreSQL, parsed back with exceljs: the
// rows of GET /buyers/{id}/lots in its order, points with hundredths; another merchant's buyer
// answers 404 and a malformed id 400, before any file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { sheetRows } from './upload.test-helper.ts';

let t: TestApp;
let owner: Session;
let buyerId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  const buyer = await owner.request('POST', '/api/v1/buyers', {
    phone: '+79007770011',
    lastName: 'Партиева',
  });
  expect(buyer.statusCode, buyer.body).toBe(201);
  buyerId = buyer.json<{ id: string }>().id;
  for (const [points, reason] of [
    [12_345, 'Подарок'],
    [500, 'Извинение'],
  ] as const) {
    const res = await owner.request('POST', `/api/v1/buyers/${buyerId}/points`, {
      operation: 'accrue',
      points,
      reason,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterAll(async () => {
  await t.close();
});

describe('lots export (B5, C12)', () => {
  it('has the lots of the buyer card in its order', async () => {
    const lots = (await owner.request('GET', `/api/v1/buyers/${buyerId}/lots`)).json<
      { initial: number; remaining: number; source: string }[]
    >();
    const res = await owner.request('GET', `/api/v1/exports/lots.xlsx?buyerId=${buyerId}`);
    expect(res.statusCode, res.body).toBe(200);
    const [header = [], ...rows] = await sheetRows(res.rawPayload);
    const col = (name: string) => rows.map((r) => r[header.indexOf(name)] ?? null);
    expect(col('Начислено')).toEqual(lots.map((l) => l.initial / 100));
    expect(col('Осталось')).toEqual(lots.map((l) => l.remaining / 100));
    expect(col('Источник')).toEqual(lots.map((l) => l.source));
    expect([...col('Начислено')].sort()).toEqual([123.45, 5]);
  });

  it('answers 404 for another merchant buyer and 400 for a malformed id', async () => {
    const other = await t.signIn('owner');
    const foreign = await other.request('GET', `/api/v1/exports/lots.xlsx?buyerId=${buyerId}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'not_found' });
    const bad = await owner.request('GET', '/api/v1/exports/lots.xlsx?buyerId=123');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request' });
  });
});
