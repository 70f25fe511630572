// Receipts of other tills fetched from the server for a return here (SYNC.md "Returns of other
// tills"): kept so that the calculate, commit and a later reprint work on the same copy, and so
// that a receipt found once can be returned again when the network is gone.
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { StoredReceiptItem } from '@loyalty/protocol/sync/receipt-lookup.schema';
import type { StoredReceipt } from '#core/sale/receipts.repository.ts';
import type { Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';

/** Keeps (or refreshes) the server's copy of a receipt. */
export function putForeignReceipt(db: Sqlite, item: StoredReceiptItem, at: number): void {
  db.prepare(
    `INSERT INTO foreign_receipts (id, number, body, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET number = excluded.number, body = excluded.body, fetched_at = excluded.fetched_at`,
  ).run(item.id, item.number, toJson(item), at);
}

/** The server's copy of a receipt by id. */
export function getForeignReceipt(db: Sqlite, id: string): StoredReceiptItem | null {
  const row = db
    .prepare<[string], { body: string }>('SELECT body FROM foreign_receipts WHERE id = ?')
    .get(id);
  return row ? fromJson<StoredReceiptItem>(row.body) : null;
}

/** The only cached copy with this number, or null (none, or several: ask the server). */
export function getForeignReceiptByNumber(db: Sqlite, number: string): StoredReceiptItem | null {
  const rows = db
    .prepare<[string], { body: string }>('SELECT body FROM foreign_receipts WHERE number = ? LIMIT 2')
    .all(number);
  return rows.length === 1 && rows[0] ? fromJson<StoredReceiptItem>(rows[0].body) : null;
}

/** The copy in the shape of a receipt made here (slip and return basis); no seq, no cashier. */
export function asStoredReceipt(item: StoredReceiptItem): StoredReceipt {
  const calculation = item.calculation as Calculation;
  return {
    id: item.id,
    seq: 0,
    number: item.number ?? '',
    idempotencyKey: null,
    requestHash: null,
    storeId: item.storeId ?? '',
    cashierId: '',
    buyerId: item.buyerId,
    identifiedBy: null,
    offline: false,
    holdId: null,
    rulesVersion: calculation.rulesVersion,
    request: { lines: [], coupons: [], pointsToPay: 0, names: item.names },
    calculation,
    createdAt: item.createdAt,
  };
}
