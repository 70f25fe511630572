// The programme screens' last gaps through the API (issue 6, C3, C4) on a real PostgreSQL: a rule's
// rounding and accrual base are stored as sent, exported in words, and the engine prices with them
// (the promotion preview of 5 % of 99 RUB gives 4, 5 or 4.95 points); bad values are a 400 naming the field,
// an analyst's write a 403, another merchant's card type is refused; and the preview taken at a
// chosen moment (`now`) applies a Monday-evening happy hour at 18:30 Moscow time and not at 12:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetRows } from '#import-export/upload.test-helper.ts';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const rule = {
  accrual: { kind: 'percent', percent: 500 },
  expiry: { kind: 'never' },
  activation: { kind: 'immediate' },
  payment: { kind: 'forbidden' },
};

async function programme(owner: Session): Promise<string> {
  const created = await owner.request('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: rule,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

type Line = { accrual: number; discount: number; happyHourId: string | null };
type Calculation = { lines: Line[]; totals: { accrual: number; discount: number } };

/** The preview of one 99 RUB line for a buyer of `cardTypeId`, priced at `now` if given. */
async function preview(owner: Session, cardTypeId: string, storeId: string, now?: number) {
  const res = await owner.request('POST', '/api/v1/promotions/preview', {
    receipt: {
      storeId,
      lines: [{ productId: 'bread', categoryId: null, quantity: 1000, price: 9_900 }],
    },
    buyer: { id: '00000000-0000-4000-8000-000000000000', cardTypeId, purchasesCount: 1 },
    ...(now === undefined ? {} : { now }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Calculation>();
}

describe('a rule’s rounding and accrual base (C3)', () => {
  it('stores them as sent, and the engine rounds 5 % of 99 RUB down, to nearest, or not at all', async () => {
    const owner = await t.signIn('owner');
    const cardTypeId = await programme(owner);
    const store = (
      await owner.request('POST', '/api/v1/stores', { name: 'Ромашка', address: 'ул. Мира, 1' })
    ).json<{ id: string }>().id;
    const put = (rounding: string, accrualBase: string) =>
      owner.request('PUT', '/api/v1/programme/rules', {
        rules: [{ ...rule, cardTypeId, categoryId: null, rounding, accrualBase }],
      });

    const expected = { down_whole: 400, nearest_whole: 500, hundredth: 495 };
    for (const [rounding, points] of Object.entries(expected)) {
      const saved = await put(rounding, 'full');
      expect(saved.statusCode, saved.body).toBe(200);
      const stored = (await owner.request('GET', '/api/v1/programme')).json<{
        rules: Array<{ rounding: string; accrualBase: string }>;
      }>();
      expect(stored.rules).toEqual([expect.objectContaining({ rounding, accrualBase: 'full' })]);
      expect((await preview(owner, cardTypeId, store)).totals.accrual, rounding).toBe(points);
    }
    // The matrix export names them in words.
    const file = await owner.request('GET', '/api/v1/exports/rules.xlsx');
    expect(file.statusCode, file.body).toBe(200);
    const [header = [], first = []] = await sheetRows(file.rawPayload);
    expect(first[header.indexOf('Стандартная: начисляется на')]).toBe('сумма после скидок с баллами');
    expect(first[header.indexOf('Стандартная: округление')]).toBe('без округления');
    // The change is audited with the rule as sent.
    const audit = (await owner.request('GET', '/api/v1/audit-log?entity=programme')).json<{
      items: Array<{ action: string; after: unknown }>;
    }>();
    expect(audit.items[0]).toMatchObject({
      action: 'programme.rules',
      after: [expect.objectContaining({ rounding: 'hundredth', accrualBase: 'full' })],
    });
  });

  it('refuses a bad rounding or base with 400 on the field, an analyst with 403, a foreign card type', async () => {
    const owner = await t.signIn('owner');
    const cardTypeId = await programme(owner);
    const bad = await owner.request('PUT', '/api/v1/programme/rules', {
      rules: [{ ...rule, cardTypeId, categoryId: null, rounding: 'up', accrualBase: 'everything' }],
    });
    expect(bad.statusCode).toBe(400);
    const body = bad.json<{ code: string; details: { issues: Array<{ path: string }> } }>();
    expect(body.code).toBe('invalid_request');
    expect(body.details.issues.map((i) => i.path).sort()).toEqual([
      'body.rules.0.accrualBase',
      'body.rules.0.rounding',
    ]);

    const analyst = await t.signIn('analyst', owner.merchantId);
    const denied = await analyst.request('PUT', '/api/v1/programme/rules', {
      rules: [{ ...rule, cardTypeId, categoryId: null, rounding: 'hundredth' }],
    });
    expect(denied.statusCode).toBe(403);

    const other = await t.signIn('owner');
    const foreignType = await programme(other);
    const foreign = await owner.request('PUT', '/api/v1/programme/rules', {
      rules: [
        { ...rule, cardTypeId, categoryId: null },
        { ...rule, cardTypeId: foreignType, categoryId: null, rounding: 'hundredth' },
      ],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ code: string }>().code).toMatch(/^(invalid_programme|unknown_card_type)$/);
    // Nothing of either refused write was stored.
    const stored = (await owner.request('GET', '/api/v1/programme')).json<{
      rules: Array<{ rounding: string }>;
    }>();
    expect(stored.rules).toEqual([expect.objectContaining({ rounding: 'down_whole' })]);
  });
});

describe('the preview at a chosen moment prices happy hours (C4)', () => {
  it('applies a Monday 18:00–21:00 happy hour at 18:30 Moscow time and not at 12:00', async () => {
    const owner = await t.signIn('owner');
    const cardTypeId = await programme(owner);
    const store = (
      await owner.request('POST', '/api/v1/stores', { name: 'Ромашка', address: 'ул. Мира, 1' })
    ).json<{ id: string }>().id;
    const saved = await owner.request('PUT', '/api/v1/programme/happy-hours', {
      happyHours: [
        {
          name: 'Вечер',
          days: [1],
          windows: [{ from: '18:00', to: '21:00' }],
          accrual: { kind: 'percent', percent: 1000 },
        },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const happyHourId = (await owner.request('GET', '/api/v1/programme')).json<{
      happyHours: Array<{ id: string }>;
    }>().happyHours[0]?.id;
    expect(happyHourId).toBeDefined();

    // Monday 1 June 2026: 18:30 and 12:00 in Moscow (UTC+3), and 18:30 on Tuesday.
    const evening = await preview(owner, cardTypeId, store, Date.parse('2026-06-01T15:30:00Z'));
    expect(evening.lines[0]?.happyHourId).toBe(happyHourId);
    // 10 % of 99 RUB is 9.9 points, rounded down to whole points by the rule; 5 % outside.
    expect(evening.totals.accrual).toBe(900);
    const noon = await preview(owner, cardTypeId, store, Date.parse('2026-06-01T09:00:00Z'));
    expect(noon.lines[0]?.happyHourId).toBeNull();
    expect(noon.totals.accrual).toBe(400);
    const tuesday = await preview(owner, cardTypeId, store, Date.parse('2026-06-02T15:30:00Z'));
    expect(tuesday.lines[0]?.happyHourId).toBeNull();

    // Another merchant's store is not in this programme; a moment that is not a number is a 400.
    const otherStore = (
      await (
        await t.signIn('owner')
      ).request('POST', '/api/v1/stores', { name: 'Чужой', address: 'ул. Чужая, 1' })
    ).json<{ id: string }>().id;
    const foreign = await owner.request('POST', '/api/v1/promotions/preview', {
      receipt: { storeId: otherStore, lines: [{ productId: 'bread', quantity: 1000, price: 9_900 }] },
      now: Date.parse('2026-06-01T15:30:00Z'),
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ code: string }>().code).toBe('invalid_input');
    const badTime = await owner.request('POST', '/api/v1/promotions/preview', {
      receipt: { storeId: store, lines: [{ productId: 'bread', quantity: 1000, price: 9_900 }] },
      now: 'вечером',
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json<{ code: string }>().code).toBe('invalid_request');
  });
});
