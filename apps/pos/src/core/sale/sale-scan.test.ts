// `sale.scan` (issue 5): one call per scan, repeat scans included, on real SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { standardSnapshot } from '@loyalty/core/testing/rules-fixtures';
import { applyPage } from '#core/sync/apply-page.ts';
import {
  BREAD_ID,
  BUYER_CARD,
  BUYER_ID,
  CATEGORY_FOOD,
  MILK_BARCODE,
  MILK_ID,
  page,
  readyTerminal,
  STORE_ID,
  T0,
  type TestTerminal,
} from '#test/terminal-fixture.ts';

let terminal: TestTerminal | undefined;
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
});

const MILK = 89_90;
const BREAD = 45_00;

describe('sale.scan', () => {
  it('adds a new product and prices the receipt with it in the same answer', async () => {
    terminal = await readyTerminal();
    const first = await terminal.handlers['sale.scan']({ code: MILK_BARCODE, lines: [] });
    if (!first.ok || first.value.kind !== 'product') throw new Error(JSON.stringify(first));
    expect(first.value.product).toMatchObject({ id: MILK_ID, name: 'Молоко 3,2% 1 л' });
    expect(first.value.line).toEqual({ index: 0, quantity: 1000 });
    expect(first.value.priced.ok && first.value.priced.value.calculation.totals.amount).toBe(MILK);

    const second = await terminal.handlers['sale.scan']({
      code: MILK_BARCODE,
      lines: [{ productId: BREAD_ID, quantity: 1000 }],
    });
    if (!second.ok || second.value.kind !== 'product') throw new Error(JSON.stringify(second));
    expect(second.value.line).toEqual({ index: 1, quantity: 1000 });
    expect(second.value.priced.ok && second.value.priced.value.calculation.totals.amount).toBe(BREAD + MILK);
  });

  it('prices a repeat scan as one more piece on the product line, in one call', async () => {
    terminal = await readyTerminal();
    const repeat = await terminal.handlers['sale.scan']({
      code: MILK_BARCODE,
      lines: [
        { productId: MILK_ID, quantity: 2000 },
        { productId: BREAD_ID, quantity: 1000 },
      ],
    });
    if (!repeat.ok || repeat.value.kind !== 'product') throw new Error(JSON.stringify(repeat));
    expect(repeat.value.line).toEqual({ index: 0, quantity: 3000 });
    if (!repeat.value.priced.ok) throw new Error(repeat.value.priced.error.message);
    expect(repeat.value.priced.value.calculation.lines.map((l) => l.quantity)).toEqual([3000, 1000]);
    expect(repeat.value.priced.value.calculation.totals.amount).toBe(3 * MILK + BREAD);

    // A line the cashier priced by hand is not the catalogue's line: the scan gets a line of its own.
    const priced = await terminal.handlers['sale.scan']({
      code: MILK_BARCODE,
      lines: [{ productId: MILK_ID, quantity: 1000, price: 50_00 }],
    });
    if (!priced.ok || priced.value.kind !== 'product') throw new Error(JSON.stringify(priced));
    expect(priced.value.line).toEqual({ index: 1, quantity: 1000 });
    expect(priced.value.priced.ok && priced.value.priced.value.calculation.totals.amount).toBe(50_00 + MILK);
  });

  it('identifies a buyer by card and prices the receipt for them; with no lines there is nothing to price', async () => {
    terminal = await readyTerminal();
    const empty = await terminal.handlers['sale.scan']({ code: BUYER_CARD });
    if (!empty.ok || empty.value.kind !== 'buyer') throw new Error(JSON.stringify(empty));
    expect(empty.value.buyer).toMatchObject({ buyerId: BUYER_ID, identifiedBy: 'card' });
    expect(empty.value.priced).toBeNull();

    const withLines = await terminal.handlers['sale.scan']({
      code: BUYER_CARD,
      lines: [{ productId: MILK_ID, quantity: 1000 }],
      pointsToPay: 10_00,
    });
    if (!withLines.ok || withLines.value.kind !== 'buyer') throw new Error(JSON.stringify(withLines));
    const priced = withLines.value.priced;
    if (!priced?.ok) throw new Error(JSON.stringify(priced));
    expect(priced.value.points?.available).toBe(500_00);
    expect(priced.value.calculation.totals).toMatchObject({ pointsPaid: 10_00, paidMoney: MILK - 10_00 });
  });

  it('answers an unknown code, a bad QR and an empty code as values, in Russian', async () => {
    terminal = await readyTerminal();
    const unknown = await terminal.handlers['sale.scan']({ code: '2999999999999', lines: [] });
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'scan_unknown',
      details: { code: '2999999999999' },
    });
    expect(!unknown.ok && unknown.error.message).toMatch(/^Код 2999999999999 не найден/);
    const qr = await terminal.handlers['sale.scan']({ code: 'LQ1.whatever' });
    expect(!qr.ok && qr.error.code).toBe('qr_unavailable');
    const blank = await terminal.handlers['sale.scan']({ code: '   ' });
    expect(!blank.ok && blank.error.code).toBe('invalid_input');
  });

  it('names only the promotions the calculation mentions, and follows a new rules version', async () => {
    terminal = await readyTerminal();
    const promotions = (milkName: string) => [
      {
        id: 'milk-10',
        name: milkName,
        targeting: { productIds: [MILK_ID] },
        effect: { kind: 'discount_percent', percent: 1000 },
      },
      {
        id: 'elsewhere',
        name: 'Не про этот чек',
        targeting: { productIds: ['nothing-here'] },
        effect: { kind: 'discount_percent', percent: 5000 },
      },
    ];
    const rules = (version: string, milkName: string) =>
      page(
        'rules',
        [
          {
            id: 'rules',
            version,
            snapshot: standardSnapshot({
              version,
              categories: [{ id: CATEGORY_FOOD, parentId: null }],
              stores: [{ id: STORE_ID, attributes: { city: 'Москва' } }],
              promotions: promotions(milkName),
            } as Parameters<typeof standardSnapshot>[0]),
          },
        ],
        T0,
      );
    applyPage(terminal.ctx.db, rules('rules-2', 'Молоко −10 %'), T0);
    const scanned = await terminal.handlers['sale.scan']({ code: MILK_BARCODE });
    if (!scanned.ok || !scanned.value.priced?.ok) throw new Error(JSON.stringify(scanned));
    expect(scanned.value.priced.value.promotionNames).toEqual({ 'milk-10': 'Молоко −10 %' });
    expect(scanned.value.priced.value.calculation.totals.discount).toBe(8_99);

    applyPage(terminal.ctx.db, rules('rules-3', 'Молоко со скидкой'), T0);
    const again = await terminal.handlers['sale.calculate']({
      lines: [{ productId: MILK_ID, quantity: 1000 }],
    });
    expect(again.ok && again.value.promotionNames).toEqual({ 'milk-10': 'Молоко со скидкой' });
  });
});
