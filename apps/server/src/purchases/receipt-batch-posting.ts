// Set-based posting of many receipts at once (the terminal push, issue 4): one read of every
// buyer the receipts name (row, live lots, points other holds reserve), the receipts planned in
// memory in their order by the same planPosting as a single receipt (a buyer's second receipt
// sees the lots and debt the first one left, including a lot it has just credited), and ONE
// statement that writes the receipts, lines, lots, spends, consumptions, ledger entries, audit
// rows and buyers' counters of them all. Per receipt that is a fiftieth of a read and of a write
// instead of one of each, which is where a push spent its time (per-statement cost on both sides).
//
// The buyers are read without a lock; the write moves each buyer's row only from the version
// read (as receipt-posting.ts does for one receipt) and writes nothing else unless every buyer
// passed. A buyer moved meanwhile (an online sale, a manual change: every writer of points bumps
// the version) answers `stale`, with some buyers' rows possibly updated: the caller must roll
// its transaction back and post those receipts another way (push.service.ts posts them one by one).
//
// Not for receipts that consume a hold, use coupons or reward referrers, nor with a tier period
// (C2): those touch other rows or need per-receipt reads, and stay on postReceipt.
import { sql, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import type { Calculation } from '@loyalty/core/engine/calculation-result';
import { points } from '@loyalty/core/money/money';
import type { PreparedRules } from '@loyalty/core/rules/prepared-rules';
import { PREPARED } from '#db/prepared-statements.ts';
import type { Database } from '#db/database-schema.ts';
import type { BuyerStateRow } from './buyer-state.ts';
import {
  planPosting,
  receiptRows,
  type ConsumptionRow,
  type EntryRow,
  type LineRow,
  type LotRow,
  type Plan,
  type PointsAnswer,
  type ReceiptPosting,
  type ReceiptRow,
} from './receipt-posting.ts';

type Trx = Transaction<Database>;

/** One receipt of a batch: what postReceipt takes, less what the batch shares or refuses. */
export type BatchReceipt = {
  receiptId: string;
  idempotencyKey: string;
  requestHash: Buffer;
  number: string | null;
  storeId: string;
  /** The cashier, known to be the merchant's (the caller checked), or null. */
  cashierId: string | null;
  /** The buyer's real id (aliases resolved by the caller); null for an anonymous receipt. */
  buyerId: string | null;
  calculation: Calculation;
  terminal: { id: string; seq: number } | null;
};

/** What the receipts of a batch share. */
export type ReceiptBatch = {
  merchantId: string;
  source: 'api' | 'cabinet' | 'terminal';
  actor: { type: 'user' | 'api_key' | 'system' | 'terminal'; id: string | null };
  /** Offline receipts: spend beyond the lots becomes debt instead of a refusal. */
  allowOverdraft: boolean;
  rules: PreparedRules;
  now: Date;
  receipts: readonly BatchReceipt[];
};

/** Each receipt's answer, in the batch's order. */
export type BatchPosted = Array<{ receiptId: string; answerBuyer: PointsAnswer | null; overdraft: number }>;

/** Why a batch was not posted: a buyer unknown or erased, a spend refused, or a buyer moved. */
export type BatchRefusal = { ok: false; code: 'buyer_missing' | 'refused' | 'stale' };

type RawBuyer = {
  buyer: Omit<BuyerStateRow, 'registered_at'> & { registered_at: string };
  lots: Array<{ id: string; remaining: number; activates_at: string; expires_at: string | null }> | null;
  reserved: string | number;
};

/** Every buyer's row, live lots and reserved points in one statement (one snapshot). */
async function readBuyers(
  trx: Trx,
  merchantId: string,
  ids: readonly string[],
  defaultCardTypeId: string,
  now: Date,
): Promise<Map<string, { row: BuyerStateRow; state: BuyerState }>> {
  const read = new Map<string, { row: BuyerStateRow; state: BuyerState }>();
  if (ids.length === 0) return read;
  const result = await sql<RawBuyer>`${PREPARED}
    SELECT row_to_json(b) AS buyer,
           (SELECT json_agg(json_build_object('id', l.id, 'remaining', l.remaining,
                                              'activates_at', l.activates_at, 'expires_at', l.expires_at))
              FROM point_lots l WHERE l.buyer_id = b.id AND l.remaining > 0) AS lots,
           (SELECT coalesce(sum(h.points), 0) FROM point_holds h
             WHERE h.buyer_id = b.id AND h.status = 'active' AND h.expires_at > ${now}) AS reserved
      FROM (SELECT id, balance, card_type_id, debt, purchases_count, purchases_total, registered_at, referrer_id,
                   favourite_category_ids, tags, version
              FROM buyers
             WHERE merchant_id = ${merchantId} AND erased_at IS NULL AND id = ANY(${ids}::uuid[])) b`.execute(
    trx,
  );
  for (const raw of result.rows) {
    const row: BuyerStateRow = { ...raw.buyer, registered_at: new Date(raw.buyer.registered_at) };
    read.set(row.id, {
      row,
      state: {
        id: row.id,
        cardTypeId: row.card_type_id ?? defaultCardTypeId,
        segmentIds: row.tags,
        favouriteCategoryIds: row.favourite_category_ids,
        lots: (raw.lots ?? []).map((lot) => ({
          id: lot.id,
          remaining: points(Number(lot.remaining)),
          activatesAt: new Date(lot.activates_at).getTime(),
          expiresAt: lot.expires_at === null ? null : new Date(lot.expires_at).getTime(),
        })),
        reserved: points(Number(raw.reserved)),
        debt: points(row.debt),
        purchasesCount: row.purchases_count,
        registeredAt: row.registered_at.getTime(),
        // Referral rewards are not posted here (see the file's head), so nobody reads the chain.
        referrers: [],
      },
    });
  }
  return read;
}

/** A buyer's change over the whole batch, guarded by the version read. */
type BuyerDelta = {
  id: string;
  version: number;
  balance: number;
  debt: number;
  count: number;
  total: number;
  store_id: string;
  card_type_id: string | null;
};

/**
 * Posts the receipts in order inside the caller's transaction: one read, one write. Answers each
 * receipt's answer, or a refusal with nothing written (`buyer_missing`, `refused`) or with the
 * transaction to be rolled back (`stale`). A taken receipt id or idempotency key fails the
 * statement with PostgreSQL's unique violation (23505).
 */
export async function postReceiptBatch(
  trx: Trx,
  batch: ReceiptBatch,
): Promise<{ ok: true; posted: BatchPosted } | BatchRefusal> {
  const { merchantId, rules, now } = batch;
  const defaultCardTypeId = rules.snapshot.programme.defaultCardTypeId;
  const buyerIds = [...new Set(batch.receipts.flatMap((r) => (r.buyerId === null ? [] : [r.buyerId])))];
  const buyers = await readBuyers(trx, merchantId, buyerIds, defaultCardTypeId, now);
  if (buyers.size !== buyerIds.length) return { ok: false, code: 'buyer_missing' };

  const receipts: ReceiptRow[] = [];
  const lines: LineRow[] = [];
  const lots = new Map<string, LotRow & { receipt_id: string }>();
  const spent = new Map<string, number>();
  const consumptions: ConsumptionRow[] = [];
  const entries: Array<EntryRow & { receipt_id: string }> = [];
  const audit: Plan['audit'] = [];
  const deltas = new Map<string, BuyerDelta>();
  const posted: BatchPosted = [];
  for (const receipt of batch.receipts) {
    const buyer = receipt.buyerId === null ? null : (buyers.get(receipt.buyerId) ?? null);
    const posting: ReceiptPosting = {
      merchantId,
      receiptId: receipt.receiptId,
      idempotencyKey: receipt.idempotencyKey,
      requestHash: receipt.requestHash,
      number: receipt.number,
      storeId: receipt.storeId,
      cashierId: receipt.cashierId,
      source: batch.source,
      actor: batch.actor,
      calculation: receipt.calculation,
      buyer,
      referrerDebts: new Map(),
      holdId: null,
      tierTotalBefore: null,
      allowOverdraft: batch.allowOverdraft,
      terminal: receipt.terminal,
      rules,
      now,
    };
    const { plan, outcome, after } = planPosting(posting);
    if (!outcome.ok) return { ok: false, code: 'refused' };
    for (const lot of plan.lots) lots.set(lot.id, { ...lot, receipt_id: receipt.receiptId });
    // A lot credited earlier in this batch is inserted with what is left of it (one statement
    // cannot update a row it inserts); lots that existed before are decreased once each.
    for (const spend of plan.spent) {
      const fresh = lots.get(spend.id);
      if (fresh) fresh.remaining -= spend.points;
      else spent.set(spend.id, (spent.get(spend.id) ?? 0) + spend.points);
    }
    consumptions.push(...plan.consumptions);
    for (const entry of plan.entries) entries.push({ ...entry, receipt_id: receipt.receiptId });
    audit.push(...plan.audit);
    if (buyer && plan.buyer && after) {
      const change = plan.buyer;
      const delta = deltas.get(buyer.row.id) ?? {
        id: buyer.row.id,
        version: buyer.row.version,
        balance: 0,
        debt: 0,
        count: 0,
        total: 0,
        store_id: receipt.storeId,
        card_type_id: null,
      };
      delta.balance += change.balance;
      delta.debt += change.debt;
      delta.count += 1;
      delta.total += change.total;
      delta.store_id = receipt.storeId;
      delta.card_type_id = change.cardTypeId ?? delta.card_type_id;
      deltas.set(buyer.row.id, delta);
      // The next receipt of this buyer is planned on the state this one leaves.
      const row: BuyerStateRow = {
        ...buyer.row,
        balance: buyer.row.balance + change.balance,
        debt: buyer.row.debt + change.debt,
        purchases_count: buyer.row.purchases_count + 1,
        purchases_total: buyer.row.purchases_total + change.total,
        card_type_id: change.cardTypeId ?? buyer.row.card_type_id,
      };
      buyers.set(row.id, {
        row,
        state: {
          ...after,
          cardTypeId: row.card_type_id ?? defaultCardTypeId,
          purchasesCount: row.purchases_count,
        },
      });
    }
    const rows = receiptRows(posting, outcome);
    receipts.push(rows.receipt);
    lines.push(...rows.lines);
    posted.push({
      receiptId: receipt.receiptId,
      answerBuyer: outcome.answerBuyer,
      overdraft: outcome.overdraft,
    });
  }

  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const guarded = [...deltas.values()];
  const spends = [...spent].map(([id, amount]) => ({ id, points: amount }));
  // The updated ids are passed again as plain arrays (id = ANY): the generic plan cannot see how
  // few rows a jsonb recordset holds and would join it to buyers and point_lots by scanning them.
  // Every write selects FROM ok: unless every buyer's row moved from the version read, nothing
  // but those guarded updates is written, and the caller rolls them back.
  const result = await sql<{ ok: boolean }>`${PREPARED}
    WITH g AS (
      UPDATE buyers b SET
             balance = b.balance + x.balance,
             debt = b.debt + x.debt,
             purchases_count = b.purchases_count + x.count,
             purchases_total = b.purchases_total + x.total,
             last_purchase_at = ${now},
             last_store_id = x.store_id,
             card_type_id = coalesce(x.card_type_id, b.card_type_id),
             updated_at = now(),
             version = b.version + 1
        FROM jsonb_to_recordset(${json(guarded)}) AS x(id uuid, version bigint, balance bigint, debt bigint,
             count int, total bigint, store_id uuid, card_type_id uuid)
       WHERE b.id = ANY(${guarded.map((d) => d.id)}::uuid[]) AND b.id = x.id AND b.merchant_id = ${merchantId}
         AND b.version = x.version AND b.erased_at IS NULL
      RETURNING b.id
    ), ok AS (
      SELECT count(*) = ${guarded.length}::bigint AS ok FROM g
    ), r AS (
      INSERT INTO receipts (id, merchant_id, idempotency_key, request_hash, number, store_id, buyer_id,
                            source, amount, discount, points_paid, paid_money, accrual, calculation,
                            response, terminal_id, terminal_seq, overdraft, cashier_id)
      SELECT x.id, x.merchant_id, x.idempotency_key, decode(x.request_hash, 'hex'), x.number, x.store_id,
             x.buyer_id, x.source, x.amount, x.discount, x.points_paid, x.paid_money, x.accrual,
             x.calculation, x.response, x.terminal_id, x.terminal_seq, x.overdraft, x.cashier_id
        FROM ok, jsonb_to_recordset(${json(receipts)}) AS x(id uuid, merchant_id uuid, idempotency_key text,
             request_hash text, number text, store_id uuid, buyer_id uuid, source text, amount bigint,
             discount bigint, points_paid bigint, paid_money bigint, accrual bigint, calculation jsonb,
             response jsonb, terminal_id uuid, terminal_seq bigint, overdraft bigint, cashier_id uuid)
       WHERE ok.ok
      RETURNING id
    ), receipt_lines_in AS (
      INSERT INTO receipt_lines (receipt_id, merchant_id, position, product_id, category_id, quantity, price,
                                 amount, discount, points_paid, paid_money, accrual)
      SELECT x.receipt_id, x.merchant_id, x.position, x.product_id, x.category_id, x.quantity, x.price, x.amount,
             x.discount, x.points_paid, x.paid_money, x.accrual
        FROM ok, jsonb_to_recordset(${json(lines)}) AS x(receipt_id uuid, merchant_id uuid, position int,
             product_id text, category_id text, quantity bigint, price bigint, amount bigint, discount bigint,
             points_paid bigint, paid_money bigint, accrual bigint)
       WHERE ok.ok
    ), lots_in AS (
      INSERT INTO point_lots (id, merchant_id, buyer_id, source, receipt_id, promotion_id, initial, remaining,
                              activates_at, expires_at)
      SELECT x.id, ${merchantId}, x.buyer_id, x.source, x.receipt_id, x.promotion_id, x.initial, x.remaining,
             x.activates_at, x.expires_at
        FROM ok, jsonb_to_recordset(${json([...lots.values()])}) AS x(id uuid, buyer_id uuid, source text,
             receipt_id uuid, promotion_id uuid, initial bigint, remaining bigint, activates_at timestamptz,
             expires_at timestamptz)
       WHERE ok.ok
    ), spent AS (
      UPDATE point_lots l SET remaining = l.remaining - x.points
        FROM ok, jsonb_to_recordset(${json(spends)}) AS x(id uuid, points bigint)
       WHERE ok.ok AND l.id = ANY(${spends.map((x) => x.id)}::uuid[]) AND l.id = x.id
    ), consumptions_in AS (
      INSERT INTO lot_consumptions (merchant_id, operation_id, lot_id, points)
      SELECT ${merchantId}, x.operation_id, x.lot_id, x.points
        FROM ok, jsonb_to_recordset(${json(consumptions)}) AS x(operation_id uuid, lot_id uuid, points bigint)
       WHERE ok.ok
    ), entries_in AS (
      INSERT INTO ledger_entries (merchant_id, buyer_id, operation_id, kind, points, lot_id, receipt_id, reason,
                                  actor_type, actor_id)
      SELECT ${merchantId}, x.buyer_id, x.operation_id, x.kind, x.points, x.lot_id, x.receipt_id, x.reason,
             ${batch.actor.type}, ${batch.actor.id}
        FROM ok, jsonb_to_recordset(${json(entries)}) AS x(buyer_id uuid, operation_id uuid, kind text,
             points bigint, lot_id uuid, receipt_id uuid, reason text)
       WHERE ok.ok
    ), audit_in AS (
      INSERT INTO audit_log (merchant_id, actor_type, actor_id, action, entity, entity_id, before, after)
      SELECT ${merchantId}, 'system', NULL, 'card_type.' || (x.after ->> 'change'), 'buyer', x.buyer_id,
             x.before, x.after - 'change'
        FROM ok, jsonb_to_recordset(${json(audit)}) AS x(buyer_id text, before jsonb, after jsonb)
       WHERE ok.ok
    )
    SELECT ok FROM ok`.execute(trx);
  if (!result.rows[0]?.ok) return { ok: false, code: 'stale' };
  return { ok: true, posted };
}
