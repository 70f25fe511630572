// The merchant settings and rules streams as cached on the till: one settings item (merchant,
// this store, offline limits, QR key) and one rules snapshot with its version.
import type { RulesItem, SettingsItem } from '@loyalty/protocol/sync/pull.schema';
import { prepared, type Sqlite } from './database.ts';
import { fromJson, toJson } from './json-column.ts';

/** Replaces the cached settings item (and the store it names). */
export function putSettings(db: Sqlite, item: SettingsItem, at: number): void {
  db.prepare(
    `INSERT INTO cache_settings (id, body, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  ).run(item.id, toJson(item), at);
  db.prepare(
    `INSERT INTO cache_stores (id, name, body) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body`,
  ).run(item.store.id, item.store.name, toJson(item.store));
}

/** Removes a settings item named by a tombstone. */
export function deleteSettings(db: Sqlite, id: string): void {
  db.prepare('DELETE FROM cache_settings WHERE id = ?').run(id);
}

/** The cached settings, or null before the first pull. */
export function getSettings(db: Sqlite): SettingsItem | null {
  const row = db
    .prepare<[], { body: string }>('SELECT body FROM cache_settings ORDER BY updated_at DESC LIMIT 1')
    .get();
  return row ? fromJson<SettingsItem>(row.body) : null;
}

/** The cached store by id. */
export function getStore(db: Sqlite, id: string): SettingsItem['store'] | null {
  const row = db.prepare<[string], { body: string }>('SELECT body FROM cache_stores WHERE id = ?').get(id);
  return row ? fromJson<SettingsItem['store']>(row.body) : null;
}

/** Replaces the cached rules snapshot. */
export function putRules(db: Sqlite, item: RulesItem, at: number): void {
  db.prepare(
    `INSERT INTO cache_rules (id, version, snapshot, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot,
       updated_at = excluded.updated_at`,
  ).run(item.id, item.version, toJson(item.snapshot), at);
}

/** Removes the rules snapshot named by a tombstone. */
export function deleteRules(db: Sqlite, id: string): void {
  db.prepare('DELETE FROM cache_rules WHERE id = ?').run(id);
}

/** The cached rules version, or null before the first pull (asked on every calculation). */
export function getRulesVersion(db: Sqlite): string | null {
  return (
    prepared<[], { version: string }>(db, `SELECT version FROM cache_rules WHERE id = 'rules'`).get()
      ?.version ?? null
  );
}

/** The cached rules snapshot and its version. */
export function getRules(db: Sqlite): { version: string; snapshot: unknown } | null {
  const row = db
    .prepare<[], { version: string; snapshot: string }>(
      `SELECT version, snapshot FROM cache_rules WHERE id = 'rules'`,
    )
    .get();
  return row ? { version: row.version, snapshot: fromJson<unknown>(row.snapshot) } : null;
}
