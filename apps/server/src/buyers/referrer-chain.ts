// The buyers who brought a buyer, by level (C8), as the engine reads them for referral rewards:
// level 1 invited the buyer, level 2 invited level 1, up to five levels. One recursive query
// instead of a round trip per level. The chain stops at an erased buyer or a cycle; in the
// invite-only mode referrers no longer allowed to invite drop out, the others keep their level.
import { sql, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { mayInvite, type ReferralMode } from './referral-policy.ts';

type Executor = Db | Transaction<Database>;

/** Referral levels the engine knows. */
const MAX_LEVELS = 5;

/** The referrers of `buyer` who earn rewards under `mode`, level 1 first. */
export async function referrerChain(
  executor: Executor,
  merchantId: string,
  buyer: { readonly id: string; readonly referrer_id: string | null },
  defaultCardTypeId: string,
  mode: ReferralMode,
): Promise<BuyerState['referrers']> {
  if (buyer.referrer_id === null) return [];
  const rows = await sql<{ id: string; card_type_id: string | null; can_invite: boolean; level: number }>`
    WITH RECURSIVE chain AS (
      SELECT b.id, b.card_type_id, b.can_invite, b.referrer_id, 1 AS level, ARRAY[${buyer.id}::uuid, b.id] AS path
      FROM buyers b
      WHERE b.merchant_id = ${merchantId} AND b.id = ${buyer.referrer_id} AND b.erased_at IS NULL
        AND b.id <> ${buyer.id}
      UNION ALL
      SELECT b.id, b.card_type_id, b.can_invite, b.referrer_id, c.level + 1, c.path || b.id
      FROM chain c
      JOIN buyers b ON b.merchant_id = ${merchantId} AND b.id = c.referrer_id AND b.erased_at IS NULL
      WHERE c.level < ${MAX_LEVELS} AND NOT b.id = ANY(c.path)
    )
    SELECT id, card_type_id, can_invite, level FROM chain ORDER BY level`.execute(executor);
  return rows.rows
    .filter((row) => mayInvite(mode, row.can_invite))
    .map((row) => ({ buyerId: row.id, level: row.level, cardTypeId: row.card_type_id ?? defaultCardTypeId }));
}
