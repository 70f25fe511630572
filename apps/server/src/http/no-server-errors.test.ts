// "No input makes the server answer 5xx": every route of the OpenAPI document, called by an owner
// with malformed ids, queries and bodies, answers a 4xx (or 2xx) in the { code, message, details }
// shape, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  // A programme, so routes that need one get past that check to their own validation.
  await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: {
      accrual: { kind: 'percent', percent: 200 },
      expiry: { kind: 'never' },
      activation: { kind: 'immediate' },
      payment: { kind: 'forbidden' },
    },
  });
});
afterAll(async () => {
  await t.close();
});

const ids = ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', '%00', '1'.repeat(300)];
const bodies: unknown[] = [
  {},
  [],
  'text',
  42,
  null,
  { id: 1, name: 9, points: -1, lines: 'x', email: [], page: -5 },
  { lines: [{ productId: 'p', quantity: 1e20, price: -1 }], storeId: '00000000-0000-0000-0000-000000000000' },
  { name: 'x'.repeat(100_000) },
];
const queries = [
  '',
  '?page=-1&pageSize=100000',
  '?sort=drop%20table&order=sideways',
  '?cardTypeId=,,,&ageFrom=abc',
];

describe('no 5xx from any route', () => {
  it('answers malformed requests to every documented route with 4xx and the error shape', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      if (path === '/api/v1/auth/logout') continue; // would end the session the loop uses
      for (const id of ids) {
        const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
        const variants =
          method === 'GET' || method === 'DELETE'
            ? queries.map((q) => [url + q, undefined])
            : bodies.map((b) => [url, b]);
        for (const [target, body] of variants) {
          const response = await owner.request(method, target as string, body);
          if (response.statusCode >= 500)
            failures.push(
              `${method} ${target as string} -> ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
          else if (response.statusCode >= 400) {
            const parsed = response.json<{ code?: unknown; message?: unknown }>();
            if (typeof parsed.code !== 'string' || typeof parsed.message !== 'string')
              failures.push(
                `${method} ${target as string} -> ${response.statusCode} without the error shape`,
              );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
