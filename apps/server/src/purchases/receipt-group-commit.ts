// Group commit of online confirms (issue 3, B4): the writes of confirms that are ready at about
// the same time go to PostgreSQL as ONE statement (and one commit) instead of one each. Each
// confirm still reads and prices on its own and plans its rows (planPosting); here its plan
// waits for the group's statement, which applies every receipt under its own buyer's version
// guard: a receipt whose buyer moved since its read writes nothing and answers `stale` (the
// caller reads again, as after a single posting's miss), the others are written. A group holds
// at most one receipt per buyer (a second one waits for the next group), so two receipts can
// never both pass a guard on the same version.
//
// A group is sent as soon as no other group of this process is being written; while one is,
// the receipts that become ready meanwhile gather into the next. So under load groups grow by
// themselves, and a lone confirm waits for nothing but the current turn of the event loop.
//
// Only for receipts that touch no rows but their buyer's and their own: no hold, no coupon
// uses, no referral rewards. A statement that fails (a taken idempotency key: PostgreSQL's
// unique violation) fails the whole group; each of its receipts is then posted alone by
// postReceipt, so only the one at fault sees the error.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import { PREPARED } from '#db/prepared-statements.ts';
import {
  planPosting,
  postReceipt,
  receiptRows,
  type LineRow,
  type Plan,
  type PostingOutcome,
  type ReceiptPosting,
  type ReceiptRow,
} from './receipt-posting.ts';

/** Receipts per statement at most. */
const MAX_GROUP = 64;

type Waiting = {
  posting: ReceiptPosting;
  plan: Plan;
  outcome: PostingOutcome & { ok: true };
  settle(result: 'written' | 'stale' | 'alone'): void;
  fail(error: unknown): void;
};

/** True when the receipt can go through a group: it writes only its buyer's and its own rows. */
export function groupable(posting: ReceiptPosting): boolean {
  return (
    posting.holdId === null &&
    posting.calculation.coupons.accepted.length === 0 &&
    posting.calculation.referralRewards.length === 0
  );
}

class GroupCommitter {
  private queue: Waiting[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly db: Db) {}

