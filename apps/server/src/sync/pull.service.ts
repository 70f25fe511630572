// Pull (B2): one page of one stream since the terminal's cursor, read in one REPEATABLE READ
// snapshot. Safe watermark: a page hands out only rows whose sync_xid is below the snapshot's
// xmin; every transaction below it has finished, so nothing can later commit behind a cursor
// already handed out (transaction ids are assigned in one order and commit in another).
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { SyncStream } from '@loyalty/protocol/sync/pull.schema';
import { offlineLimitsSchema, type programmeSettingsSchema } from '@loyalty/protocol/api/programme.schema';
import type { z } from 'zod';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { loadSnapshot } from '#programme/rules-snapshot.ts';
import { qrPublicKeyFor } from '#qr/qr-keys.service.ts';
import { questionnaireMarkers, syncQuestionnaire } from '#questionnaire/questionnaire-sync.ts';
import { compareCursor, decodeCursor, encodeCursor, START, ZERO_ID, type Cursor } from './sync-cursor.ts';
import type { TerminalActor } from './terminal-auth.ts';
import { buyerItems } from './buyer-items.ts';

type Trx = Transaction<Database>;

/** Tables whose rows make up the `rules` stream's single item (the engine snapshot). */
const RULES_TABLES = [
  'programme_settings',
  'card_types',
  'programme_rules',
  'happy_hours',
  'promotions',
  'coupon_series',
  'categories',
  'stores',
] as const;

type Page = {
  stream: SyncStream;
  items: unknown[];
  deleted: string[];
  cursor: string;
  hasMore: boolean;
  appliedSeq: number;
};

