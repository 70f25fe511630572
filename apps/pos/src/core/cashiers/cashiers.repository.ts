// The cached cashier list (SYNC.md `cashiers` stream): names, roles, stores and the argon2id
// hash of each access code, so a cashier logs in while the server is out of reach (A9).
import type { CashierItem } from '@loyalty/protocol/sync/pull.schema';
import type { Sqlite } from '#core/store/database.ts';
import { fromJson, toJson } from '#core/store/json-column.ts';

type CashierRow = {
  id: string;
  name: string;
  role: CashierItem['role'];
  store_ids: string;
  code_hash: string;
};

const fromRow = (row: CashierRow): CashierItem => ({
  id: row.id,
  name: row.name,
  role: row.role,
  storeIds: fromJson<string[]>(row.store_ids),
  codeHash: row.code_hash,
});

/** Inserts or replaces a cashier. */
export function putCashier(db: Sqlite, item: CashierItem): void {
  db.prepare(
    `INSERT INTO cache_cashiers (id, name, role, store_ids, code_hash) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
       store_ids = excluded.store_ids, code_hash = excluded.code_hash`,
  ).run(item.id, item.name, item.role, toJson(item.storeIds), item.codeHash);
}

/** Removes a cashier (blocked or deleted in the cabinet). */
export function deleteCashier(db: Sqlite, id: string): void {
  db.prepare('DELETE FROM cache_cashiers WHERE id = ?').run(id);
}

/** Cashiers who may work in the store (an empty store list means every store). */
export function cashiersOfStore(db: Sqlite, storeId: string): CashierItem[] {
  return db
    .prepare<[], CashierRow>('SELECT * FROM cache_cashiers ORDER BY name')
    .all()
    .map(fromRow)
    .filter((c) => c.storeIds.length === 0 || c.storeIds.includes(storeId));
}

/** A cashier by id. */
export function getCashier(db: Sqlite, id: string): CashierItem | null {
  const row = db.prepare<[string], CashierRow>('SELECT * FROM cache_cashiers WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

/** How many cashiers are cached. */
export const countCashiers = (db: Sqlite): number =>
  db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cache_cashiers').get()?.n ?? 0;
