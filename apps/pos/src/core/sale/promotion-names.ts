// Promotion names from the cached rules snapshot: the engine speaks in ids, the cashier and the
// slip in names.
import { getRules } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';

/** Every promotion's name by id (an unnamed one maps to ''). */
export function promotionNames(db: Sqlite): Record<string, string> {
  const snapshot = getRules(db)?.snapshot as
    { promotions?: Array<{ id: string; name?: string }> } | undefined;
  return Object.fromEntries((snapshot?.promotions ?? []).map((p) => [p.id, p.name ?? '']));
}
