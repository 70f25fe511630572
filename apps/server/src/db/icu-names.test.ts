// Cyrillic names are found whatever their case and sorted alphabetically in every cabinet list
// (migration 2026-12-03T19-00-icu-names): the cluster's C locale would compare them byte by byte.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { shop } from '#sync/sync.test-helper.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('names under the ICU collation', () => {
  it('finds a terminal by a lower-case Cyrillic fragment and sorts names alphabetically', async () => {
    const s = await shop(t);
    for (const name of ['Яблочная касса', 'Касса у входа', 'арбузная касса']) {
      const created = await s.owner.request('POST', '/api/v1/terminals', { storeId: s.storeId, name });
      expect(created.statusCode).toBe(201);
    }
    const found = await s.owner.request(
      'GET',
      '/api/v1/terminals?search=%D0%BA%D0%B0%D1%81%D1%81%D0%B0%20%D1%83',
    ); // "касса у"
    expect(found.statusCode).toBe(200);
    expect(found.json<{ items: Array<{ name: string }> }>().items.map((i) => i.name)).toEqual([
      'Касса у входа',
    ]);

    const { rows } = await sql<{ name: string }>`
      SELECT name FROM terminals WHERE merchant_id = ${s.owner.merchantId} ORDER BY name`.execute(t.db);
    expect(rows.map((r) => r.name)).toEqual(['арбузная касса', 'Касса у входа', 'Яблочная касса']);
  });

  it('gives every searched name column the ICU collation', async () => {
    const { rows } = await sql<{ table_name: string; collation_name: string | null }>`
      SELECT table_name, collation_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'name'
        AND table_name IN ('promotions', 'coupon_series', 'terminals', 'card_types', 'card_series',
                           'stores', 'cashiers', 'categories', 'products')`.execute(t.db);
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(row, row.table_name).toMatchObject({ collation_name: 'und-x-icu' });
  });
});
