// The merchant's buyer tags (what promotions aimed at segments match): counted per merchant,
// erased buyers left out, most used first, only for signed-in roles that read buyers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

let phone = 0;
async function buyerWith(session: Session, tags: string[]): Promise<string> {
  const created = await session.request('POST', '/api/v1/buyers', {
    phone: `+7 901 ${2_000_000 + ++phone}`,
    tags,
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

type Tags = { items: Array<{ tag: string; buyers: number }> };

describe('GET /buyers/tags', () => {
  it("counts the merchant's own buyers per tag, most used first, without erased buyers", async () => {
    const owner = await t.signIn('owner');
    const other = await t.signIn('owner');
    await buyerWith(owner, ['VIP', 'Сотрудники']);
    await buyerWith(owner, ['VIP']);
    const erased = await buyerWith(owner, ['VIP', 'Опт']);
    await buyerWith(owner, []);
    await buyerWith(other, ['Чужая метка', 'VIP']);
    expect((await owner.request('DELETE', `/api/v1/buyers/${erased}`)).statusCode).toBe(204);

    const answer = await owner.request('GET', '/api/v1/buyers/tags');
    expect(answer.statusCode).toBe(200);
    expect(answer.json<Tags>().items).toEqual([
      { tag: 'VIP', buyers: 2 },
      { tag: 'Сотрудники', buyers: 1 },
    ]);
    expect((await other.request('GET', '/api/v1/buyers/tags')).json<Tags>().items).toEqual([
      { tag: 'VIP', buyers: 1 },
      { tag: 'Чужая метка', buyers: 1 },
    ]);
  });

  it('answers a read-only role the same tags, and refuses a caller without a session', async () => {
    const owner = await t.signIn('owner');
    await buyerWith(owner, ['Студенты']);
    const analyst = await t.signIn('analyst', owner.merchantId);
    const byAnalyst = await analyst.request('GET', '/api/v1/buyers/tags');
    expect(byAnalyst.statusCode).toBe(200);
    expect(byAnalyst.json<Tags>().items).toEqual([{ tag: 'Студенты', buyers: 1 }]);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/buyers/tags' });
    expect(anonymous.statusCode).toBe(401);
  });
});
