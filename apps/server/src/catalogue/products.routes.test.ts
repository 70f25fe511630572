// Products: CRUD, SKU and barcode uniqueness, lookup by barcode, category filters with
// descendants, paging and sorting, isolation, rights, validation, audit, and no 5xx on odd input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../test/test-app.ts';

type Product = {
  id: string;
  sku: string;
  name: string;
  price: number;
  minPrice: number;
  barcodes: string[];
  categoryId: string | null;
  archivedAt: string | null;
};
type Page<T> = { items: T[]; total: number };
type ApiError = { code: string; details: { issues?: Array<{ path: string }>; field?: string } | null };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function createProduct(session: Session, body: object): Promise<Product> {
  const response = await session.request('POST', '/api/v1/products', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Product>();
}

async function createCategory(session: Session, name: string, parentId: string | null = null) {
  const response = await session.request('POST', '/api/v1/categories', { name, parentId });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>();
}

const issuePaths = (body: ApiError) => (body.details?.issues ?? []).map((i) => i.path).sort();

describe('products', () => {
  it('creates, reads, changes and archives a product, auditing each change', async () => {
    const manager = await t.signIn('manager');
    const created = await createProduct(manager, {
      sku: 'MLK-1',
      name: 'Молоко 3,2 %',
      price: 8_990,
      minPrice: 7_000,
      barcodes: ['4601234567890', '4601234567890', '2000000000015'],
      noAccrual: true,
      unit: 'piece',
    });
    expect(created).toMatchObject({
      sku: 'MLK-1',
      price: 8_990,
      minPrice: 7_000,
      barcodes: ['4601234567890', '2000000000015'],
      noDiscount: false,
      noAccrual: true,
      noPointsPayment: false,
      categoryId: null,
      archivedAt: null,
    });
    const read = await manager.request('GET', `/api/v1/products/${created.id}`);
    expect(read.json()).toEqual(created);

    const patched = await manager.request('PATCH', `/api/v1/products/${created.id}`, {
      price: 9_490,
      barcodes: ['4601234567890'],
      unit: 'kg',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      price: 9_490,
      minPrice: 7_000,
      barcodes: ['4601234567890'],
      unit: 'kg',
    });

    expect((await manager.request('DELETE', `/api/v1/products/${created.id}`)).statusCode).toBe(204);
    expect(
      (await manager.request('GET', `/api/v1/products/${created.id}`)).json<Product>().archivedAt,
    ).not.toBeNull();
    expect((await manager.request('PATCH', `/api/v1/products/${created.id}`, { price: 1 })).statusCode).toBe(
      404,
    );
    expect((await manager.request('DELETE', `/api/v1/products/${created.id}`)).statusCode).toBe(404);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('merchant_id', '=', manager.merchantId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['product.create', 'product.update', 'product.archive']);
    expect(audit[1]).toMatchObject({
      entity_id: created.id,
      before: { price: 8_990, unit: 'piece' },
      after: { price: 9_490, unit: 'kg' },
    });
  });

  it('refuses a duplicate SKU and a barcode of another active product (409)', async () => {
    const owner = await t.signIn('owner');
    const first = await createProduct(owner, { sku: 'A-1', name: 'Хлеб', price: 5_000, barcodes: ['111'] });
    const sameSku = await owner.request('POST', '/api/v1/products', { sku: 'A-1', name: 'Другой', price: 1 });
    expect(sameSku.statusCode).toBe(409);
    expect(sameSku.json<ApiError>()).toMatchObject({ code: 'conflict', details: { field: 'sku' } });
    const sameBarcode = await owner.request('POST', '/api/v1/products', {
      sku: 'A-2',
      name: 'Батон',
      price: 4_000,
      barcodes: ['222', '111'],
    });
    expect(sameBarcode.statusCode).toBe(409);
    expect(sameBarcode.json()).toMatchObject({ details: { field: 'barcodes', barcodes: ['111'] } });

    const second = await createProduct(owner, { sku: 'A-2', name: 'Батон', price: 4_000 });
    const renameClash = await owner.request('PATCH', `/api/v1/products/${second.id}`, { sku: 'A-1' });
    expect(renameClash.statusCode).toBe(409);
    const barcodeClash = await owner.request('PATCH', `/api/v1/products/${second.id}`, { barcodes: ['111'] });
    expect(barcodeClash.statusCode).toBe(409);
    // Keeping its own SKU and barcodes is no clash.
    const self = await owner.request('PATCH', `/api/v1/products/${first.id}`, {
      sku: 'A-1',
      barcodes: ['111'],
    });
    expect(self.statusCode).toBe(200);

    // Archiving frees the barcode, not the SKU.
    await owner.request('DELETE', `/api/v1/products/${first.id}`);
    expect(
      (await owner.request('PATCH', `/api/v1/products/${second.id}`, { barcodes: ['111'] })).statusCode,
    ).toBe(200);
    expect(
      (await owner.request('POST', '/api/v1/products', { sku: 'A-1', name: 'x', price: 1 })).statusCode,
    ).toBe(409);
    // Another merchant may use the same SKU and barcode.
    const other = await t.signIn('owner');
    await createProduct(other, { sku: 'A-1', name: 'Хлеб', price: 5_000, barcodes: ['111'] });
  });

  it('finds the active product by barcode', async () => {
    const owner = await t.signIn('owner');
    const product = await createProduct(owner, {
      sku: 'S-1',
      name: 'Сыр',
      price: 1,
      barcodes: ['EAN-77', '778'],
    });
    const found = await owner.request('GET', '/api/v1/products/by-barcode/778');
    expect(found.statusCode).toBe(200);
    expect(found.json<Product>().id).toBe(product.id);
    expect((await owner.request('GET', '/api/v1/products/by-barcode/779')).statusCode).toBe(404);
    const other = await t.signIn('owner');
    expect((await other.request('GET', '/api/v1/products/by-barcode/778')).statusCode).toBe(404);
    await owner.request('DELETE', `/api/v1/products/${product.id}`);
    expect((await owner.request('GET', '/api/v1/products/by-barcode/778')).statusCode).toBe(404);
    const bad = await owner.request('GET', '/api/v1/products/by-barcode/a%20b');
    expect(bad.statusCode).toBe(400);
    expect(issuePaths(bad.json())).toEqual(['params.barcode']);
  });

  it('lists with paging, sorting, search, barcode and category with its descendants', async () => {
    const owner = await t.signIn('owner');
    const drinks = await createCategory(owner, 'Напитки');
    const juice = await createCategory(owner, 'Соки', drinks.id);
    const apple = await createCategory(owner, 'Яблочные', juice.id);
    const bakery = await createCategory(owner, 'Выпечка');
    await createProduct(owner, { sku: 'W-1', name: 'Вода', price: 3_000, categoryId: drinks.id });
    await createProduct(owner, { sku: 'J-1', name: 'Сок томатный', price: 12_000, categoryId: juice.id });
    await createProduct(owner, {
      sku: 'J-2',
      name: 'Сок яблочный',
      price: 11_000,
      categoryId: apple.id,
      barcodes: ['555'],
    });
    await createProduct(owner, { sku: 'B-1', name: 'Булка', price: 2_500, categoryId: bakery.id });
    await createProduct(owner, { sku: 'X-1', name: 'Пакет', price: 500 });

    const byPrice = await owner.request('GET', '/api/v1/products?sort=price&order=desc&pageSize=2');
    expect(byPrice.json<Page<Product>>().total).toBe(5);
    expect(byPrice.json<Page<Product>>().items.map((p) => p.price)).toEqual([12_000, 11_000]);
    const page3 = await owner.request('GET', '/api/v1/products?sort=price&order=desc&pageSize=2&page=3');
    expect(page3.json<Page<Product>>().items.map((p) => p.sku)).toEqual(['X-1']);

    const inDrinks = await owner.request('GET', `/api/v1/products?categoryId=${drinks.id}&sort=sku`);
    expect(inDrinks.json<Page<Product>>().items.map((p) => p.sku)).toEqual(['J-1', 'J-2', 'W-1']);
    const inJuice = await owner.request('GET', `/api/v1/products?categoryId=${juice.id}`);
    expect(
      inJuice
        .json<Page<Product>>()
        .items.map((p) => p.sku)
        .sort(),
    ).toEqual(['J-1', 'J-2']);
    const other = await t.signIn('owner');
    expect(
      (await other.request('GET', `/api/v1/products?categoryId=${drinks.id}`)).json<Page<Product>>().total,
    ).toBe(0);

    const byBarcode = await owner.request('GET', '/api/v1/products?barcode=555');
    expect(byBarcode.json<Page<Product>>().items.map((p) => p.sku)).toEqual(['J-2']);
    const search = await owner.request(
      'GET',
      `/api/v1/products?search=${encodeURIComponent('СОК')}&sort=name`,
    );
    expect(search.json<Page<Product>>().items.map((p) => p.name)).toEqual(['Сок томатный', 'Сок яблочный']);
    const bySku = await owner.request('GET', '/api/v1/products?search=b-1');
    expect(bySku.json<Page<Product>>().items.map((p) => p.sku)).toEqual(['B-1']);
    const underscore = await owner.request('GET', '/api/v1/products?search=_');
    expect(underscore.json<Page<Product>>().total).toBe(0);
  });

  it("isolates merchants: another merchant's product answers 404, its category 400", async () => {
    const a = await t.signIn('owner');
    const b = await t.signIn('owner');
    const theirs = await createProduct(b, { sku: 'T-1', name: 'Чужой', price: 100 });
    const theirCategory = await createCategory(b, 'Чужая');
    expect((await a.request('GET', `/api/v1/products/${theirs.id}`)).statusCode).toBe(404);
    expect((await a.request('PATCH', `/api/v1/products/${theirs.id}`, { price: 1 })).statusCode).toBe(404);
    expect((await a.request('DELETE', `/api/v1/products/${theirs.id}`)).statusCode).toBe(404);
    const intoTheirs = await a.request('POST', '/api/v1/products', {
      sku: 'M-1',
      name: 'Мой',
      price: 1,
      categoryId: theirCategory.id,
    });
    expect(intoTheirs.statusCode).toBe(400);
    expect(intoTheirs.json<ApiError>().code).toBe('unknown_category');
    expect((await b.request('GET', `/api/v1/products/${theirs.id}`)).json()).toMatchObject({ price: 100 });
  });

  it('refuses writes without catalogue:write (403) and malformed bodies (400)', async () => {
    const owner = await t.signIn('owner');
    const product = await createProduct(owner, {
      sku: 'P-1',
      name: 'Печенье',
      price: 10_000,
      minPrice: 9_000,
    });
    const analyst = await t.signIn('analyst', owner.merchantId);
    expect((await analyst.request('GET', '/api/v1/products')).statusCode).toBe(200);
    expect(
      (await analyst.request('POST', '/api/v1/products', { sku: 'x', name: 'x', price: 1 })).statusCode,
    ).toBe(403);
    expect((await analyst.request('PATCH', `/api/v1/products/${product.id}`, { price: 1 })).statusCode).toBe(
      403,
    );
    expect((await analyst.request('DELETE', `/api/v1/products/${product.id}`)).statusCode).toBe(403);

    const bad = await owner.request('POST', '/api/v1/products', {
      sku: '',
      name: 'x',
      price: 12.5,
      barcodes: ['has space'],
      unit: 'litre',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ApiError>().code).toBe('invalid_request');
    expect(issuePaths(bad.json())).toEqual(['body.barcodes.0', 'body.price', 'body.sku', 'body.unit']);

    const minAbove = await owner.request('POST', '/api/v1/products', {
      sku: 'm',
      name: 'm',
      price: 100,
      minPrice: 200,
    });
    expect(minAbove.statusCode).toBe(400);
    expect(issuePaths(minAbove.json())).toEqual(['body.minPrice']);
    // The check also holds against the stored price when only one side changes.
    const patchBelow = await owner.request('PATCH', `/api/v1/products/${product.id}`, { price: 8_000 });
    expect(patchBelow.statusCode).toBe(400);
    expect(patchBelow.json<ApiError>().code).toBe('invalid_request');
    expect(issuePaths(patchBelow.json())).toEqual(['body.minPrice']);
    const tooExpensive = await owner.request('POST', '/api/v1/products', {
      sku: 'e',
      name: 'e',
      price: 1e20,
    });
    expect(tooExpensive.statusCode).toBe(400);
    expect(new Set(issuePaths(tooExpensive.json()))).toEqual(new Set(['body.price']));
  });

  it('never answers 5xx, whatever the input', async () => {
    const owner = await t.signIn('owner');
    const product = await createProduct(owner, { sku: 'Z-1', name: 'Зефир', price: 100 });
    const probes: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/products?page=999999999999&pageSize=500'],
      ['GET', '/api/v1/products?page=1e400'],
      ['GET', '/api/v1/products?search=%00'],
      ['GET', '/api/v1/products?search=%5C'],
      ['GET', '/api/v1/products?barcode=a&barcode=b'],
      ['GET', '/api/v1/products?categoryId=00000000-0000-0000-0000-000000000000'],
      ['GET', '/api/v1/products/by-barcode/%00'],
      ['GET', '/api/v1/products/by-barcode/' + 'x'.repeat(90)],
      ['GET', '/api/v1/stores?sort=city&city=%00'],
      ['GET', '/api/v1/cashiers?storeId=1'],
      ['POST', '/api/v1/products', { sku: 'a\u0000', name: 'b', price: 1 }],
      ['POST', '/api/v1/products', { sku: 'q', name: '\udc00', price: 1 }],
      ['POST', '/api/v1/products', { sku: 'q', name: 'q', price: Number.MAX_SAFE_INTEGER + 2 }],
      ['POST', '/api/v1/products', { sku: 'q', name: 'q', price: 1, barcodes: Array(51).fill('1') }],
      ['POST', '/api/v1/products', [1, 2, 3]],
      ['POST', '/api/v1/products', 'just text'],
      ['POST', '/api/v1/stores', { name: 'x', attributes: { 'a\u0000': 'b' } }],
      ['POST', '/api/v1/stores', { name: 'x', attributes: { city: 'ok', nested: { deep: true } } }],
      ['POST', '/api/v1/stores', { name: 'x', attributes: [] }],
      ['POST', '/api/v1/cashiers', { name: 'x', code: '0'.repeat(13) }],
      ['POST', '/api/v1/categories', { name: 'x', position: 2 ** 31 }],
      ['PATCH', `/api/v1/products/${product.id}`, { categoryId: '00000000-0000-0000-0000-000000000000' }],
      ['PATCH', `/api/v1/products/${product.id}`, { name: null }],
      ['PATCH', '/api/v1/categories/00000000-0000-0000-0000-000000000000', { parentId: null }],
      ['DELETE', '/api/v1/stores/00000000-0000-0000-0000-000000000000'],
    ];
    for (const [method, url, body] of probes) {
      const response = await owner.request(method, url, body);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(500);
      if (response.statusCode >= 400)
        expect(Object.keys(response.json<object>()).sort(), `${method} ${url}: ${response.body}`).toEqual([
          'code',
          'details',
          'message',
        ]);
    }
  });
});
