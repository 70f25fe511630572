// The category tree: nesting, cycles, depth, deletion rules, paging, isolation, rights, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';
import { MAX_CATEGORY_DEPTH } from './categories.service.ts';

type Category = { id: string; name: string; parentId: string | null; position: number };
type Node = Category & { children: Node[] };
type Page<T> = { items: T[]; total: number };
type ApiError = { code: string; details: { reason?: string; issues?: Array<{ path: string }> } | null };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function createCategory(session: Session, body: object): Promise<Category> {
  const response = await session.request('POST', '/api/v1/categories', body);
  expect(response.statusCode).toBe(201);
  return response.json<Category>();
}

const names = (nodes: Node[]): unknown[] =>
  nodes.map((n) => (n.children.length ? [n.name, names(n.children)] : n.name));

describe('categories', () => {
  it('builds a tree ordered by position, and moves branches', async () => {
    const owner = await t.signIn('owner');
    const food = await createCategory(owner, { name: 'Продукты', position: 2 });
    const drinks = await createCategory(owner, { name: 'Напитки', position: 1 });
    const dairy = await createCategory(owner, { name: 'Молочное', parentId: food.id });
    await createCategory(owner, { name: 'Сыры', parentId: dairy.id });
    await createCategory(owner, { name: 'Вода', parentId: drinks.id, position: 5 });
    await createCategory(owner, { name: 'Соки', parentId: drinks.id, position: 1 });

    const tree = await owner.request('GET', '/api/v1/categories/tree');
    expect(tree.statusCode).toBe(200);
    expect(names(tree.json<Node[]>())).toEqual([
      ['Напитки', ['Соки', 'Вода']],
      ['Продукты', [['Молочное', ['Сыры']]]],
    ]);

    const moved = await owner.request('PATCH', `/api/v1/categories/${dairy.id}`, { parentId: drinks.id });
    expect(moved.json()).toMatchObject({ id: dairy.id, parentId: drinks.id, name: 'Молочное' });
    const after = await owner.request('GET', '/api/v1/categories/tree');
    expect(names(after.json<Node[]>())).toEqual([
      ['Напитки', [['Молочное', ['Сыры']], 'Соки', 'Вода']],
      'Продукты',
    ]);
    const toRoot = await owner.request('PATCH', `/api/v1/categories/${dairy.id}`, {
      parentId: null,
      position: 0,
    });
    expect(toRoot.json()).toMatchObject({ parentId: null, position: 0 });

    const read = await owner.request('GET', `/api/v1/categories/${dairy.id}`);
    expect(read.json()).toEqual({ id: dairy.id, name: 'Молочное', parentId: null, position: 0 });
  });

  it('refuses a move under itself or its own descendant with 400 category_cycle', async () => {
    const owner = await t.signIn('owner');
    const a = await createCategory(owner, { name: 'A' });
    const b = await createCategory(owner, { name: 'B', parentId: a.id });
    const c = await createCategory(owner, { name: 'C', parentId: b.id });
    for (const parentId of [a.id, c.id, b.id]) {
      const cycle = await owner.request('PATCH', `/api/v1/categories/${a.id}`, { parentId });
      expect(cycle.statusCode).toBe(400);
      expect(cycle.json<ApiError>().code).toBe('category_cycle');
    }
    const tree = await owner.request('GET', '/api/v1/categories/tree');
    expect(names(tree.json<Node[]>())).toEqual([['A', [['B', ['C']]]]]);
  });

  it(`keeps the tree within ${MAX_CATEGORY_DEPTH} levels`, async () => {
    const owner = await t.signIn('owner');
    let parentId: string | null = null;
    const chain: Category[] = [];
    for (let level = 1; level <= MAX_CATEGORY_DEPTH; level++) {
      const category = await createCategory(owner, { name: `L${level}`, parentId });
      chain.push(category);
      parentId = category.id;
    }
    const deeper = await owner.request('POST', '/api/v1/categories', { name: 'too deep', parentId });
    expect(deeper.statusCode).toBe(400);
    expect(deeper.json<ApiError>().code).toBe('category_too_deep');
    const branch = await createCategory(owner, { name: 'branch' });
    await createCategory(owner, { name: 'leaf', parentId: branch.id });
    const moveBranch = await owner.request('PATCH', `/api/v1/categories/${branch.id}`, {
      parentId: chain[MAX_CATEGORY_DEPTH - 2]?.id,
    });
    expect(moveBranch.statusCode).toBe(400);
    expect(moveBranch.json<ApiError>().code).toBe('category_too_deep');
  });

  it('deletes only categories without subcategories and active products (409 otherwise)', async () => {
    const owner = await t.signIn('owner');
    const parent = await createCategory(owner, { name: 'Бакалея' });
    const child = await createCategory(owner, { name: 'Крупы', parentId: parent.id });
    const withChildren = await owner.request('DELETE', `/api/v1/categories/${parent.id}`);
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json<ApiError>()).toMatchObject({
      code: 'conflict',
      details: { reason: 'has_children' },
    });

    const product = await owner.request('POST', '/api/v1/products', {
      sku: 'GR-1',
      name: 'Гречка',
      price: 12_900,
      categoryId: child.id,
    });
    expect(product.statusCode).toBe(201);
    const withProducts = await owner.request('DELETE', `/api/v1/categories/${child.id}`);
    expect(withProducts.statusCode).toBe(409);
    expect(withProducts.json<ApiError>().details).toMatchObject({ reason: 'has_products' });

    const productId = product.json<{ id: string }>().id;
    expect((await owner.request('DELETE', `/api/v1/products/${productId}`)).statusCode).toBe(204);
    expect((await owner.request('DELETE', `/api/v1/categories/${child.id}`)).statusCode).toBe(204);
    const archived = await owner.request('GET', `/api/v1/products/${productId}`);
    expect(archived.json()).toMatchObject({ categoryId: null, archivedAt: expect.any(String) as string });
    expect((await owner.request('GET', `/api/v1/categories/${child.id}`)).statusCode).toBe(404);
    expect((await owner.request('DELETE', `/api/v1/categories/${parent.id}`)).statusCode).toBe(204);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('merchant_id', '=', owner.merchantId)
      .where('entity', '=', 'category')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'category.create',
      'category.create',
      'category.delete',
      'category.delete',
    ]);
    expect(audit[2]).toMatchObject({
      entity_id: child.id,
      before: { name: 'Крупы', parentId: parent.id },
      after: { archivedProductsDetached: [productId] },
    });
  });

  it('pages and sorts the flat list, and filters by parent', async () => {
    const owner = await t.signIn('owner');
    const root = await createCategory(owner, { name: 'Корень' });
    for (const [i, name] of ['Ягоды', 'арбузы', 'Ёлочные игрушки', 'Бананы'].entries())
      await createCategory(owner, { name, parentId: root.id, position: 10 - i });
    const byName = await owner.request('GET', `/api/v1/categories?parentId=${root.id}&sort=name&pageSize=3`);
    expect(byName.json<Page<Category>>().total).toBe(4);
    expect(byName.json<Page<Category>>().items.map((c) => c.name)).toEqual([
      'арбузы',
      'Бананы',
      'Ёлочные игрушки',
    ]);
    const byPosition = await owner.request('GET', `/api/v1/categories?parentId=${root.id}&order=desc`);
    expect(byPosition.json<Page<Category>>().items.map((c) => c.position)).toEqual([10, 9, 8, 7]);
    const search = await owner.request('GET', `/api/v1/categories?search=${encodeURIComponent('ЯГОД')}`);
    expect(search.json<Page<Category>>().items.map((c) => c.name)).toEqual(['Ягоды']);
  });

  it("isolates merchants: another merchant's category answers 404 and cannot be a parent", async () => {
    const a = await t.signIn('owner');
    const b = await t.signIn('owner');
    const theirs = await createCategory(b, { name: 'Чужая' });
    const mine = await createCategory(a, { name: 'Своя' });
    expect((await a.request('GET', `/api/v1/categories/${theirs.id}`)).statusCode).toBe(404);
    expect((await a.request('PATCH', `/api/v1/categories/${theirs.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await a.request('DELETE', `/api/v1/categories/${theirs.id}`)).statusCode).toBe(404);
    const asParent = await a.request('POST', '/api/v1/categories', { name: 'x', parentId: theirs.id });
    expect(asParent.statusCode).toBe(400);
    expect(asParent.json<ApiError>().code).toBe('unknown_category');
    const moveUnder = await a.request('PATCH', `/api/v1/categories/${mine.id}`, { parentId: theirs.id });
    expect(moveUnder.json<ApiError>().code).toBe('unknown_category');
    expect(names((await a.request('GET', '/api/v1/categories/tree')).json<Node[]>())).toEqual(['Своя']);
  });

  it('lets an analyst read and refuses its writes (403); validates bodies (400)', async () => {
    const owner = await t.signIn('owner');
    const category = await createCategory(owner, { name: 'Чай' });
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/categories/tree')).statusCode).toBe(200);
    expect((await analyst.request('POST', '/api/v1/categories', { name: 'x' })).statusCode).toBe(403);
    expect(
      (await analyst.request('PATCH', `/api/v1/categories/${category.id}`, { name: 'x' })).statusCode,
    ).toBe(403);
    expect((await analyst.request('DELETE', `/api/v1/categories/${category.id}`)).statusCode).toBe(403);
    const marketer = await t.signIn('marketer', owner.merchantId);
    expect((await marketer.request('POST', '/api/v1/categories', { name: 'Кофе' })).statusCode).toBe(201);

    const bad = await owner.request('POST', '/api/v1/categories', {
      name: 7,
      parentId: 'nope',
      position: -1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ApiError>().code).toBe('invalid_request');
    expect((bad.json<ApiError>().details?.issues ?? []).map((i) => i.path).sort()).toEqual([
      'body.name',
      'body.parentId',
      'body.position',
    ]);
  });

  it('publishes every catalogue, store and cashier route in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/stores',
        '/api/v1/stores/{id}',
        '/api/v1/cashiers',
        '/api/v1/cashiers/{id}/reset-code',
        '/api/v1/categories/tree',
        '/api/v1/products/by-barcode/{barcode}',
      ]),
    );
  });
});
