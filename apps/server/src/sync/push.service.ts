// Push (B3): the terminal's op log applied in sequence. Each op's effects are atomic (a savepoint
// per op) and commit together with its op log row and terminals.last_seq; ops go in chunks of
// one transaction each, so a batch costs a few commits instead of one per op. The terminal row is
// locked per chunk, so two pushes from one terminal (a retry racing the original) serialise and
// the second one sees the first one's ops as duplicates.
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { OpEnvelope, OpResult, pushRequestSchema } from '@loyalty/protocol/sync/push.schema';
import { TerminalAuthError } from '@loyalty/protocol/sync/pairing.schema';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { ApiError } from '#http/api-error.ts';
import { buyerItems } from './buyer-items.ts';
import { applyOp } from './op-apply.ts';
import { applyReceiptBatch } from './receipt-batch.ts';
import { DeadLetterReason, type OpOutcome } from './op-result.ts';
import { REVOKED_MESSAGE, type TerminalActor } from './terminal-auth.ts';

type PushRequest = z.output<typeof pushRequestSchema>;

/** The hash that tells a retry from a different op under the same id. */
function payloadHash(op: OpEnvelope): Buffer {
  return createHash('sha256')
    .update(JSON.stringify({ kind: op.kind, occurredAt: op.occurredAt, payload: op.payload }))
    .digest();
}

// Data exceptions (22xxx) and constraint violations (23xxx) come from what the op says, not from
// the server: they dead-letter the op. Anything else (connection lost, deadlock) fails the push
// and the terminal retries it.
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

// JSON text PostgreSQL's jsonb accepts: \u0000 is refused there, so it is spelled out.
const storableJson = (value: unknown): string =>
  JSON.stringify(value ?? null).replaceAll('\\u0000', '\\\\u0000');

/** A receipt op failed inside a chunk applied without savepoints: apply the chunk again with them. */
class SavepointsNeeded extends Error {}

/** A buyer moved while the chunk's receipts were posted together: apply the chunk op by op. */
class BatchMissed extends Error {}

/**
 * How a chunk is applied. `batch`: a chunk of plain receipts posted set-based (receipt-batch.ts),
 * others op by op; `single`: op by op, a savepoint only around ops that are not receipts;
 * `careful`: a savepoint around every op (after a statement failed).
 */
type ChunkMode = 'batch' | 'single' | 'careful';

/** Ops applied per PostgreSQL transaction: the buyers they touch stay locked until its commit. */
const OPS_PER_TRANSACTION = 50;

type Known = { terminal_id: string; seq: number; payload_hash: Buffer; answer: unknown; error: unknown };
type LogRow = { op: OpEnvelope; hash: Buffer; outcome: OpOutcome };

/**
 * Applies one chunk of ops in sequence inside one transaction: the terminal row locked (so a
 * retry racing the original waits and then sees these ops as duplicates), each op's effects
 * under its own savepoint (a dead letter undoes only its own effects), then the op log, the dead
 * letters and `last_seq` written once for the chunk. Everything commits together, before any
 * answer leaves: an op is never acknowledged and then lost. A failure that is not the op's fault
 * (a deadlock, a lost connection) rolls the chunk back and the terminal sends it again.
 */
