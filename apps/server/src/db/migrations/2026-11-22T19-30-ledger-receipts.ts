// The points ledger (C12) and receipts (B4 purchase flow). Every movement of points is an entry;
// accruals create lots; a redemption records which lots it consumed so a return restores the
// same lots. Invariant: buyers.balance = sum(entries) = sum(lot remainders) - buyers.debt.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE buyers ADD COLUMN debt bigint NOT NULL DEFAULT 0;
    CREATE TABLE receipts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      idempotency_key text NOT NULL,
      request_hash bytea NOT NULL,
      number text,
      store_id uuid,
      buyer_id uuid REFERENCES buyers(id),
      source text NOT NULL DEFAULT 'api',
      amount bigint NOT NULL,
      discount bigint NOT NULL,
      points_paid bigint NOT NULL,
      paid_money bigint NOT NULL,
      accrual bigint NOT NULL,
      calculation jsonb NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX receipts_idempotency_key ON receipts (merchant_id, idempotency_key);
    CREATE INDEX receipts_buyer_idx ON receipts (merchant_id, buyer_id, created_at DESC);
    CREATE INDEX receipts_created_idx ON receipts (merchant_id, created_at DESC);
    CREATE TABLE receipt_lines (
      receipt_id uuid NOT NULL REFERENCES receipts(id) ON DELETE CASCADE,
      merchant_id uuid NOT NULL,
      position integer NOT NULL,
      product_id text NOT NULL,
      category_id text,
      quantity bigint NOT NULL,
      price bigint NOT NULL,
      amount bigint NOT NULL,
      discount bigint NOT NULL,
      points_paid bigint NOT NULL,
      paid_money bigint NOT NULL,
      accrual bigint NOT NULL,
      PRIMARY KEY (receipt_id, position)
    );
    CREATE INDEX receipt_lines_product_idx ON receipt_lines (merchant_id, product_id);
    CREATE TABLE receipt_returns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      receipt_id uuid NOT NULL REFERENCES receipts(id),
      idempotency_key text NOT NULL,
      request_hash bytea NOT NULL,
      request jsonb NOT NULL,
      response jsonb NOT NULL,
      refund_money bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX receipt_returns_idempotency_key ON receipt_returns (merchant_id, idempotency_key);
    CREATE INDEX receipt_returns_receipt_idx ON receipt_returns (receipt_id);
    CREATE TABLE point_lots (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      buyer_id uuid NOT NULL REFERENCES buyers(id),
      source text NOT NULL,
      receipt_id uuid REFERENCES receipts(id),
      promotion_id uuid,
      initial bigint NOT NULL CHECK (initial >= 0),
      remaining bigint NOT NULL CHECK (remaining >= 0),
      activates_at timestamptz NOT NULL,
      expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX point_lots_buyer_idx ON point_lots (buyer_id) WHERE remaining > 0;
    CREATE INDEX point_lots_expiry_idx ON point_lots (expires_at) WHERE remaining > 0;
    CREATE INDEX point_lots_receipt_idx ON point_lots (receipt_id);
    CREATE TABLE ledger_entries (
      id bigserial PRIMARY KEY,
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      buyer_id uuid NOT NULL REFERENCES buyers(id),
      operation_id uuid NOT NULL,
      kind text NOT NULL,
      points bigint NOT NULL,
      lot_id uuid REFERENCES point_lots(id),
      receipt_id uuid REFERENCES receipts(id),
      reason text,
      actor_type text,
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ledger_entries_buyer_idx ON ledger_entries (buyer_id, id DESC);
    CREATE INDEX ledger_entries_operation_idx ON ledger_entries (operation_id);
    CREATE TABLE lot_consumptions (
      id bigserial PRIMARY KEY,
      merchant_id uuid NOT NULL,
      operation_id uuid NOT NULL,
      lot_id uuid NOT NULL REFERENCES point_lots(id),
      points bigint NOT NULL CHECK (points > 0),
      restored bigint NOT NULL DEFAULT 0 CHECK (restored >= 0 AND restored <= points)
    );
    CREATE INDEX lot_consumptions_operation_idx ON lot_consumptions (operation_id);
    CREATE TABLE point_holds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      buyer_id uuid NOT NULL REFERENCES buyers(id),
      points bigint NOT NULL CHECK (points > 0),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'consumed', 'cancelled')),
      expires_at timestamptz NOT NULL,
      receipt_id uuid REFERENCES receipts(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX point_holds_buyer_idx ON point_holds (buyer_id) WHERE status = 'active';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE point_holds; DROP TABLE lot_consumptions; DROP TABLE ledger_entries; DROP TABLE point_lots;
    DROP TABLE receipt_returns; DROP TABLE receipt_lines; DROP TABLE receipts;
    ALTER TABLE buyers DROP COLUMN debt;
  `.execute(db);
}
