// The bound on offline overspending (B3), for the cabinet: active terminals times the points one
// terminal may redeem between syncs, next to what offline receipts actually left owed.
import { sql } from 'kysely';
import { offlineLimitsSchema } from '@loyalty/protocol/api/programme.schema';
import type { Db } from '#db/database.ts';
import { storedSettingsFor } from '#programme/rules-snapshot.ts';

/** The merchant's offline exposure now. */
export async function offlineExposure(db: Db, merchantId: string) {
  const settings = await storedSettingsFor(db, merchantId);
  const limits = offlineLimitsSchema.parse(settings?.offlineLimits ?? {});
  const result = await sql<{ terminals: number; debt: number; debtors: number; overdrafts: number }>`
    SELECT
      (SELECT count(*) FROM terminals WHERE merchant_id = ${merchantId} AND status = 'active')::int AS terminals,
      (SELECT coalesce(sum(debt), 0) FROM buyers WHERE merchant_id = ${merchantId} AND debt > 0)::bigint AS debt,
      (SELECT count(*) FROM buyers WHERE merchant_id = ${merchantId} AND debt > 0)::int AS debtors,
      (SELECT count(*) FROM receipts WHERE merchant_id = ${merchantId} AND overdraft > 0)::int AS overdrafts`.execute(
    db,
  );
  const row = result.rows[0] ?? { terminals: 0, debt: 0, debtors: 0, overdrafts: 0 };
  const perTerminal = limits.maxPointsPerTerminalSinceSync;
  return {
    activeTerminals: row.terminals,
    maxPointsPerTerminalSinceSync: perTerminal,
    worstCaseOverspend: perTerminal === null ? null : perTerminal * row.terminals,
    debtOwed: Number(row.debt),
    buyersInDebt: row.debtors,
    overdraftReceipts: row.overdrafts,
  };
}