async function pushChunk(
  trx: Transaction<Database>,
  terminal: TerminalActor,
  ops: readonly OpEnvelope[],
  mode: ChunkMode,
): Promise<{ results: OpResult[]; resendFrom: number | null }> {
  const row = await trx
    .selectFrom('terminals')
    .select(['last_seq', 'status'])
    .where('id', '=', terminal.terminalId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (row.status === 'revoked') throw new ApiError(401, TerminalAuthError.revoked, REVOKED_MESSAGE);
  const known = new Map<string, Known>(
    (
      await trx
        .selectFrom('sync_ops')
        .select(['op_id', 'terminal_id', 'seq', 'payload_hash', 'answer', 'error'])
        .where(
          'op_id',
          'in',
          ops.map((op) => op.opId),
        )
        .execute()
    ).map((k) => [k.op_id, k]),
  );
  let lastSeq = Number(row.last_seq);
  const batched = mode === 'batch' ? await applyBatch(trx, terminal, toApply(ops, known, lastSeq)) : null;
  const results: OpResult[] = [];
  const logged: LogRow[] = [];
  let resendFrom: number | null = null;
  for (const op of ops) {
    const hash = payloadHash(op);
    const seen = known.get(op.opId);
    if (seen) {
      const same =
        seen.terminal_id === terminal.terminalId && seen.seq === op.seq && seen.payload_hash.equals(hash);
      results.push(
        same
          ? {
              opId: op.opId,
              seq: op.seq,
              status: 'duplicate',
              ...(seen.answer === null ? {} : { answer: seen.answer }),
              ...(seen.error === null ? {} : { error: seen.error as OpResult['error'] }),
            }
          : conflictResult(op, 'Операция с этим opId уже принята с другим содержимым'),
      );
      continue;
    }
    if (op.seq <= lastSeq) {
      results.push(conflictResult(op, `Номер операции ${op.seq} уже занят другой операцией`));
      continue;
    }
    if (op.seq > lastSeq + 1) {
      resendFrom = lastSeq + 1;
      break;
    }
    // A receipt writes in one statement, after reads only, and refuses before writing anything:
    // it needs no savepoint unless a statement fails, which aborts the whole transaction; then
    // the chunk is applied again with a savepoint around every op.
    const pre = batched?.get(op.opId);
    const guarded = !pre && (mode === 'careful' || op.kind !== 'receipt');
    if (guarded) await sql`SAVEPOINT op`.execute(trx);
    let outcome: OpOutcome;
    try {
      outcome = pre ?? (await applyOp(trx, terminal, op));
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (!guarded) throw new SavepointsNeeded();
      outcome = {
        ok: false,
        reason: DeadLetterReason.applyFailed,
        message: 'Операцию не удалось применить: данные не подходят',
        details: { sqlState: (error as { code?: string }).code ?? null },
      };
    }
    if (guarded) {
      if (!outcome.ok) await sql`ROLLBACK TO SAVEPOINT op`.execute(trx);
      await sql`RELEASE SAVEPOINT op`.execute(trx);
    }
    const error = outcome.ok
      ? null
      : { code: outcome.reason, message: outcome.message, details: outcome.details ?? null };
    const answer = outcome.ok ? outcome.answer : null;
    logged.push({ op, hash, outcome });
    // A second copy of this op later in the same batch is a duplicate, as it would be next time.
    known.set(op.opId, { terminal_id: terminal.terminalId, seq: op.seq, payload_hash: hash, answer, error });
    lastSeq = op.seq;
    results.push(
      outcome.ok
        ? { opId: op.opId, seq: op.seq, status: 'applied', answer: outcome.answer }
        : { opId: op.opId, seq: op.seq, status: 'dead_letter', ...(error ? { error } : {}) },
    );
  }
  if (logged.length > 0) {
    await trx
      .insertInto('sync_ops')
      .values(
        logged.map(({ op, hash, outcome }) => ({
          op_id: op.opId,
          merchant_id: terminal.merchantId,
          terminal_id: terminal.terminalId,
          seq: op.seq,
          kind: op.kind,
          payload_hash: hash,
          status: outcome.ok ? ('applied' as const) : ('dead_letter' as const),
          answer: outcome.ok ? storableJson(outcome.answer) : null,
          error: outcome.ok
            ? null
            : storableJson({
                code: outcome.reason,
                message: outcome.message,
                details: outcome.details ?? null,
              }),
          occurred_at: new Date(op.occurredAt),
        })),
      )
      .execute();
    const dead = logged.filter((l) => !l.outcome.ok);
    if (dead.length > 0)
      await trx
        .insertInto('sync_dead_letters')
        .values(
          dead.map(({ op, outcome }) => ({
            merchant_id: terminal.merchantId,
            terminal_id: terminal.terminalId,
            op_id: op.opId,
            seq: op.seq,
            kind: op.kind,
            reason: outcome.ok ? '' : outcome.reason,
            message: outcome.ok ? '' : outcome.message,
            details: storableJson(outcome.ok ? null : (outcome.details ?? null)),
            payload: JSON.stringify(op.payload ?? null),
            occurred_at: new Date(op.occurredAt),
          })),
        )
        .execute();
    await trx
      .updateTable('terminals')
      .set({ last_seq: lastSeq, last_sync_at: new Date() })
      .where('id', '=', terminal.terminalId)
      .execute();
  }
  return { results, resendFrom };
}

/**
 * The ops pushChunk's loop will apply, in order: not in the op log (nor earlier in the chunk),
 * each the next seq; a gap ends them. Mirrors the loop's own decisions.
 */
function toApply(
  ops: readonly OpEnvelope[],
  known: ReadonlyMap<string, Known>,
  lastSeq: number,
): OpEnvelope[] {
  const seen = new Set(known.keys());
  const out: OpEnvelope[] = [];
  let seq = lastSeq;
  for (const op of ops) {
    if (seen.has(op.opId) || op.seq <= seq) continue;
    if (op.seq > seq + 1) break;
    out.push(op);
    seen.add(op.opId);
    seq = op.seq;
  }
  return out;
}

/** The chunk's receipts posted together, or null to apply them op by op. */
async function applyBatch(
  trx: Transaction<Database>,
  terminal: TerminalActor,
  ops: readonly OpEnvelope[],
): Promise<Map<string, OpOutcome> | null> {
  if (ops.length === 0) return null;
  let batched: Awaited<ReturnType<typeof applyReceiptBatch>>;
  try {
    batched = await applyReceiptBatch(trx, terminal, ops);
  } catch (error) {
    // A statement failed (a receipt id taken by another merchant's receipt): the transaction is
    // aborted, so the chunk is applied again with a savepoint around every op.
    if (isDataError(error)) throw new SavepointsNeeded();
    throw error;
  }
  if (batched === 'stale') throw new BatchMissed();
  return batched;
}

function conflictResult(op: OpEnvelope, message: string): OpResult {
  return {
    opId: op.opId,
    seq: op.seq,
    status: 'conflict',
    error: { code: 'op_conflict', message, details: null },
  };
}

/** Applies a batch in order, a chunk per transaction; stops at a gap and asks for a resend from it. */
export async function pushOps(db: Db, terminal: TerminalActor, request: PushRequest) {
  const results: OpResult[] = [];
  let resendFrom: number | null = null;
  for (let start = 0; start < request.ops.length && resendFrom === null; start += OPS_PER_TRANSACTION) {
    const chunk = request.ops.slice(start, start + OPS_PER_TRANSACTION);
    const run = (mode: ChunkMode) => db.transaction().execute((trx) => pushChunk(trx, terminal, chunk, mode));
    const careful = (error: unknown) => {
      if (!(error instanceof SavepointsNeeded)) throw error;
      return run('careful');
    };
    // Set-based first; a buyer moved meanwhile sends the chunk op by op (each receipt then takes
    // the locked retry of applyOp), and a failed statement sends it with savepoints.
    const step = await run('batch').catch((error: unknown) =>
      error instanceof BatchMissed ? run('single').catch(careful) : careful(error),
    );
    results.push(...step.results);
    resendFrom = step.resendFrom;
  }
  const row = await db
    .updateTable('terminals')
    .set((eb) => ({
      last_sync_at: new Date(),
      pending_ops: request.pendingOps ?? eb.ref('pending_ops'),
    }))
    .where('id', '=', terminal.terminalId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const buyers = await touchedBuyers(db, terminal, results);
  return {
    type: 'push_result' as const,
    results,
    nextSeq: Number(row.last_seq) + 1,
    resendFrom,
    ...(buyers ? { buyers } : {}),
    serverTime: Date.now(),
  };
}

/** The buyer id of a receipt or return answer (`{ buyer: { buyerId } }`), if any. */
function answerBuyerId(answer: unknown): string | null {
  const buyer = (answer as { buyer?: { buyerId?: unknown } } | null | undefined)?.buyer;
  return typeof buyer?.buyerId === 'string' ? buyer.buyerId : null;
}

/**
 * Snapshots of the buyers the batch's ops moved, with this terminal's last applied seq, from one
 * snapshot: the same guarantee as a `buyers` page. Duplicates count too: their first answer may
 * have been lost on the way, and the snapshot is read now, not replayed.
 */
async function touchedBuyers(db: Db, terminal: TerminalActor, results: readonly OpResult[]) {
  const ids = [
    ...new Set(
      results
        .filter((r) => r.status === 'applied' || r.status === 'duplicate')
        .map((r) => answerBuyerId(r.answer))
        .filter((id): id is string => id !== null),
    ),
  ];
  if (ids.length === 0) return null;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const items = await buyerItems(trx, terminal.merchantId, ids);
      const row = await trx
        .selectFrom('terminals')
        .select('last_seq')
        .where('id', '=', terminal.terminalId)
        .executeTakeFirstOrThrow();
      return { items, appliedSeq: Number(row.last_seq) };
    });
}
