// Promotion names from the cached rules snapshot: the engine speaks in ids, the cashier and the
// slip in names. Kept per rules version: every calculation at the till asks for them.
import { getRules, getRulesVersion } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';

const byVersion = new WeakMap<Sqlite, { version: string | null; names: Record<string, string> }>();

/** Every promotion's name by id (an unnamed one maps to ''). */
export function promotionNames(db: Sqlite): Record<string, string> {
  const version = getRulesVersion(db);
  const memo = byVersion.get(db);
  if (memo && memo.version === version) return memo.names;
  const snapshot = getRules(db)?.snapshot as
    { promotions?: Array<{ id: string; name?: string }> } | undefined;
  const names = Object.fromEntries((snapshot?.promotions ?? []).map((p) => [p.id, p.name ?? '']));
  byVersion.set(db, { version, names });
  return names;
}

/** Every `promotionId` anywhere in a value (the engine's calculation: lines, gifts, reasons). */
function mentionedIds(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) mentionedIds(item, into);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (key === 'promotionId' && typeof item === 'string') into.add(item);
      else mentionedIds(item, into);
    }
  return into;
}

/** The names of just the promotions a calculation mentions: what an answer needs, not the merchant's every one. */
export function promotionNamesIn(db: Sqlite, calculation: unknown): Record<string, string> {
  const names = promotionNames(db);
  const out: Record<string, string> = {};
  for (const id of mentionedIds(calculation, new Set())) out[id] = names[id] ?? '';
  return out;
}
