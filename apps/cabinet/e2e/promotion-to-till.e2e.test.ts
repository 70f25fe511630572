// From the cabinet to the till (issue 6, C5 with B2): a marketer saves a promotion in the cabinet's
// editor in Chromium, and a terminal in browser mode, paired to one of the merchant's stores and
// asked only through its local HTTP API (`POST /rpc/sale.calculate`, as a third-party till asks),
// prices a receipt with it within seconds: the server's NOTIFY pokes the till over SSE and the
// till pulls the new rules. The line's reason names the promotion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './api-session.ts';
import { startBrowserTill, type BrowserTill } from './browser-till.ts';
import { chooseInTree } from './antd-select.ts';
import { startCabinet, type Cabinet } from './cabinet-harness.ts';
import { standardCardType } from './programme-setup.ts';

type Line = {
  productId: string;
  discount: number;
  applied: Array<{ source: 'card' } | { source: 'promotion'; promotionId: string; discount: number }>;
};
type Priced = {
  calculation: { lines: Line[]; totals: { discount: number } };
  promotionNames: Record<string, string>;
};

const PROMOTION = 'Молочное −20 %';

let cabinet: Cabinet;
let ownerApi: ApiSession;
let till: BrowserTill | undefined;
let cheeseId: string;
let breadId: string;

beforeAll(async () => {
  cabinet = await startCabinet();
  ownerApi = await apiSession(cabinet.app, await cabinet.user('owner'));
  await standardCardType(ownerApi);
  const store = await ownerApi<{ id: string }>('POST', '/api/v1/stores', {
    name: 'Магазин на Ленина',
    address: 'ул. Ленина, 1',
  });
  const dairy = await ownerApi<{ id: string }>('POST', '/api/v1/categories', { name: 'Молочное' });
  const cheeses = await ownerApi<{ id: string }>('POST', '/api/v1/categories', {
    name: 'Сыры',
    parentId: dairy.id,
  });
  const bakery = await ownerApi<{ id: string }>('POST', '/api/v1/categories', { name: 'Выпечка' });
  cheeseId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/products', {
      sku: 'CHEESE-1',
      name: 'Сыр «Российский»',
      price: 450_00,
      categoryId: cheeses.id,
    })
  ).id;
  breadId = (
    await ownerApi<{ id: string }>('POST', '/api/v1/products', {
      sku: 'BREAD-1',
      name: 'Хлеб',
      price: 60_00,
      categoryId: bakery.id,
    })
  ).id;
  const terminal = await ownerApi<{ pairingCode: string }>('POST', '/api/v1/terminals', {
    storeId: store.id,
    name: 'Касса 1',
  });
  till = await startBrowserTill(cabinet.baseUrl, terminal.pairingCode);
}, 180_000);

afterAll(async () => {
  await till?.close();
  await cabinet?.close();
});

/** Prices one cheese and one bread at the till, as a third-party till would ask. */
async function priceAtTill(): Promise<Priced> {
  const result = await till!.rpc<Priced>('sale.calculate', {
    lines: [
      { productId: cheeseId, quantity: 1000 },
      { productId: breadId, quantity: 1000 },
    ],
  });
  if (!result.ok) throw new Error(`sale.calculate: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const promotionsOn = (line: Line | undefined, names: Record<string, string>) =>
  (line?.applied ?? []).flatMap((a) =>
    a.source === 'promotion' ? [names[a.promotionId] ?? a.promotionId] : [],
  );

describe('a promotion saved in the cabinet prices at the till (C5, B2)', () => {
  it('the till applies a new 20 % promotion on a department within 5 s of saving, naming it on the line', async () => {
    // Before: the till knows the catalogue and prices both lines at full price.
    const before = await priceAtTill();
    expect(before.calculation.totals.discount).toBe(0);
    expect(before.calculation.lines.map((l) => l.productId)).toEqual([cheeseId, breadId]);

    const page = await cabinet.signIn(await cabinet.user('marketer'));
    await page.getByTestId('main-menu').getByText('Акции').click();
    await page.getByRole('heading', { name: 'Акции' }).waitFor();
    await page.getByTestId('create-promotion').click();
    await page.locator('#promotion_name').fill(PROMOTION);
    await page.locator('.ant-drawer').getByRole('tab', { name: 'Что даёт' }).click();
    await page.locator('#promotion_effect_percent').fill('20');
    await page.locator('.ant-drawer').getByRole('tab', { name: 'Кому, где и когда' }).click();
    // The dairy department; the cheese sits in its subcategory, which the engine counts in.
    await chooseInTree(page, 'promotion_targeting_categoryIds', 'Молочное', 'Молочное');

    const saved = Date.now();
    await page.getByTestId('promotion-save').click();
    let seconds = Number.NaN;
    let priced: Priced | undefined;
    while (Date.now() - saved < 15_000) {
      priced = await priceAtTill();
      if (priced.calculation.totals.discount > 0) {
        seconds = (Date.now() - saved) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.getByRole('button', { name: PROMOTION }).waitFor();
    await cabinet.screenshot(page, 'promotion-to-till');
    console.log(`promotion saved in the cabinet -> priced at the till: ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThanOrEqual(5);

    // 20 % off the cheese (450,00 -> 90,00 off) by the promotion named on its line; bread untouched.
    const [cheese, bread] = priced?.calculation.lines ?? [];
    expect(cheese?.discount).toBe(90_00);
    expect(promotionsOn(cheese, priced?.promotionNames ?? {})).toEqual([PROMOTION]);
    expect(bread?.discount).toBe(0);
    expect(promotionsOn(bread, priced?.promotionNames ?? {})).toEqual([]);
    const stored = await ownerApi<{ items: Array<{ id: string; name: string }> }>(
      'GET',
      '/api/v1/promotions?pageSize=50',
    );
    const promotion = stored.items.find((p) => p.name === PROMOTION);
    expect(cheese?.applied).toContainEqual(
      expect.objectContaining({ source: 'promotion', promotionId: promotion?.id, discount: 90_00 }),
    );
    await page.context().close();
  }, 120_000);
});
