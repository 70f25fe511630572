// Receipts and returns made at this terminal: immutable facts, each written in one transaction
// with its outbox op (and so its sequence number).
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import type { ReturnCalculation } from '@loyalty/core/returns/return.types';
import type { Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';
import type { PurchaseLine } from './sale-lines.ts';

/** A stored receipt. */
export type StoredReceipt = {
  id: string;
  seq: number;
  number: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  storeId: string;
  cashierId: string;
  buyerId: string | null;
  identifiedBy: string | null;
  offline: boolean;
  holdId: string | null;
  rulesVersion: string;
  request: { lines: PurchaseLine[]; coupons: string[]; pointsToPay: number; names: string[] };
  calculation: Calculation;
  createdAt: number;
};

type ReceiptRow = {
  id: string;
  seq: number;
  number: string;
  idempotency_key: string | null;
  request_hash: string | null;
  store_id: string;
  cashier_id: string;
  buyer_id: string | null;
  identified_by: string | null;
  offline: number;
  hold_id: string | null;
  rules_version: string;
  request: string;
  calculation: string;
  created_at: number;
};

const fromRow = (row: ReceiptRow): StoredReceipt => ({
  id: row.id,
  seq: row.seq,
  number: row.number,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  storeId: row.store_id,
  cashierId: row.cashier_id,
  buyerId: row.buyer_id,
  identifiedBy: row.identified_by,
  offline: row.offline === 1,
  holdId: row.hold_id,
  rulesVersion: row.rules_version,
  request: fromJson<StoredReceipt['request']>(row.request),
  calculation: fromJson<Calculation>(row.calculation),
  createdAt: row.created_at,
});

/** Writes a receipt and its lines (inside the caller's transaction). */
export function insertReceipt(db: Sqlite, receipt: StoredReceipt): void {
  const { calculation: c } = receipt;
  db.prepare(
    `INSERT INTO receipts (id, seq, number, idempotency_key, request_hash, store_id, cashier_id, buyer_id,
       identified_by, offline, hold_id, rules_version, request, calculation, amount, discount, points_paid,
       paid_money, accrual, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    receipt.id,
    receipt.seq,
    receipt.number,
    receipt.idempotencyKey,
    receipt.requestHash,
    receipt.storeId,
    receipt.cashierId,
    receipt.buyerId,
    receipt.identifiedBy,
    receipt.offline ? 1 : 0,
    receipt.holdId,
    receipt.rulesVersion,
    toJson(receipt.request),
    toJson(c),
    c.totals.amount,
    c.totals.discount,
    c.totals.pointsPaid,
    c.totals.paidMoney,
    c.totals.accrual,
    receipt.createdAt,
  );
  const line = db.prepare(
    `INSERT INTO receipt_lines (receipt_id, idx, product_id, name, quantity, price, amount, discount, points_paid,
       paid_money, accrual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const l of c.lines)
    line.run(
      receipt.id,
      l.index,
      l.productId,
      receipt.request.names[l.index] ?? l.productId,
      l.quantity,
      l.price,
      l.amount,
      l.discount,
      l.pointsPaid,
      l.paidMoney,
      l.accrual,
    );
}

/** A receipt by id. */
export function getReceipt(db: Sqlite, id: string): StoredReceipt | null {
  const row = db.prepare<[string], ReceiptRow>('SELECT * FROM receipts WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

/** A receipt by its number on this terminal. */
export function getReceiptByNumber(db: Sqlite, number: string): StoredReceipt | null {
  const row = db.prepare<[string], ReceiptRow>('SELECT * FROM receipts WHERE number = ?').get(number);
  return row ? fromRow(row) : null;
}

/** A receipt by the idempotency key its commit carried. */
export function getReceiptByKey(db: Sqlite, key: string): StoredReceipt | null {
  const row = db.prepare<[string], ReceiptRow>('SELECT * FROM receipts WHERE idempotency_key = ?').get(key);
  return row ? fromRow(row) : null;
}

/** A stored return. */
export type StoredReturn = {
  id: string;
  seq: number;
  receiptId: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  cashierId: string;
  lines: Array<{ index: number; quantity: number }>;
  calculation: ReturnCalculation;
  createdAt: number;
};

type ReturnRow = {
  id: string;
  seq: number;
  receipt_id: string;
  idempotency_key: string | null;
  request_hash: string | null;
  cashier_id: string;
  lines: string;
  calculation: string;
  created_at: number;
};

const returnFromRow = (row: ReturnRow): StoredReturn => ({
  id: row.id,
  seq: row.seq,
  receiptId: row.receipt_id,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  cashierId: row.cashier_id,
  lines: fromJson<StoredReturn['lines']>(row.lines),
  calculation: fromJson<ReturnCalculation>(row.calculation),
  createdAt: row.created_at,
});

/** Writes a return (inside the caller's transaction). */
export function insertReturn(db: Sqlite, ret: StoredReturn): void {
  db.prepare(
    `INSERT INTO returns (id, seq, receipt_id, idempotency_key, request_hash, cashier_id, lines, calculation,
       refund_money, points_restored, accrual_reversed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    ret.id,
    ret.seq,
    ret.receiptId,
    ret.idempotencyKey,
    ret.requestHash,
    ret.cashierId,
    toJson(ret.lines),
    toJson(ret.calculation),
    ret.calculation.totals.refundMoney,
    ret.calculation.totals.pointsRestored,
    ret.calculation.totals.accrualReversed,
    ret.createdAt,
  );
}

/** The returns of a receipt made here, oldest first. */
export function returnsOfReceipt(db: Sqlite, receiptId: string): StoredReturn[] {
  return db
    .prepare<[string], ReturnRow>('SELECT * FROM returns WHERE receipt_id = ? ORDER BY seq')
    .all(receiptId)
    .map(returnFromRow);
}

/** A return by the idempotency key its commit carried. */
export function getReturnByKey(db: Sqlite, key: string): StoredReturn | null {
  const row = db.prepare<[string], ReturnRow>('SELECT * FROM returns WHERE idempotency_key = ?').get(key);
  return row ? returnFromRow(row) : null;
}
