// Push (B3): the terminal's op log applied in sequence, ONE PostgreSQL transaction per op (the op
// log row, the effects and terminals.last_seq together). The terminal row is locked per op, so
// two pushes from one terminal (a retry racing the original) serialise and the second one sees
// the first one's ops as duplicates.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { OpEnvelope, OpResult, pushRequestSchema } from '@loyalty/protocol/sync/push.schema';
import { TerminalAuthError } from '@loyalty/protocol/sync/pairing.schema';
import type { Db } from '#db/database.ts';
import { ApiError } from '#http/api-error.ts';
import { buyerItems } from './buyer-items.ts';
import { applyOp } from './op-apply.ts';
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

type Step = { kind: 'result'; result: OpResult } | { kind: 'gap'; expected: number };

async function pushOne(db: Db, terminal: TerminalActor, op: OpEnvelope): Promise<Step> {
  const hash = payloadHash(op);
  return db.transaction().execute(async (trx): Promise<Step> => {
    const row = await trx
      .selectFrom('terminals')
      .select(['last_seq', 'status'])
      .where('id', '=', terminal.terminalId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === 'revoked') throw new ApiError(401, TerminalAuthError.revoked, REVOKED_MESSAGE);
    const known = await trx
      .selectFrom('sync_ops')
      .select(['terminal_id', 'seq', 'payload_hash', 'status', 'answer', 'error'])
      .where('op_id', '=', op.opId)
      .executeTakeFirst();
    if (known) {
      const same =
        known.terminal_id === terminal.terminalId && known.seq === op.seq && known.payload_hash.equals(hash);
      if (!same) return conflictResult(op, 'Операция с этим opId уже принята с другим содержимым');
      return {
        kind: 'result',
        result: {
          opId: op.opId,
          seq: op.seq,
          status: 'duplicate',
          ...(known.answer === null ? {} : { answer: known.answer }),
          ...(known.error === null ? {} : { error: known.error as OpResult['error'] }),
        },
      };
    }
    const lastSeq = Number(row.last_seq);
    if (op.seq <= lastSeq) return conflictResult(op, `Номер операции ${op.seq} уже занят другой операцией`);
    if (op.seq > lastSeq + 1) return { kind: 'gap', expected: lastSeq + 1 };

    // Effects run under a savepoint: a dead letter undoes them but keeps the log row and last_seq.
    await sql`SAVEPOINT op`.execute(trx);
    let outcome: OpOutcome;
    try {
      outcome = await applyOp(trx, terminal, op);
    } catch (error) {
      if (!isDataError(error)) throw error;
      outcome = {
        ok: false,
        reason: DeadLetterReason.applyFailed,
        message: 'Операцию не удалось применить: данные не подходят',
        details: { sqlState: (error as { code?: string }).code ?? null },
      };
    }
    if (!outcome.ok) await sql`ROLLBACK TO SAVEPOINT op`.execute(trx);
    await sql`RELEASE SAVEPOINT op`.execute(trx);

    const error = outcome.ok
      ? null
      : { code: outcome.reason, message: outcome.message, details: outcome.details ?? null };
    await trx
      .insertInto('sync_ops')
      .values({
        op_id: op.opId,
        merchant_id: terminal.merchantId,
        terminal_id: terminal.terminalId,
        seq: op.seq,
        kind: op.kind,
        payload_hash: hash,
        status: outcome.ok ? 'applied' : 'dead_letter',
        answer: outcome.ok ? storableJson(outcome.answer) : null,
        error: error ? storableJson(error) : null,
        occurred_at: new Date(op.occurredAt),
      })
      .execute();
    if (!outcome.ok)
      await trx
        .insertInto('sync_dead_letters')
        .values({
          merchant_id: terminal.merchantId,
          terminal_id: terminal.terminalId,
          op_id: op.opId,
          seq: op.seq,
          kind: op.kind,
          reason: outcome.reason,
          message: outcome.message,
          details: storableJson(outcome.details ?? null),
          payload: JSON.stringify(op.payload ?? null),
          occurred_at: new Date(op.occurredAt),
        })
        .execute();
    await trx
      .updateTable('terminals')
      .set({ last_seq: op.seq, last_sync_at: new Date() })
      .where('id', '=', terminal.terminalId)
      .execute();
    return {
      kind: 'result',
      result: outcome.ok
        ? { opId: op.opId, seq: op.seq, status: 'applied', answer: outcome.answer }
        : { opId: op.opId, seq: op.seq, status: 'dead_letter', ...(error ? { error } : {}) },
    };
  });
}

function conflictResult(op: OpEnvelope, message: string): Step {
  return {
    kind: 'result',
    result: {
      opId: op.opId,
      seq: op.seq,
      status: 'conflict',
      error: { code: 'op_conflict', message, details: null },
    },
  };
}

/** Applies a batch in order; stops at a gap and asks for a resend from it. */
export async function pushOps(db: Db, terminal: TerminalActor, request: PushRequest) {
  const results: OpResult[] = [];
  let resendFrom: number | null = null;
  for (const op of request.ops) {
    const step = await pushOne(db, terminal, op);
    if (step.kind === 'gap') {
      resendFrom = step.expected;
      break;
    }
    results.push(step.result);
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