/** The watermark of the current snapshot: every transaction below it has finished. */
async function horizon(trx: Trx): Promise<bigint> {
  const result = await sql<{
    xmin: string;
  }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`.execute(trx);
  return BigInt(result.rows[0]?.xmin ?? '0');
}

/** The last of this terminal's ops applied below the watermark (ops apply in seq order). */
async function appliedSeq(trx: Trx, terminalId: string, below: bigint): Promise<number> {
  const result = await sql<{ seq: number }>`
    SELECT seq FROM sync_ops WHERE terminal_id = ${terminalId} AND sync_xid < ${below.toString()}::xid8
    ORDER BY seq DESC LIMIT 1`.execute(trx);
  return Number(result.rows[0]?.seq ?? 0);
}

type Row = { id: string; xid: string; live: boolean };

/** Rows and tombstones of a table after the cursor and below the watermark, merged in order. */
async function rowPage<R extends Row>(
  trx: Trx,
  terminal: TerminalActor,
  table: 'products' | 'cashiers' | 'buyers',
  cursor: Cursor,
  below: bigint,
  limit: number,
  select: (bounds: ReturnType<typeof sql>) => Promise<R[]>,
): Promise<{ rows: R[]; deleted: string[]; cursor: Cursor; hasMore: boolean }> {
  const bounds = sql`merchant_id = ${terminal.merchantId}
    AND sync_xid < ${below.toString()}::xid8
    AND (sync_xid, id) > (${cursor.xid.toString()}::xid8, ${cursor.id}::uuid)`;
  const [rows, tombstones] = await Promise.all([
    select(bounds),
    sql<Row>`
      SELECT entity_id AS id, sync_xid::text AS xid, false AS live FROM sync_tombstones
       WHERE merchant_id = ${terminal.merchantId} AND table_name = ${table}
         AND sync_xid < ${below.toString()}::xid8
         AND (sync_xid, entity_id) > (${cursor.xid.toString()}::xid8, ${cursor.id}::uuid)
       ORDER BY sync_xid, entity_id LIMIT ${limit + 1}`
      .execute(trx)
      .then((r) => r.rows),
  ]);
  const position = (r: Row): Cursor => ({ xid: BigInt(r.xid), id: r.id });
  const merged: Row[] = [...rows, ...tombstones].sort((a, b) => compareCursor(position(a), position(b)));
  const page = merged.slice(0, limit);
  // Within one page the latest event per id wins: a product archived then restored is an item.
  const latest = new Map<string, Row>();
  for (const row of page) latest.set(row.id, row);
  const last = page.at(-1);
  return {
    rows: [...latest.values()].filter((r) => r.live) as R[],
    deleted: [...latest.values()].filter((r) => !r.live).map((r) => r.id),
    cursor: last ? position(last) : cursor,
    hasMore: merged.length > limit,
  };
}

type ProductRow = Row & {
  sku: string;
  name: string;
  barcodes: string[];
  category_id: string | null;
  price: number;
  unit: 'piece' | 'kg';
  min_price: number;
  no_discount: boolean;
  no_accrual: boolean;
  no_points_payment: boolean;
};

type CashierRow = Row & {
  name: string;
  role: 'cashier' | 'senior';
  store_id: string | null;
  code_hash: string;
};

/** The single-item streams: the item when anything it is made of changed after the cursor. */
async function singleItem(
  trx: Trx,
  terminal: TerminalActor,
  stream: 'settings' | 'rules',
  cursor: Cursor,
  below: bigint,
  qrPublicKey: string | null,
): Promise<{ items: unknown[]; cursor: Cursor }> {
  const m = terminal.merchantId;
  const parts =
    stream === 'settings'
      ? [
          sql`SELECT sync_xid FROM merchants WHERE id = ${m}`,
          sql`SELECT sync_xid FROM stores WHERE id = ${terminal.storeId}`,
          sql`SELECT sync_xid FROM programme_settings WHERE merchant_id = ${m}`,
          ...questionnaireMarkers(m),
        ]
      : [
          sql`SELECT sync_xid FROM merchants WHERE id = ${m}`,
          ...RULES_TABLES.map(
            (table) => sql`SELECT max(sync_xid) FROM ${sql.table(table)} WHERE merchant_id = ${m}`,
          ),
          sql`SELECT max(sync_xid) FROM sync_tombstones WHERE merchant_id = ${m}
                AND table_name = ANY(${[...RULES_TABLES] as string[]}::text[])`,
        ];
  const result = await sql<{ marker: string | null }>`
    SELECT greatest(${sql.join(
      parts.map((part) => sql`(${part})`),
      sql`, `,
    )})::text AS marker`.execute(trx);
  const marker = BigInt(result.rows[0]?.marker ?? '0');
  if (marker <= cursor.xid) return { items: [], cursor };
  const item =
    stream === 'settings' ? await settingsItem(trx, terminal, qrPublicKey) : await rulesItem(trx, m);
  if (!item) return { items: [], cursor };
  // The item shows every transaction below the watermark; one above it (committed, visible) is
  // included too, and delivered again on the next pull: harmless, never a gap.
  const next = below - 1n > cursor.xid ? below - 1n : cursor.xid;
  return { items: [item], cursor: { xid: next, id: ZERO_ID } };
}

type StoredSettings = z.output<typeof programmeSettingsSchema>;

async function settingsItem(trx: Trx, terminal: TerminalActor, qrPublicKey: string | null) {
  const row = await trx
    .selectFrom('merchants')
    .innerJoin('stores', 'stores.merchant_id', 'merchants.id')
    .leftJoin('programme_settings', 'programme_settings.merchant_id', 'merchants.id')
    .select([
      'merchants.id as merchant_id',
      'merchants.name as merchant_name',
      'merchants.time_zone',
      'merchants.currency',
      'stores.id as store_id',
      'stores.name as store_name',
      'stores.address',
      'stores.attributes',
      'programme_settings.body',
    ])
    .where('merchants.id', '=', terminal.merchantId)
    .where('stores.id', '=', terminal.storeId)
    .executeTakeFirst();
  if (!row) return null;
  const stored = (row.body as StoredSettings | null)?.offlineLimits;
  const limits = offlineLimitsSchema.parse(stored ?? {});
  const attribute = (key: string) => row.attributes[key] ?? null;
  return {
    id: row.merchant_id,
    merchant: { name: row.merchant_name, timeZone: row.time_zone, currency: row.currency },
    store: {
      id: row.store_id,
      name: row.store_name,
      address: row.address,
      city: attribute('city'),
      format: attribute('format'),
      cluster: attribute('cluster'),
    },
    offlineLimits: {
      maxSnapshotAgeHours: limits.maxSnapshotAgeHours,
      maxOfflineHours: limits.maxOfflineHours,
      maxPointsPerReceipt: limits.maxPointsPerReceipt,
      maxPointsPerBuyerPerDay: limits.maxPointsPerBuyerPerDay,
      maxPointsPerTerminalSinceSync: limits.maxPointsPerTerminalSinceSync,
      maxClockSkewMinutes: limits.maxClockSkewMinutes,
    },
    qrPublicKey,
    questionnaire: await syncQuestionnaire(trx, terminal.merchantId),
  };
}

async function rulesItem(trx: Trx, merchantId: string) {
  const snapshot = await loadSnapshot(trx, merchantId);
  return snapshot ? { id: 'rules' as const, version: snapshot.version, snapshot } : null;
}

/**
 * The terminal's buyer scope (programme setting `terminalBuyerScope`): the whole merchant, or the
 * stores of its store's city. `tag` goes into the cursor, so a change of either starts over.
 */
async function buyerScope(
  trx: Trx,
  terminal: TerminalActor,
): Promise<{ tag: string; city: string | null; storeIds: string[] }> {
  const settings = await trx
    .selectFrom('programme_settings')
    .select('body')
    .where('merchant_id', '=', terminal.merchantId)
    .executeTakeFirst();
  const wanted = (settings?.body as StoredSettings | undefined)?.terminalBuyerScope ?? 'merchant';
  const store = await trx
    .selectFrom('stores')
    .select('attributes')
    .where('merchant_id', '=', terminal.merchantId)
    .where('id', '=', terminal.storeId)
    .executeTakeFirst();
  const city = store?.attributes.city?.trim().toLowerCase() || null;
  if (wanted !== 'city' || city === null) return { tag: 'merchant', city: null, storeIds: [] };
  // Compared in JS: PostgreSQL's lower() follows the database locale, which may leave Cyrillic as is.
  const stores = await trx
    .selectFrom('stores')
    .select(['id', 'attributes'])
    .where('merchant_id', '=', terminal.merchantId)
    .execute();
  const storeIds = stores
    .filter((st) => st.attributes.city?.trim().toLowerCase() === city)
    .map((st) => st.id);
  const tag = `city-${createHash('sha256').update(city).digest('hex').slice(0, 12)}`;
  return { tag, city, storeIds };
}

/** The buyers cursor carries its scope: `<tag>~v1...`; a merchant-wide one is a plain cursor. */
function scopedCursor(tag: string, cursor: Cursor): string {
  return tag === 'merchant' ? encodeCursor(cursor) : `${tag}~${encodeCursor(cursor)}`;
}

function decodeScopedCursor(text: string | undefined): { scope: string; cursor: Cursor } {
  if (text === undefined) return { scope: 'merchant', cursor: START };
  const at = text.indexOf('~');
  if (at < 0) return { scope: 'merchant', cursor: decodeCursor(text) };
  return { scope: text.slice(0, at), cursor: decodeCursor(text.slice(at + 1)) };
}

/** One page of a stream for this terminal. */
export async function pullPage(
  db: Db,
  terminal: TerminalActor,
  query: { stream: SyncStream; cursor?: string | undefined; limit: number },
): Promise<Page> {
  const buyersCursor =
    query.stream === 'buyers' ? decodeScopedCursor(query.cursor) : { scope: 'merchant', cursor: START };
  const cursor = query.stream === 'buyers' ? buyersCursor.cursor : decodeCursor(query.cursor);
  // The key pair is created on first use, which writes: so before the read-only snapshot. Once
  // created it never changes, so reading it outside the snapshot cannot tear the item.
  const qrPublicKey = query.stream === 'settings' ? await qrPublicKeyFor(db, terminal.merchantId) : null;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const below = await horizon(trx);
      const seq = await appliedSeq(trx, terminal.terminalId, below);
      const base = { stream: query.stream, appliedSeq: seq };
      switch (query.stream) {
        case 'settings':
        case 'rules': {
          const single = await singleItem(trx, terminal, query.stream, cursor, below, qrPublicKey);
          return {
            ...base,
            items: single.items,
            deleted: [],
            cursor: encodeCursor(single.cursor),
            hasMore: false,
          };
        }
        case 'products': {
          const page = await rowPage<ProductRow>(
            trx,
            terminal,
            'products',
            cursor,
            below,
            query.limit,
            (bounds) =>
              sql<ProductRow>`
              SELECT id, sync_xid::text AS xid, archived_at IS NULL AS live, sku, name, barcodes, category_id,
                     price, unit, min_price, no_discount, no_accrual, no_points_payment
                FROM products WHERE ${bounds} ORDER BY sync_xid, id LIMIT ${query.limit + 1}`
                .execute(trx)
                .then((r) => r.rows),
          );
          return {
            ...base,
            items: page.rows.map((p) => ({
              id: p.id,
              sku: p.sku,
              name: p.name,
              barcodes: p.barcodes,
              categoryId: p.category_id,
              price: Number(p.price),
              unit: p.unit,
              minPrice: Number(p.min_price),
              noDiscount: p.no_discount,
              noAccrual: p.no_accrual,
              noPointsPayment: p.no_points_payment,
            })),
            deleted: page.deleted,
            cursor: encodeCursor(page.cursor),
            hasMore: page.hasMore,
          };
        }
        case 'cashiers': {
          // Blocked cashiers and those of other stores are deletions for this terminal.
          const page = await rowPage<CashierRow>(
            trx,
            terminal,
            'cashiers',
            cursor,
            below,
            query.limit,
            (bounds) =>
              sql<CashierRow>`
              SELECT id, sync_xid::text AS xid,
                     archived_at IS NULL AND (store_id IS NULL OR store_id = ${terminal.storeId}) AS live,
                     name, role, store_id, code_hash
                FROM cashiers WHERE ${bounds} ORDER BY sync_xid, id LIMIT ${query.limit + 1}`
                .execute(trx)
                .then((r) => r.rows),
          );
          return {
            ...base,
            items: page.rows.map((c) => ({
              id: c.id,
              name: c.name,
              role: c.role,
              storeIds: c.store_id ? [c.store_id] : [],
              codeHash: c.code_hash,
            })),
            deleted: page.deleted,
            cursor: encodeCursor(page.cursor),
            hasMore: page.hasMore,
          };
        }
        case 'buyers': {
          const scope = await buyerScope(trx, terminal);
          // A cursor of another scope (the setting or the store's city changed) starts over: the
          // full pass delivers who is now in scope and deletes who is not.
          const start = buyersCursor.scope === scope.tag ? buyersCursor.cursor : START;
          const inScope =
            scope.city === null
              ? sql<boolean>`true`
              : sql<boolean>`(registration_store_id = ANY(${scope.storeIds}::uuid[])
                    OR last_store_id = ANY(${scope.storeIds}::uuid[]))`;
          const page = await rowPage<Row>(trx, terminal, 'buyers', start, below, query.limit, (bounds) =>
            sql<Row>`
              SELECT id, sync_xid::text AS xid, erased_at IS NULL AND ${inScope} AS live
                FROM buyers WHERE ${bounds} ORDER BY sync_xid, id LIMIT ${query.limit + 1}`
              .execute(trx)
              .then((r) => r.rows),
          );
          return {
            ...base,
            items: await buyerItems(
              trx,
              terminal.merchantId,
              page.rows.map((r) => r.id),
            ),
            deleted: page.deleted,
            cursor: scopedCursor(scope.tag, page.cursor),
            hasMore: page.hasMore,
          };
        }
      }
    });
}

/** Records that the terminal synced (throttled: at most one write per 10 s per terminal). */
export async function touchTerminal(
  db: Db,
  terminalId: string,
  pendingOps: number | undefined,
): Promise<void> {
  await sql`
    UPDATE terminals SET last_sync_at = now(), pending_ops = coalesce(${pendingOps ?? null}::bigint, pending_ops)
     WHERE id = ${terminalId}
       AND (last_sync_at IS NULL OR last_sync_at < now() - interval '10 seconds'
            OR pending_ops IS DISTINCT FROM coalesce(${pendingOps ?? null}::bigint, pending_ops))`.execute(
    db,
  );
}
