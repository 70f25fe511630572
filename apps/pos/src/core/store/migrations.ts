// The terminal's SQLite schema, as migrations in code: each runs once, in order, in its own
// transaction with its row in schema_migrations, so a crash mid-migration leaves the old schema.
import type { Sqlite } from './database.ts';

/** One schema step; never edit a released one, add the next. */
export type Migration = { readonly id: number; readonly name: string; readonly up: (db: Sqlite) => void };

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'terminal core',
    up: (db) =>
      db.exec(`
        -- One row: who this terminal is to the server, its clock and its counters. The counters
        -- live here so the receipt, its op and the next number move in one transaction.
        CREATE TABLE terminal_identity (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          terminal_id TEXT,
          merchant_id TEXT,
          store_id TEXT,
          token TEXT,
          server_url TEXT,
          device_name TEXT,
          paired_at INTEGER,
          status TEXT NOT NULL DEFAULT 'unpaired'
            CHECK (status IN ('unpaired', 'paired', 'revoked', 'unauthorized')),
          status_message TEXT,
          clock_offset_ms INTEGER NOT NULL DEFAULT 0,
          clock_measured_at INTEGER,
          last_sync_at INTEGER,
          last_push_at INTEGER,
          next_seq INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
          next_receipt_number INTEGER NOT NULL DEFAULT 1
        );
        INSERT INTO terminal_identity (id) VALUES (1);

        CREATE TABLE local_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- Caches of the server's streams (SYNC.md "Pull"); bodies are the stream items as JSON.
        CREATE TABLE cache_settings (id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE cache_stores (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE cache_rules (
          id TEXT PRIMARY KEY,
          version TEXT NOT NULL,
          snapshot TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE cache_cashiers (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          store_ids TEXT NOT NULL,
          code_hash TEXT NOT NULL
        );
        CREATE TABLE cache_products (
          id TEXT PRIMARY KEY,
          sku TEXT,
          name TEXT NOT NULL,
          search_text TEXT NOT NULL,
          category_id TEXT,
          price INTEGER NOT NULL,
          unit TEXT NOT NULL,
          min_price INTEGER NOT NULL DEFAULT 0,
          no_discount INTEGER NOT NULL DEFAULT 0,
          no_accrual INTEGER NOT NULL DEFAULT 0,
          no_points_payment INTEGER NOT NULL DEFAULT 0,
          barcodes TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX cache_products_sku ON cache_products (sku);
        CREATE TABLE cache_product_barcodes (
          barcode TEXT NOT NULL,
          product_id TEXT NOT NULL REFERENCES cache_products (id) ON DELETE CASCADE,
          PRIMARY KEY (barcode, product_id)
        );
        CREATE INDEX cache_product_barcodes_product ON cache_product_barcodes (product_id);
        -- A buyer with the balance snapshot: lots as the server had them and applied_seq, the
        -- last of this terminal's ops that the snapshot already includes.
        CREATE TABLE cache_buyers (
          id TEXT PRIMARY KEY,
          phone TEXT,
          first_name TEXT,
          last_name TEXT,
          card_type_id TEXT,
          body TEXT NOT NULL,
          balance INTEGER NOT NULL DEFAULT 0,
          debt INTEGER NOT NULL DEFAULT 0,
          lots TEXT NOT NULL DEFAULT '[]',
          applied_seq INTEGER NOT NULL DEFAULT 0,
          snapshot_at INTEGER NOT NULL,
          source TEXT NOT NULL CHECK (source IN ('pull', 'lookup', 'local'))
        );
        CREATE INDEX cache_buyers_phone ON cache_buyers (phone);
        CREATE TABLE cache_buyer_cards (
          card_number TEXT PRIMARY KEY,
          buyer_id TEXT NOT NULL REFERENCES cache_buyers (id) ON DELETE CASCADE
        );
        CREATE INDEX cache_buyer_cards_buyer ON cache_buyer_cards (buyer_id);
        CREATE TABLE sync_cursors (
          stream TEXT PRIMARY KEY,
          cursor TEXT,
          applied_seq INTEGER NOT NULL DEFAULT 0,
          caught_up_at INTEGER,
          updated_at INTEGER NOT NULL
        );

        -- What this terminal sold and returned: immutable facts with client-made ids.
        CREATE TABLE receipts (
          id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          number TEXT NOT NULL UNIQUE,
          idempotency_key TEXT UNIQUE,
          request_hash TEXT,
          store_id TEXT NOT NULL,
          cashier_id TEXT NOT NULL,
          buyer_id TEXT,
          identified_by TEXT,
          offline INTEGER NOT NULL,
          hold_id TEXT,
          rules_version TEXT NOT NULL,
          request TEXT NOT NULL,
          calculation TEXT NOT NULL,
          amount INTEGER NOT NULL,
          discount INTEGER NOT NULL,
          points_paid INTEGER NOT NULL,
          paid_money INTEGER NOT NULL,
          accrual INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX receipts_created ON receipts (created_at);
        CREATE TABLE receipt_lines (
          receipt_id TEXT NOT NULL REFERENCES receipts (id),
          idx INTEGER NOT NULL,
          product_id TEXT NOT NULL,
          name TEXT NOT NULL,
          quantity INTEGER NOT NULL,
          price INTEGER NOT NULL,
          amount INTEGER NOT NULL,
          discount INTEGER NOT NULL,
          points_paid INTEGER NOT NULL,
          paid_money INTEGER NOT NULL,
          accrual INTEGER NOT NULL,
          PRIMARY KEY (receipt_id, idx)
        );
        CREATE TABLE returns (
          id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          receipt_id TEXT NOT NULL REFERENCES receipts (id),
          idempotency_key TEXT UNIQUE,
          request_hash TEXT,
          cashier_id TEXT NOT NULL,
          lines TEXT NOT NULL,
          calculation TEXT NOT NULL,
          refund_money INTEGER NOT NULL,
          points_restored INTEGER NOT NULL,
          accrual_reversed INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX returns_receipt ON returns (receipt_id);

        -- The outbox (SYNC.md "Push"): written in the transaction of the fact it carries, sent
        -- in seq order, marked done only with the server's per-op answer.
        CREATE TABLE outbox (
          op_id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('receipt', 'return', 'buyer_registration', 'buyer_update')),
          payload TEXT NOT NULL,
          occurred_at INTEGER NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'done', 'dead_letter', 'conflict')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          answer TEXT,
          created_at INTEGER NOT NULL,
          done_at INTEGER
        );
        CREATE INDEX outbox_status_seq ON outbox (status, seq);

        -- Point movements of this terminal's ops, per buyer. Until a balance snapshot includes
        -- the op (its applied_seq >= seq) spends and reversals are taken off the snapshot, and
        -- accruals and restores are shown as pending but never spent.
        CREATE TABLE local_point_movements (
          seq INTEGER NOT NULL REFERENCES outbox (seq),
          buyer_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('spend', 'accrual', 'restore', 'reversal')),
          points INTEGER NOT NULL CHECK (points > 0),
          offline INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (seq, buyer_id, kind)
        );
        CREATE INDEX local_point_movements_buyer ON local_point_movements (buyer_id, seq);

        -- Buyer QR time windows already accepted here (ARCHITECTURE "Buyer QR"): a replay is refused.
        CREATE TABLE seen_qr_windows (
          buyer_id TEXT NOT NULL,
          window INTEGER NOT NULL,
          seen_at INTEGER NOT NULL,
          PRIMARY KEY (buyer_id, window)
        );
      `),
  },
  {
    id: 2,
    name: 'returns of other tills, coupon lookups',
    up: (db) =>
      db.exec(`
        -- Receipts of other tills fetched online for a return (GET /sync/receipts/lookup): the
        -- server's copy with the returns it had booked then. A return here may name one, so
        -- returns no longer reference receipts (SQLite cannot drop a foreign key: rebuilt).
        CREATE TABLE foreign_receipts (
          id TEXT PRIMARY KEY,
          number TEXT,
          body TEXT NOT NULL,
          fetched_at INTEGER NOT NULL
        );
        CREATE TABLE returns_new (
          id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          receipt_id TEXT NOT NULL,
          idempotency_key TEXT UNIQUE,
          request_hash TEXT,
          cashier_id TEXT NOT NULL,
          lines TEXT NOT NULL,
          calculation TEXT NOT NULL,
          refund_money INTEGER NOT NULL,
          points_restored INTEGER NOT NULL,
          accrual_reversed INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        INSERT INTO returns_new SELECT * FROM returns;
        DROP TABLE returns;
        ALTER TABLE returns_new RENAME TO returns;
        CREATE INDEX returns_receipt ON returns (receipt_id);

        -- Coupon codes looked up online (GET /sync/coupons/lookup) with the counters the engine
        -- checks, per code and buyer ('' for an anonymous sale); reused offline for the same
        -- pair, with this till's unacknowledged uses added (seq > applied_seq).
        CREATE TABLE cache_coupons (
          code TEXT NOT NULL,
          buyer_key TEXT NOT NULL,
          body TEXT NOT NULL,
          applied_seq INTEGER NOT NULL,
          fetched_at INTEGER NOT NULL,
          PRIMARY KEY (code, buyer_key)
        );
      `),
  },
  {
    id: 3,
    name: 'buyer consent ops',
    up: (db) =>
      db.exec(`
        -- The outbox takes 'buyer_consent' (a code confirmed on a purchase after an offline
        -- registration, A2). SQLite cannot change a CHECK: the table is rebuilt. The point
        -- movements referencing it are set aside and put back, so no foreign key ever dangles.
        CREATE TEMP TABLE moved_point_movements AS SELECT * FROM local_point_movements;
        DELETE FROM local_point_movements;
        CREATE TABLE outbox_new (
          op_id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          kind TEXT NOT NULL
            CHECK (kind IN ('receipt', 'return', 'buyer_registration', 'buyer_update', 'buyer_consent')),
          payload TEXT NOT NULL,
          occurred_at INTEGER NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'done', 'dead_letter', 'conflict')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          answer TEXT,
          created_at INTEGER NOT NULL,
          done_at INTEGER
        );
        INSERT INTO outbox_new SELECT * FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_new RENAME TO outbox;
        CREATE INDEX outbox_status_seq ON outbox (status, seq);
        INSERT INTO local_point_movements SELECT * FROM moved_point_movements;
        DROP TABLE moved_point_movements;
      `),
  },
];
