// Terminals and the sync protocol (issue 4, packages/protocol/SYNC.md): paired terminals, their op
// log and dead letters, buyer aliases for registrations merged at sync, and the safe watermark:
// every synced row carries the id of the transaction that last wrote it (sync_xid), set by a
// trigger, so a pull hands out only rows whose writers have all finished. Hard deletes leave
// tombstones; soft deletes (archive, block, erase) are updates and travel as such. The same
// triggers NOTIFY `sync_poke` so every server instance pokes its terminals after the commit.
import { sql, type Kysely } from 'kysely';

/** Tables whose changes reach terminals, and the streams each one feeds. */
const SYNCED: ReadonlyArray<{ table: string; streams: string; hasId: boolean; merchantColumn: string }> = [
  { table: 'merchants', streams: 'settings,rules', hasId: true, merchantColumn: 'id' },
  { table: 'stores', streams: 'settings,rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'programme_settings', streams: 'settings,rules', hasId: false, merchantColumn: 'merchant_id' },
  { table: 'card_types', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'programme_rules', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'happy_hours', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'promotions', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'coupon_series', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'categories', streams: 'rules', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'cashiers', streams: 'cashiers', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'products', streams: 'products', hasId: true, merchantColumn: 'merchant_id' },
  { table: 'buyers', streams: 'buyers', hasId: true, merchantColumn: 'merchant_id' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE terminals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      store_id uuid NOT NULL REFERENCES stores(id),
      name text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
      device_name text,
      -- The token is tt_<id>_<secret>: the id finds the row, the SHA-256 of the secret checks it.
      token_hash bytea,
      paired_at timestamptz,
      pairing_code_hash bytea,
      pairing_code_expires_at timestamptz,
      last_seq bigint NOT NULL DEFAULT 0,
      last_sync_at timestamptz,
      pending_ops bigint NOT NULL DEFAULT 0,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX terminals_merchant_idx ON terminals (merchant_id, store_id);
    CREATE UNIQUE INDEX terminals_pairing_code ON terminals (pairing_code_hash)
      WHERE pairing_code_hash IS NOT NULL;

    CREATE TABLE sync_ops (
      op_id uuid PRIMARY KEY,
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      terminal_id uuid NOT NULL REFERENCES terminals(id) ON DELETE CASCADE,
      seq bigint NOT NULL,
      kind text NOT NULL,
      payload_hash bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('applied', 'dead_letter')),
      answer jsonb,
      error jsonb,
      occurred_at timestamptz,
      -- Which transaction applied it: a pull's appliedSeq counts only ops below its watermark.
      sync_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (terminal_id, seq)
    );

    CREATE TABLE sync_dead_letters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      terminal_id uuid NOT NULL REFERENCES terminals(id) ON DELETE CASCADE,
      op_id uuid NOT NULL,
      seq bigint NOT NULL,
      kind text NOT NULL,
      reason text NOT NULL,
      message text NOT NULL,
      details jsonb,
      -- JSON text, not jsonb: whatever the terminal sent is kept, even what jsonb refuses (\\u0000).
      payload text NOT NULL,
      occurred_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sync_dead_letters_merchant_idx ON sync_dead_letters (merchant_id, created_at DESC);
    CREATE INDEX sync_dead_letters_terminal_idx ON sync_dead_letters (terminal_id);

    -- A buyer registered offline whose phone already belonged to someone: later ops naming the
    -- terminal's id apply to the existing buyer.
    CREATE TABLE buyer_aliases (
      alias_id uuid PRIMARY KEY,
      merchant_id uuid NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      buyer_id uuid NOT NULL REFERENCES buyers(id),
      terminal_id uuid REFERENCES terminals(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- No foreign key to merchants: deleting a merchant cascades deletes that write tombstones.
    CREATE TABLE sync_tombstones (
      id bigserial PRIMARY KEY,
      merchant_id uuid NOT NULL,
      table_name text NOT NULL,
      entity_id uuid NOT NULL,
      sync_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sync_tombstones_idx ON sync_tombstones (merchant_id, table_name, sync_xid, entity_id);

    -- receipts.terminal_id, terminal_seq and overdraft come from 2026-11-22T20-30-receipt-posting.
    ALTER TABLE receipts ADD CONSTRAINT receipts_terminal_fk FOREIGN KEY (terminal_id) REFERENCES terminals(id);

    CREATE FUNCTION sync_touch() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE merchant uuid;
    BEGIN
      NEW.sync_xid := pg_current_xact_id();
      IF TG_TABLE_NAME = 'merchants' THEN merchant := NEW.id; ELSE merchant := NEW.merchant_id; END IF;
      -- Delivered at commit only, once per transaction for equal payloads.
      PERFORM pg_notify('sync_poke', merchant::text || ':' || TG_ARGV[0]);
      RETURN NEW;
    END $$;

    CREATE FUNCTION sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO sync_tombstones (merchant_id, table_name, entity_id)
        VALUES (OLD.merchant_id, TG_TABLE_NAME, OLD.id);
      PERFORM pg_notify('sync_poke', OLD.merchant_id::text || ':' || TG_ARGV[0]);
      RETURN OLD;
    END $$;

    -- A card's number belongs to the buyer's item: touching the buyer moves it up the stream.
    CREATE FUNCTION sync_touch_card_buyer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.buyer_id IS NOT NULL THEN
        UPDATE buyers SET sync_xid = pg_current_xact_id() WHERE id = OLD.buyer_id;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.buyer_id IS NOT NULL
         AND (TG_OP = 'INSERT' OR NEW.buyer_id IS DISTINCT FROM OLD.buyer_id
              OR NEW.status IS DISTINCT FROM OLD.status OR NEW.number IS DISTINCT FROM OLD.number) THEN
        UPDATE buyers SET sync_xid = pg_current_xact_id() WHERE id = NEW.buyer_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER cards_sync_buyer AFTER INSERT OR UPDATE OR DELETE ON cards
      FOR EACH ROW EXECUTE FUNCTION sync_touch_card_buyer();
  `.execute(db);

  for (const { table, streams, hasId, merchantColumn } of SYNCED) {
    // Rows written before this migration sort before any cursor a terminal can hold.
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN sync_xid xid8 NOT NULL DEFAULT '3'`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_sync_touch`)} BEFORE INSERT OR UPDATE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION sync_touch(${sql.lit(streams)})`.execute(db);
    if (hasId && merchantColumn === 'merchant_id') {
      await sql`
        CREATE INDEX ${sql.raw(`${table}_sync_idx`)} ON ${sql.table(table)} (merchant_id, sync_xid, id)`.execute(
        db,
      );
      await sql`
        CREATE TRIGGER ${sql.raw(`${table}_sync_tombstone`)} AFTER DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION sync_tombstone(${sql.lit(streams)})`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table, hasId, merchantColumn } of SYNCED) {
    if (hasId && merchantColumn === 'merchant_id')
      await sql`DROP TRIGGER ${sql.raw(`${table}_sync_tombstone`)} ON ${sql.table(table)}`.execute(db);
    await sql`DROP TRIGGER ${sql.raw(`${table}_sync_touch`)} ON ${sql.table(table)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN sync_xid`.execute(db);
  }
  await sql`
    DROP TRIGGER cards_sync_buyer ON cards;
    DROP FUNCTION sync_touch_card_buyer();
    DROP FUNCTION sync_tombstone();
    DROP FUNCTION sync_touch();
    ALTER TABLE receipts DROP CONSTRAINT receipts_terminal_fk;
    DROP TABLE sync_tombstones;
    DROP TABLE buyer_aliases;
    DROP TABLE sync_dead_letters;
    DROP TABLE sync_ops;
    DROP TABLE terminals;
  `.execute(db);
}
