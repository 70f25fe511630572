// `sale.scan`: one round trip from a scanned code to the new total (issue 5, <= 50 ms). The
// screen sends the code with the receipt as it has it; the core tells what the code is (a buyer
// QR, a product barcode, a card), adds a product to the receipt (a product already on it without
// a price of its own gets one more piece on its line, as the screen does) and prices the result.
// The screen then shows the answer as is, without a second call.
import type { Problem, Result } from '@loyalty/core/shared/result';
import { ok } from '@loyalty/core/shared/result';
import type { ProductItem } from '@loyalty/protocol/sync/pull.schema';
import { identifyBuyer, type IdentifiedBuyer } from '#core/buyers/buyer-service.ts';
import { productsByBarcode } from '#core/catalogue/products.repository.ts';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { fail, type HandlerResult } from '#core/shared/terminal-error.ts';
import { calculateAtTill, type CalculateAnswer } from './sale-pricing.ts';
import type { SaleArgs, ScanArgs } from './sale.schema.ts';

/** One piece (quantities are thousandths). */
const PIECE = 1000;
/** A buyer's QR from the wallet (A1), as a 2D scanner reads it. */
const BUYER_QR = /^LQ\d+\./;

/** The code was neither a product of the till's catalogue nor a buyer's card. */
export const SCAN_UNKNOWN = 'scan_unknown';

/** What the scan was and the receipt priced with it (null when there is nothing to price). */
export type ScanAnswer =
  | {
      readonly kind: 'product';
      readonly product: ProductItem;
      /** The line the product went to (its index after the scan) and that line's new quantity. */
      readonly line: { readonly index: number; readonly quantity: number };
      readonly priced: Result<CalculateAnswer, Problem>;
    }
  | {
      readonly kind: 'buyer';
      readonly buyer: IdentifiedBuyer;
      readonly priced: Result<CalculateAnswer, Problem> | null;
    };

/** Where a product scan lands: the product's own line (no price of its own), else a new line. */
export function addScannedProduct(
  lines: SaleArgs['lines'],
  productId: string,
): { lines: SaleArgs['lines']; index: number } {
  const same = lines.findIndex((l) => l.productId === productId && l.price === undefined);
  if (same < 0) return { lines: [...lines, { productId, quantity: PIECE }], index: lines.length };
  return {
    lines: lines.map((l, i) => (i === same ? { ...l, quantity: l.quantity + PIECE } : l)),
    index: same,
  };
}

/** Handles one scan against the receipt the screen sent. */
export async function scanAtTill(ctx: TerminalContext, args: ScanArgs): Promise<HandlerResult<ScanAnswer>> {
  const { code, ...sale } = args;
  const withBuyer = async (buyer: IdentifiedBuyer): Promise<HandlerResult<ScanAnswer>> =>
    ok({
      kind: 'buyer',
      buyer,
      priced:
        sale.lines.length === 0
          ? null
          : await calculateAtTill(ctx, { ...sale, buyerId: buyer.buyerId, identifiedBy: buyer.identifiedBy }),
    });

  if (BUYER_QR.test(code)) {
    const byQr = await identifyBuyer(ctx, { qr: code });
    return byQr.ok ? withBuyer(byQr.value) : byQr;
  }
  const product = productsByBarcode(ctx.db, code)[0];
  if (product) {
    const added = addScannedProduct(sale.lines, product.id);
    return ok({
      kind: 'product',
      product,
      line: { index: added.index, quantity: added.lines[added.index]?.quantity ?? PIECE },
      priced: await calculateAtTill(ctx, { ...sale, lines: added.lines }),
    });
  }
  const byCard = await identifyBuyer(ctx, { cardNumber: code });
  if (byCard.ok) return withBuyer(byCard.value);
  return fail(
    SCAN_UNKNOWN,
    `Код ${code} не найден: это не штрихкод товара из каталога терминала и не номер карты покупателя. Проверьте код или найдите товар поиском (F3).`,
    { code, card: byCard.error.code },
  );
}
