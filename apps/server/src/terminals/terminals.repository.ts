// Terminals of a merchant with their sync state. Every query is scoped by merchant_id.
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { TerminalView, terminalListQuerySchema } from '@loyalty/protocol/sync/terminals.schema';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { containsPattern, pageOffset } from '#db/list-query.ts';

type Executor = Db | Transaction<Database>;
export type TerminalListQuery = z.output<typeof terminalListQuerySchema>;

/** A terminal row with the counters the cabinet shows. */
export type TerminalRow = {
  id: string;
  store_id: string;
  name: string;
  status: 'active' | 'revoked';
  device_name: string | null;
  paired_at: Date | null;
  pairing_code_hash: Buffer | null;
  pairing_code_expires_at: Date | null;
  last_seq: number;
  last_sync_at: Date | null;
  pending_ops: number;
  revoked_at: Date | null;
  created_at: Date;
  dead_letters: number;
  overdraft_receipts: number;
};

function withCounters(db: Executor, merchantId: string) {
  return db
    .selectFrom('terminals as t')
    .where('t.merchant_id', '=', merchantId)
    .select([
      't.id',
      't.store_id',
      't.name',
      't.status',
      't.device_name',
      't.paired_at',
      't.pairing_code_hash',
      't.pairing_code_expires_at',
      't.last_seq',
      't.last_sync_at',
      't.pending_ops',
      't.revoked_at',
      't.created_at',
      sql<number>`(SELECT count(*) FROM sync_dead_letters d WHERE d.terminal_id = t.id)::int`.as(
        'dead_letters',
      ),
      sql<number>`(SELECT count(*) FROM receipts r WHERE r.terminal_id = t.id AND r.overdraft > 0)::int`.as(
        'overdraft_receipts',
      ),
    ]);
}

/** One terminal of this merchant. */
export function findTerminal(db: Executor, merchantId: string, id: string): Promise<TerminalRow | undefined> {
  return withCounters(db, merchantId).where('t.id', '=', id).executeTakeFirst();
}

const sortColumn = { name: 't.name', createdAt: 't.created_at', lastSyncAt: 't.last_sync_at' } as const;

/** One page of the merchant's terminals and the count of all that match. */
export async function listTerminals(db: Db, merchantId: string, query: TerminalListQuery) {
  let rows = withCounters(db, merchantId);
  let count = db
    .selectFrom('terminals as t')
    .where('t.merchant_id', '=', merchantId)
    .select((eb) => eb.fn.countAll<number>().as('total'));
  if (query.storeId) {
    rows = rows.where('t.store_id', '=', query.storeId);
    count = count.where('t.store_id', '=', query.storeId);
  }
  if (query.status) {
    rows = rows.where('t.status', '=', query.status);
    count = count.where('t.status', '=', query.status);
  }
  if (query.search) {
    rows = rows.where('t.name', 'ilike', containsPattern(query.search));
    count = count.where('t.name', 'ilike', containsPattern(query.search));
  }
  const [items, total] = await Promise.all([
    rows
      .orderBy(sortColumn[query.sort], query.order)
      .orderBy('t.id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: Number(total.total) };
}

/** The API view of a terminal. */
export function terminalView(row: TerminalRow, now = new Date()): TerminalView {
  const pending =
    row.pairing_code_hash !== null && (row.pairing_code_expires_at?.getTime() ?? 0) > now.getTime();
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    status: row.status,
    deviceName: row.device_name,
    pairedAt: row.paired_at?.toISOString() ?? null,
    pairingPending: pending,
    pairingCodeExpiresAt: pending ? (row.pairing_code_expires_at?.toISOString() ?? null) : null,
    lastSeq: row.last_seq,
    lastSyncAt: row.last_sync_at?.toISOString() ?? null,
    pendingOps: row.pending_ops,
    deadLetters: row.dead_letters,
    overdraftReceipts: row.overdraft_receipts,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** One page of dead letters of the merchant's terminals, newest first. */
export async function listDeadLetters(
  db: Db,
  merchantId: string,
  query: { page: number; pageSize: number; terminalId?: string | undefined },
) {
  let rows = db.selectFrom('sync_dead_letters').selectAll().where('merchant_id', '=', merchantId);
  let count = db
    .selectFrom('sync_dead_letters')
    .where('merchant_id', '=', merchantId)
    .select((eb) => eb.fn.countAll<number>().as('total'));
  if (query.terminalId) {
    rows = rows.where('terminal_id', '=', query.terminalId);
    count = count.where('terminal_id', '=', query.terminalId);
  }
  const [items, total] = await Promise.all([
    rows
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return {
    rows: items.map((d) => ({
      id: d.id,
      terminalId: d.terminal_id,
      opId: d.op_id,
      seq: d.seq,
      kind: d.kind,
      reason: d.reason,
      message: d.message,
      details: d.details ?? null,
      payload: parsePayload(d.payload),
      occurredAt: d.occurred_at?.toISOString() ?? null,
      createdAt: d.created_at.toISOString(),
    })),
    total: Number(total.total),
  };
}

// The payload is kept as the JSON text the terminal sent; show it parsed when it parses.
function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
