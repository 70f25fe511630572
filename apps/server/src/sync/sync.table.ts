// Tables of terminals and the sync protocol (see migration 2026-11-22T21-00-terminals-sync). The
// `sync_xid xid8` columns the migration adds to synced tables are read through raw SQL only.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** JSONB: read as parsed values, written as JSON text. */
type Json = ColumnType<unknown, string, string>;

export interface TerminalsTable {
  id: Generated<string>;
  merchant_id: string;
  store_id: string;
  name: string;
  status: Generated<'active' | 'revoked'>;
  device_name: string | null;
  token_hash: Buffer | null;
  paired_at: Timestamp | null;
  pairing_code_hash: Buffer | null;
  pairing_code_expires_at: Timestamp | null;
  last_seq: Generated<number>;
  last_sync_at: Timestamp | null;
  pending_ops: Generated<number>;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}
export interface SyncOpsTable {
  op_id: string;
  merchant_id: string;
  terminal_id: string;
  seq: number;
  kind: string;
  payload_hash: Buffer;
  status: 'applied' | 'dead_letter';
  answer: Json | null;
  error: Json | null;
  occurred_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface SyncDeadLettersTable {
  id: Generated<string>;
  merchant_id: string;
  terminal_id: string;
  op_id: string;
  seq: number;
  kind: string;
  reason: string;
  message: string;
  details: Json | null;
  payload: string;
  occurred_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface BuyerAliasesTable {
  alias_id: string;
  merchant_id: string;
  buyer_id: string;
  terminal_id: string | null;
  created_at: CreatedAt;
}
export interface SyncTombstonesTable {
  id: Generated<number>;
  merchant_id: string;
  table_name: string;
  entity_id: string;
  created_at: CreatedAt;
}

/** The sync part of the Database interface. */
export interface SyncTables {
  terminals: TerminalsTable;
  sync_ops: SyncOpsTable;
  sync_dead_letters: SyncDeadLettersTable;
  buyer_aliases: BuyerAliasesTable;
  sync_tombstones: SyncTombstonesTable;
}
