// Settings of this workstation that the cashier or the installer sets (not synced): JSON by key.
import type { Sqlite } from './database.ts';
import { fromJson, toJson } from './json-column.ts';

/** Every local setting with its stored value. */
export function readLocalSettings(db: Sqlite): Record<string, unknown> {
  const rows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM local_settings').all();
  return Object.fromEntries(rows.map((row) => [row.key, fromJson<unknown>(row.value)]));
}

/** Writes the given settings; a null value removes the key. */
export function writeLocalSettings(db: Sqlite, values: Record<string, unknown>): void {
  const upsert = db.prepare(
    'INSERT INTO local_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM local_settings WHERE key = ?');
  db.transaction(() => {
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined) remove.run(key);
      else upsert.run(key, toJson(value));
    }
  })();
}
