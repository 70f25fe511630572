// Receipt ops of one push chunk posted together (issue 4): one query for every op's checks, one
// read of every buyer, one write (purchases/receipt-batch-posting.ts) instead of three or four
// statements per op. It takes a chunk only when every op it applies is a plain receipt that the
// per-op path would book without a question: anything else (another kind, a malformed payload,
// a receipt booked already under another op, an unknown store or buyer, a hold, coupons,
// referral rewards, a tier period) answers null with nothing written, and the chunk goes op by
// op through applyOp, which knows every case. So the per-op path stays the reference, and this
// is only a faster way to the same rows and answers.
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { receiptPayloadSchema, type OpEnvelope } from '@loyalty/protocol/sync/push.schema';
import type { Database } from '#db/database-schema.ts';
import { PREPARED } from '#db/prepared-statements.ts';
import { postReceiptBatch, type BatchReceipt } from '#purchases/receipt-batch-posting.ts';
import { preparedRulesFor, storedSettingsFor } from '#programme/rules-snapshot.ts';
import type { OpOutcome } from './op-result.ts';
import type { TerminalActor } from './terminal-auth.ts';

type Trx = Transaction<Database>;
type ReceiptPayload = z.output<typeof receiptPayloadSchema>;

/**
 * Applies the chunk's receipt ops in one go: their outcomes by op id, null when the chunk is not
 * for this path (nothing written), or `stale` when a buyer moved between the read and the write
 * (some buyers' rows written: the caller must roll the transaction back).
 */
export async function applyReceiptBatch(
  trx: Trx,
  terminal: TerminalActor,
  ops: readonly OpEnvelope[],
): Promise<Map<string, OpOutcome> | null | 'stale'> {
  const merchantId = terminal.merchantId;
  const parsed: Array<{ op: OpEnvelope; payload: ReceiptPayload }> = [];
  for (const op of ops) {
    if (op.kind !== 'receipt') return null;
    const payload = receiptPayloadSchema.safeParse(op.payload);
    if (!payload.success) return null;
    const calculation = payload.data.calculation as unknown as Calculation;
    if (
      payload.data.holdId ||
      calculation.coupons.accepted.length > 0 ||
      calculation.referralRewards.length > 0
    )
      return null;
    parsed.push({ op, payload: payload.data });
  }
  if (new Set(parsed.map((p) => p.payload.receiptId)).size !== parsed.length) return null;
  const rules = await preparedRulesFor(trx, merchantId);
  const settings = await storedSettingsFor(trx, merchantId);
  if (!rules || !settings || settings.tierPeriodDays != null) return null;

  // One round trip for what applyReceipt checks per op: booked already, the store, aliases, and
  // which cashiers are the merchant's (an unknown one is stored as null, as applyReceipt does).
  const keys = parsed.map((p) => `terminal:${p.payload.receiptId}`);
  const storeIds = [...new Set(parsed.map((p) => p.payload.storeId))];
  const named = [...new Set(parsed.flatMap((p) => (p.payload.buyerId ? [p.payload.buyerId] : [])))];
  const cashierIds = [...new Set(parsed.flatMap((p) => (p.payload.cashierId ? [p.payload.cashierId] : [])))];
  const checks = await sql<{
    booked: number;
    stores: number;
    aliases: Array<[string, string]> | null;
    cashiers: string[] | null;
  }>`${PREPARED}
    SELECT
      (SELECT count(*) FROM receipts WHERE merchant_id = ${merchantId} AND idempotency_key = ANY(${keys}::text[]))::int
        AS booked,
      (SELECT count(*) FROM stores WHERE merchant_id = ${merchantId} AND id = ANY(${storeIds}::uuid[]))::int AS stores,
      (SELECT json_agg(json_build_array(alias_id, buyer_id)) FROM buyer_aliases
        WHERE merchant_id = ${merchantId} AND alias_id = ANY(${named}::uuid[])) AS aliases,
      (SELECT array_agg(id::text) FROM cashiers
        WHERE merchant_id = ${merchantId} AND id = ANY(${cashierIds}::uuid[])) AS cashiers`.execute(trx);
  const check = checks.rows[0];
  if (!check || check.booked > 0 || check.stores !== storeIds.length) return null;
  const alias = new Map(check.aliases ?? []);
  const knownCashiers = new Set(check.cashiers ?? []);

  const receipts: BatchReceipt[] = parsed.map(({ op, payload }) => ({
    receiptId: payload.receiptId,
    idempotencyKey: `terminal:${payload.receiptId}`,
    requestHash: Buffer.from(op.opId.replaceAll('-', ''), 'hex'),
    number: payload.number,
    storeId: payload.storeId,
    cashierId: payload.cashierId && knownCashiers.has(payload.cashierId) ? payload.cashierId : null,
    buyerId: payload.buyerId ? (alias.get(payload.buyerId) ?? payload.buyerId) : null,
    // The till's figures, as printed; the schema checked every figure the posting reads.
    calculation: payload.calculation as unknown as Calculation,
    terminal: { id: terminal.terminalId, seq: op.seq },
  }));
  const result = await postReceiptBatch(trx, {
    merchantId,
    source: 'terminal',
    actor: { type: 'terminal', id: terminal.terminalId },
    allowOverdraft: true,
    rules,
    now: new Date(),
    receipts,
  });
  if (!result.ok) return result.code === 'stale' ? 'stale' : null;
  return new Map(
    result.posted.map((posted, i) => [
      parsed[i]?.op.opId ?? '',
      {
        ok: true,
        answer: { receiptId: posted.receiptId, buyer: posted.answerBuyer, overdraft: posted.overdraft },
      },
    ]),
  );
}