  submit(entry: Waiting): void {
    this.queue.push(entry);
    if (!this.writing && !this.scheduled) {
      // Let the receipts that are ready in this turn of the event loop join.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  private async flush(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const buyers = new Set<string>();
    for (const entry of this.queue) {
      const buyerId = entry.posting.buyer?.row.id ?? null;
      if (group.length >= MAX_GROUP || (buyerId !== null && buyers.has(buyerId))) rest.push(entry);
      else {
        group.push(entry);
        if (buyerId !== null) buyers.add(buyerId);
      }
    }
    this.queue = rest;
    try {
      const written = await writeGroup(this.db, group);
      for (const entry of group) entry.settle(written.has(entry.posting.receiptId) ? 'written' : 'stale');
    } catch (error) {
      // Data errors are one receipt's fault, and a deadlock (40P01) with another writer of these
      // buyers is the group's size's: each posts alone, so only a receipt at fault fails. Anything
      // else (a lost connection) fails them all, as it would have failed each alone.
      const code = (error as { code?: unknown }).code;
      const alone = typeof code === 'string' && /^(22|23|40)/.test(code);
      for (const entry of group) {
        if (alone) entry.settle('alone');
        else entry.fail(error);
      }
    } finally {
      this.writing = false;
      if (this.queue.length > 0) void this.flush();
    }
  }
}

const committers = new WeakMap<Db, GroupCommitter>();

/**
 * Posts a receipt through the group commit of `db` (the pool, not a transaction): the same
 * outcome as postReceipt, `stale` included.
 */
export async function postReceiptInGroup(
  db: Db,
  posting: ReceiptPosting,
): Promise<PostingOutcome | { ok: false; code: 'stale' }> {
  const { plan, outcome } = planPosting(posting);
  if (!outcome.ok) return outcome;
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  const owner = committer;
  const result = await new Promise<'written' | 'stale' | 'alone'>((resolve, reject) =>
    owner.submit({ posting, plan, outcome, settle: resolve, fail: reject }),
  );
  if (result === 'written') return outcome;
  if (result === 'stale') return { ok: false, code: 'stale' };
  return postReceipt(db, posting);
}

/** Writes a group in one statement; answers the ids of the receipts written. */
async function writeGroup(db: Db, group: readonly Waiting[]): Promise<Set<string>> {
  const merchantIds = new Set(group.map((g) => g.posting.merchantId));
  const guards: Array<{
    id: string;
    merchant_id: string;
    version: number;
    balance: number;
    debt: number;
    total: number;
    store_id: string | null;
    card_type_id: string | null;
    at: string;
  }> = [];
  const receipts: ReceiptRow[] = [];
  const lines: LineRow[] = [];
  const lots: unknown[] = [];
  const spent: Array<{ id: string; points: number; receipt_id: string }> = [];
  const consumptions: unknown[] = [];
  const entries: unknown[] = [];
  const audit: unknown[] = [];
  for (const { posting, plan, outcome } of group) {
    const receiptId = posting.receiptId;
    if (posting.buyer && plan.buyer)
      guards.push({
        id: posting.buyer.row.id,
        merchant_id: posting.merchantId,
        version: posting.buyer.row.version,
        balance: plan.buyer.balance,
        debt: plan.buyer.debt,
        total: plan.buyer.total,
        store_id: posting.storeId,
        card_type_id: plan.buyer.cardTypeId,
        at: posting.now.toISOString(),
      });
    const rows = receiptRows(posting, outcome);
    receipts.push(rows.receipt);
    lines.push(...rows.lines);
    for (const lot of plan.lots)
      lots.push({ ...lot, receipt_id: receiptId, merchant_id: posting.merchantId });
    for (const s of plan.spent) spent.push({ ...s, receipt_id: receiptId });
    for (const c of plan.consumptions)
      consumptions.push({ ...c, receipt_id: receiptId, merchant_id: posting.merchantId });
    for (const e of plan.entries)
      entries.push({
        ...e,
        receipt_id: receiptId,
        merchant_id: posting.merchantId,
        actor_type: posting.actor.type,
        actor_id: posting.actor.id,
      });
    for (const a of plan.audit) audit.push({ ...a, receipt_id: receiptId, merchant_id: posting.merchantId });
  }
  if (merchantIds.size === 0) return new Set();
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  // The ids again as plain arrays: the generic plan cannot see how few rows a jsonb recordset
  // holds and joined it to buyers and point_lots by a sequential scan of the whole table (every
  // lot ever credited, each group); `id = ANY(array)` makes both updates index scans.
  const guardIds = guards.map((g) => g.id);
  const spentIds = spent.map((s) => s.id);
  // A receipt is written when it has no buyer or its buyer's guarded update passed; every other
  // row of it hangs off its receipt row (`ok`), so a stale receipt writes nothing at all.
  const result = await sql<{ id: string }>`${PREPARED}
    WITH g AS (
      UPDATE buyers b SET
             balance = b.balance + x.balance,
             debt = b.debt + x.debt,
             purchases_count = b.purchases_count + 1,
             purchases_total = b.purchases_total + x.total,
             last_purchase_at = x.at,
             last_store_id = x.store_id,
             card_type_id = coalesce(x.card_type_id, b.card_type_id),
             updated_at = now(),
             version = b.version + 1
        FROM jsonb_to_recordset(${json(guards)}) AS x(id uuid, merchant_id uuid, version bigint, balance bigint,
             debt bigint, total bigint, store_id uuid, card_type_id uuid, at timestamptz)
       WHERE b.id = ANY(${guardIds}::uuid[]) AND b.id = x.id AND b.merchant_id = x.merchant_id
         AND b.version = x.version AND b.erased_at IS NULL
      RETURNING b.id
    ), r AS (
      INSERT INTO receipts (id, merchant_id, idempotency_key, request_hash, number, store_id, buyer_id,
                            source, amount, discount, points_paid, paid_money, accrual, calculation,
                            response, terminal_id, terminal_seq, overdraft, cashier_id)
      SELECT x.id, x.merchant_id, x.idempotency_key, decode(x.request_hash, 'hex'), x.number, x.store_id,
             x.buyer_id, x.source, x.amount, x.discount, x.points_paid, x.paid_money, x.accrual,
             x.calculation, x.response, x.terminal_id, x.terminal_seq, x.overdraft, x.cashier_id
        FROM jsonb_to_recordset(${json(receipts)}) AS x(id uuid, merchant_id uuid, idempotency_key text,
             request_hash text, number text, store_id uuid, buyer_id uuid, source text, amount bigint,
             discount bigint, points_paid bigint, paid_money bigint, accrual bigint, calculation jsonb,
             response jsonb, terminal_id uuid, terminal_seq bigint, overdraft bigint, cashier_id uuid)
       WHERE x.buyer_id IS NULL OR x.buyer_id IN (SELECT id FROM g)
      RETURNING id
    ), receipt_lines_in AS (
      INSERT INTO receipt_lines (receipt_id, merchant_id, position, product_id, category_id, quantity, price,
                                 amount, discount, points_paid, paid_money, accrual)
      SELECT x.receipt_id, x.merchant_id, x.position, x.product_id, x.category_id, x.quantity, x.price, x.amount,
             x.discount, x.points_paid, x.paid_money, x.accrual
        FROM jsonb_to_recordset(${json(lines)}) AS x(receipt_id uuid, merchant_id uuid, position int,
             product_id text, category_id text, quantity bigint, price bigint, amount bigint, discount bigint,
             points_paid bigint, paid_money bigint, accrual bigint)
       WHERE x.receipt_id IN (SELECT id FROM r)
    ), lots_in AS (
      INSERT INTO point_lots (id, merchant_id, buyer_id, source, receipt_id, promotion_id, initial, remaining,
                              activates_at, expires_at)
      SELECT x.id, x.merchant_id, x.buyer_id, x.source, x.receipt_id, x.promotion_id, x.initial, x.remaining,
             x.activates_at, x.expires_at
        FROM jsonb_to_recordset(${json(lots)}) AS x(id uuid, merchant_id uuid, buyer_id uuid, source text,
             receipt_id uuid, promotion_id uuid, initial bigint, remaining bigint, activates_at timestamptz,
             expires_at timestamptz)
       WHERE x.receipt_id IN (SELECT id FROM r)
    ), spent AS (
      UPDATE point_lots l SET remaining = l.remaining - x.points
        FROM jsonb_to_recordset(${json(spent)}) AS x(id uuid, points bigint, receipt_id uuid)
       WHERE l.id = ANY(${spentIds}::uuid[]) AND l.id = x.id AND x.receipt_id IN (SELECT id FROM r)
    ), consumptions_in AS (
      INSERT INTO lot_consumptions (merchant_id, operation_id, lot_id, points)
      SELECT x.merchant_id, x.operation_id, x.lot_id, x.points
        FROM jsonb_to_recordset(${json(consumptions)}) AS x(merchant_id uuid, operation_id uuid, lot_id uuid,
             points bigint, receipt_id uuid)
       WHERE x.receipt_id IN (SELECT id FROM r)
    ), entries_in AS (
      INSERT INTO ledger_entries (merchant_id, buyer_id, operation_id, kind, points, lot_id, receipt_id, reason,
                                  actor_type, actor_id)
      SELECT x.merchant_id, x.buyer_id, x.operation_id, x.kind, x.points, x.lot_id, x.receipt_id, x.reason,
             x.actor_type, x.actor_id
        FROM jsonb_to_recordset(${json(entries)}) AS x(merchant_id uuid, buyer_id uuid, operation_id uuid,
             kind text, points bigint, lot_id uuid, receipt_id uuid, reason text, actor_type text, actor_id text)
       WHERE x.receipt_id IN (SELECT id FROM r)
    ), audit_in AS (
      INSERT INTO audit_log (merchant_id, actor_type, actor_id, action, entity, entity_id, before, after)
      SELECT x.merchant_id, 'system', NULL, 'card_type.' || (x.after ->> 'change'), 'buyer', x.buyer_id,
             x.before, x.after - 'change'
        FROM jsonb_to_recordset(${json(audit)}) AS x(merchant_id uuid, buyer_id text, before jsonb, after jsonb,
             receipt_id uuid)
       WHERE x.receipt_id IN (SELECT id FROM r)
    )
    SELECT id FROM r`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}
