// Turns the cashier's lines into the engine's lines and the purchase-API lines the receipt op
// carries: the product found by id, SKU or barcode in the cached catalogue, its category, floor
// and flags filled in, the catalogue price unless the till set one.
import type { z } from 'zod';
import type { ReceiptLine } from '@loyalty/core/engine/calculation-input.schema';
import { kopecks } from '@loyalty/core/money/money';
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';
import type { purchaseLineSchema } from '@loyalty/protocol/api/purchases.schema';
import { getProductsByIdOrSku, productsByBarcode } from '#core/catalogue/products.repository.ts';
import type { Sqlite } from '#core/store/database.ts';
import { TerminalError } from '#core/shared/terminal-error.ts';
import type { SaleLineArgs } from './sale.schema.ts';

/** A purchase-API line (as the receipt op carries it). */
export type PurchaseLine = z.input<typeof purchaseLineSchema>;

/** The lines resolved three ways: for the engine, for the op, and names for the slip. */
export type ResolvedLines = { engine: ReceiptLine[]; request: PurchaseLine[]; names: string[] };

/** Resolves every line; all unknown products are reported at once. */
export function resolveLines(db: Sqlite, lines: readonly SaleLineArgs[]): Result<ResolvedLines, Problem> {
  const byKey = getProductsByIdOrSku(
    db,
    lines.flatMap((l) => (l.productId === undefined ? [] : [l.productId])),
  );
  const missing: Array<{ index: number; productId?: string; barcode?: string }> = [];
  const out: ResolvedLines = { engine: [], request: [], names: [] };
  lines.forEach((line, index) => {
    const product =
      line.productId !== undefined ? byKey.get(line.productId) : productsByBarcode(db, line.barcode ?? '')[0];
    if (!product) {
      // An item missing from the catalogue can still be sold at the price the till knows.
      if (line.productId !== undefined && line.price !== undefined) {
        out.engine.push({
          ...(line.lineId === undefined ? {} : { lineId: line.lineId }),
          productId: line.productId,
          categoryId: null,
          quantity: line.quantity,
          price: kopecks(line.price),
          minPrice: kopecks(0),
          noDiscount: false,
          noAccrual: false,
          noPointsPayment: false,
        });
        out.request.push({
          ...(line.lineId === undefined ? {} : { lineId: line.lineId }),
          productId: line.productId,
          quantity: line.quantity,
          price: line.price,
        });
        out.names.push(line.productId);
        return;
      }
      missing.push({
        index,
        ...(line.productId === undefined ? {} : { productId: line.productId }),
        ...(line.barcode === undefined ? {} : { barcode: line.barcode }),
      });
      return;
    }
    const price = line.price ?? product.price;
    const lineId = line.lineId === undefined ? {} : { lineId: line.lineId };
    out.engine.push({
      ...lineId,
      productId: product.id,
      categoryId: product.categoryId,
      quantity: line.quantity,
      price: kopecks(price),
      minPrice: kopecks(product.minPrice),
      noDiscount: product.noDiscount,
      noAccrual: product.noAccrual,
      noPointsPayment: product.noPointsPayment,
    });
    out.request.push({
      ...lineId,
      productId: product.id,
      quantity: line.quantity,
      price,
      categoryId: product.categoryId,
      minPrice: product.minPrice,
      noDiscount: product.noDiscount,
      noAccrual: product.noAccrual,
      noPointsPayment: product.noPointsPayment,
    });
    out.names.push(product.name);
  });
  if (missing.length > 0)
    return err({
      code: TerminalError.productNotFound,
      message:
        missing.length === 1
          ? 'Товар не найден в каталоге терминала: проверьте штрихкод или укажите цену вручную.'
          : `Не найдено товаров в каталоге терминала: ${missing.length}. Проверьте штрихкоды или укажите цены вручную.`,
      details: { missing },
    });
  return ok(out);
}
