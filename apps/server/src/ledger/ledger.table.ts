// Tables of the points ledger and receipts (see migration 2026-11-22T19-30-ledger-receipts).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface ReceiptsTable {
  id: Generated<string>;
  merchant_id: string;
  idempotency_key: string;
  request_hash: Buffer;
  number: string | null;
  store_id: string | null;
  buyer_id: string | null;
  source: Generated<string>;
  amount: number;
  discount: number;
  points_paid: number;
  paid_money: number;
  accrual: number;
  calculation: Json;
  response: Json;
  /** The terminal and op sequence that posted it (2026-11-22T20-30-receipt-posting). */
  terminal_id: string | null;
  terminal_seq: number | null;
  /** Points spent beyond the buyer's lots (offline receipts), booked as debt. */
  overdraft: Generated<number>;
  /** The cashier who made the sale, when known (2026-12-03T20-10-receipt-cashier). */
  cashier_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}
export interface ReceiptLinesTable {
  receipt_id: string;
  merchant_id: string;
  position: number;
  product_id: string;
  category_id: string | null;
  quantity: number;
  price: number;
  amount: number;
  discount: number;
  points_paid: number;
  paid_money: number;
  accrual: number;
}
export interface ReceiptReturnsTable {
  id: Generated<string>;
  merchant_id: string;
  receipt_id: string;
  idempotency_key: string;
  request_hash: Buffer;
  request: Json;
  response: Json;
  refund_money: number;
  /** The cashier who took the goods back, when known (2026-12-03T20-10-receipt-cashier). */
  cashier_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}
export interface PointLotsTable {
  id: Generated<string>;
  merchant_id: string;
  buyer_id: string;
  source: string;
  receipt_id: string | null;
  promotion_id: string | null;
  initial: number;
  remaining: number;
  activates_at: Timestamp;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface LedgerEntriesTable {
  id: Generated<number>;
  merchant_id: string;
  buyer_id: string;
  operation_id: string;
  kind: string;
  points: number;
  lot_id: string | null;
  receipt_id: string | null;
  reason: string | null;
  actor_type: string | null;
  actor_id: string | null;
  created_at: CreatedAt;
}
export interface LotConsumptionsTable {
  id: Generated<number>;
  merchant_id: string;
  operation_id: string;
  lot_id: string;
  points: number;
  restored: Generated<number>;
}
export interface PointHoldsTable {
  id: Generated<string>;
  merchant_id: string;
  buyer_id: string;
  points: number;
  status: Generated<'active' | 'consumed' | 'cancelled'>;
  expires_at: Timestamp;
  receipt_id: string | null;
  created_at: CreatedAt;
}

/** The ledger's part of the Database interface. */
export interface LedgerTables {
  receipts: ReceiptsTable;
  receipt_lines: ReceiptLinesTable;
  receipt_returns: ReceiptReturnsTable;
  point_lots: PointLotsTable;
  ledger_entries: LedgerEntriesTable;
  lot_consumptions: LotConsumptionsTable;
  point_holds: PointHoldsTable;
}
