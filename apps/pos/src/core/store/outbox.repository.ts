// The outbox (SYNC.md "Push"): every fact this terminal creates becomes an op with the next
// sequence number, written in the caller's transaction, and stays until the server answers it.
import type { OpKind, OpResult } from '@loyalty/protocol/sync/push.schema';
import { prepared, type Sqlite } from './database.ts';
import { takeSeq } from './identity.repository.ts';
import { fromJson, toJson } from './json-column.ts';
import { uuidv7 } from '#core/shared/uuidv7.ts';

/** Where an op stands. dead_letter and conflict are final but flagged for a person to look at. */
export type OutboxStatus = 'pending' | 'done' | 'dead_letter' | 'conflict';

/** An op as stored. */
export type OutboxOp = {
  opId: string;
  seq: number;
  kind: OpKind;
  payload: unknown;
  occurredAt: number;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  answer: unknown;
};

type OutboxRow = {
  op_id: string;
  seq: number;
  kind: OpKind;
  payload: string;
  occurred_at: number;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  answer: string | null;
};

const fromRow = (row: OutboxRow): OutboxOp => ({
  opId: row.op_id,
  seq: row.seq,
  kind: row.kind,
  payload: fromJson<unknown>(row.payload),
  occurredAt: row.occurred_at,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  answer: row.answer === null ? null : fromJson<unknown>(row.answer),
});

/**
 * Appends an op with the next sequence number. Must run inside the transaction that writes the
 * fact itself (receipt, return, registration): both commit or neither does.
 */
export function enqueueOp(
  db: Sqlite,
  op: { kind: OpKind; payload: unknown; occurredAt: number; opId?: string },
  createdAt: number,
): { opId: string; seq: number } {
  if (!db.inTransaction) throw new Error('enqueueOp must run inside the transaction of the fact it carries');
  const seq = takeSeq(db);
  const opId = op.opId ?? uuidv7(createdAt);
  db.prepare(
    `INSERT INTO outbox (op_id, seq, kind, payload, occurred_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(opId, seq, op.kind, toJson(op.payload), op.occurredAt, createdAt);
  return { opId, seq };
}

/** The oldest pending ops, in sequence order. */
export function pendingOps(db: Sqlite, limit: number): OutboxOp[] {
  return db
    .prepare<[number], OutboxRow>(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT ?`)
    .all(limit)
    .map(fromRow);
}

/** An op by id. */
export function getOp(db: Sqlite, opId: string): OutboxOp | null {
  const row = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE op_id = ?').get(opId);
  return row ? fromRow(row) : null;
}

/** Records the server's answer to one op; pending ops with a final answer leave the queue. */
export function recordOpResult(db: Sqlite, result: OpResult, at: number): void {
  const status: OutboxStatus =
    result.status === 'applied' || result.status === 'duplicate' ? 'done' : result.status;
  // Prepared once per connection: a push answer records up to 200 results in a row.
  prepared(
    db,
    `UPDATE outbox SET status = ?, answer = ?, last_error = ?, done_at = ?
     WHERE op_id = ? AND status = 'pending'`,
  ).run(
    status,
    result.answer === undefined ? null : toJson(result.answer),
    result.error ? `${result.error.code}: ${result.error.message}` : null,
    at,
    result.opId,
  );
}

/** Counts a failed attempt to send these ops, with the reason. */
export function recordAttemptFailure(db: Sqlite, opIds: readonly string[], error: string): void {
  const update = db.prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE op_id = ?`);
  db.transaction(() => {
    for (const id of opIds) update.run(error, id);
  })();
}

/** Ops by status, for sync.status and the cabinet figure of pending ops. */
export function outboxCounts(db: Sqlite): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead_letter: 0, conflict: 0 };
  for (const row of db
    .prepare<[], { status: OutboxStatus; n: number }>(
      'SELECT status, count(*) AS n FROM outbox GROUP BY status',
    )
    .all())
    counts[row.status] = row.n;
  return counts;
}

/** Ops a person should look at (dead-lettered or in conflict), newest first. */
export function flaggedOps(db: Sqlite, limit: number): OutboxOp[] {
  return db
    .prepare<[number], OutboxRow>(
      `SELECT * FROM outbox WHERE status IN ('dead_letter', 'conflict') ORDER BY seq DESC LIMIT ?`,
    )
    .all(limit)
    .map(fromRow);
}
