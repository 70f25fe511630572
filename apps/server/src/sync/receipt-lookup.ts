// A stored receipt on demand, for a return at a terminal other than the one that sold it (B3):
// merchant-scoped; by number only within the terminal's store, because every till numbers its
// own receipts and the same number is printed by every till of a store.
import type { z } from 'zod';
import {
  ReceiptLookupError,
  type receiptLookupQuerySchema,
  type StoredReceiptItem,
} from '@loyalty/protocol/sync/receipt-lookup.schema';
import type { Db } from '#db/database.ts';
import { ApiError, notFound } from '#http/api-error.ts';
import type { TerminalActor } from './terminal-auth.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ReturnRequest = { lines: Array<{ index: number; quantity: number }> };

/** The receipt with its returns, read in one snapshot; 404 when none, 409 when a number is ambiguous. */
export async function lookupReceipt(
  db: Db,
  terminal: TerminalActor,
  query: z.output<typeof receiptLookupQuerySchema>,
): Promise<StoredReceiptItem> {
  const m = terminal.merchantId;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      let q = trx
        .selectFrom('receipts')
        .select(['id', 'number', 'store_id', 'buyer_id', 'terminal_id', 'calculation', 'created_at'])
        .where('merchant_id', '=', m)
        .orderBy('created_at', 'desc')
        .limit(6);
      q =
        query.receiptId !== undefined
          ? q.where('id', '=', query.receiptId)
          : q.where('number', '=', query.number ?? '').where('store_id', '=', terminal.storeId);
      const found = await q.execute();
      const receipt = found[0];
      if (!receipt) throw notFound('Чек');
      if (found.length > 1)
        throw new ApiError(
          409,
          ReceiptLookupError.ambiguous,
          'Чек с таким номером пробит на нескольких кассах магазина: отсканируйте чек или выберите его из списка.',
          {
            candidates: found.map((r) => ({
              receiptId: r.id,
              terminalId: r.terminal_id,
              createdAt: r.created_at.getTime(),
            })),
          },
        );
      const [lines, returns] = await Promise.all([
        trx
          .selectFrom('receipt_lines')
          .select(['position', 'product_id'])
          .where('merchant_id', '=', m)
          .where('receipt_id', '=', receipt.id)
          .orderBy('position')
          .execute(),
        trx
          .selectFrom('receipt_returns')
          .select(['id', 'request', 'created_at'])
          .where('merchant_id', '=', m)
          .where('receipt_id', '=', receipt.id)
          .orderBy('created_at')
          .execute(),
      ]);
      // A line's product id is the catalogue's uuid, or whatever the API caller sent (a SKU).
      const productIds = [...new Set(lines.map((l) => l.product_id))].filter((id) => UUID.test(id));
      const products =
        productIds.length === 0
          ? []
          : await trx
              .selectFrom('products')
              .select(['id', 'name'])
              .where('merchant_id', '=', m)
              .where('id', 'in', productIds)
              .execute();
      const productName = new Map(products.map((p) => [p.id, p.name]));
      const names: string[] = [];
      for (const line of lines) names[line.position] = productName.get(line.product_id) ?? line.product_id;
      const returned: number[] = names.map(() => 0);
      const shaped = returns.map((r) => {
        const request = r.request as ReturnRequest;
        for (const line of request.lines) returned[line.index] = (returned[line.index] ?? 0) + line.quantity;
        return { returnId: r.id, lines: request.lines, createdAt: r.created_at.getTime() };
      });
      return {
        id: receipt.id,
        number: receipt.number,
        storeId: receipt.store_id,
        buyerId: receipt.buyer_id,
        terminalId: receipt.terminal_id,
        createdAt: receipt.created_at.getTime(),
        names: Array.from(names, (n) => n ?? ''),
        calculation: receipt.calculation,
        returns: shaped,
        returned,
      };
    });
}
