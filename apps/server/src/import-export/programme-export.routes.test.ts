// B5 exports of the programme (C2-C4) on a real PostgreSQL, parsed back with exceljs: the card
// types in the programme's order; the rules matrix with categories as rows (the whole tree, by
// path) and per card type the accrual, expiry, activation, payment, discount and where the rule
// in force comes from (own, an ancestor's, the default), as the engine resolves it; the happy
// hours with names for ids. Another merchant sees none of it; no session answers 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { exportedSheet } from './upload.test-helper.ts';

let t: TestApp;
let owner: Session;
let standardId: string;
let goldId: string;

async function ok<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await owner.request(method, url, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

async function exported(url: string, as: Session = owner) {
  const res = await as.request('GET', url);
  return exportedSheet(res);
}

const rule = (percent: number) => ({
  accrual: { kind: 'percent', percent },
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 5000, minPoints: 1000 },
});

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signIn('owner');
  standardId = (
    await ok<{ id: string }>('POST', '/api/v1/card-types', {
      name: 'Стандартная',
      rank: 0,
      threshold: null,
      issue: 'default',
      defaultRule: rule(200),
    })
  ).id;
  goldId = (
    await ok<{ id: string }>('POST', '/api/v1/card-types', {
      name: 'Золотая',
      rank: 2,
      threshold: 5_000_000,
      issue: 'threshold',
      defaultRule: rule(500),
    })
  ).id;
  const dairy = await ok<{ id: string }>('POST', '/api/v1/categories', { name: 'Молочка' });
  await ok('POST', '/api/v1/categories', { name: 'Сыр', parentId: dairy.id });
  await ok('POST', '/api/v1/categories', { name: 'Хлеб' });
  const programme = await ok<{ rules: Array<Record<string, unknown>> }>('GET', '/api/v1/programme');
  await ok('PUT', '/api/v1/programme/rules', {
    rules: [
      ...programme.rules.map(({ id: _id, ...r }) => r),
      {
        ...rule(0),
        cardTypeId: standardId,
        categoryId: dairy.id,
        accrual: { kind: 'per_amount', everyKopecks: 1000, points: 100 },
        expiry: { kind: 'fixed_dates', dates: ['12-31'] },
        activation: { kind: 'after_days', days: 14 },
        payment: { kind: 'forbidden' },
        discountPercent: 350,
      },
    ],
  });
  await ok('PUT', '/api/v1/programme/happy-hours', {
    happyHours: [
      {
        name: 'Вечер',
        days: [1, 2],
        windows: [{ from: '18:00', to: '21:00' }],
        cardTypeIds: [goldId],
        categoryIds: [dairy.id],
        accrual: { kind: 'percent', percent: 1000 },
        discountPercent: null,
      },
    ],
  });
});
afterAll(async () => {
  await t.close();
});

describe('programme exports (B5, C2-C4)', () => {
  it('card types in the programme order with how they are issued and the threshold in roubles', async () => {
    const programme = await ok<{ cardTypes: { id: string }[] }>('GET', '/api/v1/programme');
    const { column } = await exported('/api/v1/exports/card-types.xlsx');
    expect(column('ID')).toEqual(programme.cardTypes.map((c) => c.id));
    expect(column('Название')).toEqual(['Стандартная', 'Золотая']);
    expect(column('Как выдаётся')).toEqual(['при регистрации', 'по сумме покупок']);
    expect(column('Порог суммы покупок, ₽')).toEqual([null, 50_000]);
  });

  it('the rules matrix: categories as rows by path, each kind of value per card type, the rule in force', async () => {
    const { column } = await exported('/api/v1/exports/rules.xlsx');
    expect(column('Категория')).toEqual(['Все категории', 'Молочка', 'Молочка / Сыр', 'Хлеб']);
    expect(column('Стандартная: начисление')).toEqual([
      '2 %',
      '1 балл. за каждые 10 ₽',
      '1 балл. за каждые 10 ₽',
      '2 %',
    ]);
    expect(column('Стандартная: сгорание')).toEqual([
      'через 365 дн.',
      'в даты 12-31',
      'в даты 12-31',
      'через 365 дн.',
    ]);
    expect(column('Стандартная: активация')).toEqual(['сразу', 'через 14 дн.', 'через 14 дн.', 'сразу']);
    expect(column('Стандартная: оплата баллами')).toEqual([
      'до 50 %, от 10 баллов',
      'запрещена',
      'запрещена',
      'до 50 %, от 10 баллов',
    ]);
    expect(column('Стандартная: скидка, %')).toEqual([0, 3.5, 3.5, 0]);
    expect(column('Стандартная: правило')).toEqual(['своё', 'своё', 'как у «Молочка»', 'по умолчанию']);
    expect(column('Золотая: начисление')).toEqual(['5 %', '5 %', '5 %', '5 %']);
    expect(column('Золотая: правило')).toEqual(['своё', 'по умолчанию', 'по умолчанию', 'по умолчанию']);
  });

  it('happy hours with days, hours and names for ids', async () => {
    const { rows, column } = await exported('/api/v1/exports/happy-hours.xlsx');
    expect(rows).toHaveLength(1);
    expect(column('Название')).toEqual(['Вечер']);
    expect(column('Дни')).toEqual(['Пн, Вт']);
    expect(column('Часы')).toEqual(['18:00–21:00']);
    expect(column('Типы карт')).toEqual(['Золотая']);
    expect(column('Категории')).toEqual(['Молочка']);
    expect(column('Магазины')).toEqual(['все']);
    expect(column('Начисление')).toEqual(['10 %']);
    expect(column('Скидка, %')).toEqual([null]);
  });

  it('an analyst reads them, another merchant sees none of them, no session is refused', async () => {
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await exported('/api/v1/exports/rules.xlsx', analyst)).rows).toHaveLength(4);
    const other = await t.signIn('owner');
    expect((await exported('/api/v1/exports/card-types.xlsx', other)).rows).toHaveLength(0);
    expect((await exported('/api/v1/exports/happy-hours.xlsx', other)).rows).toHaveLength(0);
    // Without card types the matrix still has its default row, and no card type columns.
    const empty = await exported('/api/v1/exports/rules.xlsx', other);
    expect(empty.header).toEqual(['Категория']);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/exports/rules.xlsx' });
    expect(anonymous.statusCode).toBe(401);
  });
});
