// The buyers who brought a buyer, by level (C8), as the engine reads them for referral rewards:
// level 1 invited the buyer, level 2 invited level 1, up to five levels. One recursive query
// instead of a round trip per level; the receipt posting's single read embeds the same fragment.
// The chain stops at an erased buyer or a cycle; in the invite-only mode referrers no longer
// allowed to invite drop out, the others keep their level.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { BuyerState } from '@loyalty/core/engine/calculation-input.schema';
import type { Db } from '#db/database.ts';
import type { Database } from '#db/database-schema.ts';
import { mayInvite, type ReferralMode } from './referral-policy.ts';

type Executor = Db | Transaction<Database>;

/** Referral levels the engine knows. */
const MAX_LEVELS = 5;

/** One referrer as the chain query answers it. */
export type ChainRow = { id: string; card_type_id: string | null; can_invite: boolean; level: number };

/**
 * A scalar subquery: the chain above the buyer in the enclosing query's CTE `b` (columns id,
 * referrer_id) as a JSON array of ChainRow, level 1 first, or NULL when there is none.
 */
export function referrerChainJson(merchantId: string): RawBuilder<ChainRow[] | null> {
  return sql<
    ChainRow[] | null
  >`(WITH RECURSIVE chain(id, card_type_id, can_invite, referrer_id, level, path) AS (
      SELECT r.id, r.card_type_id, r.can_invite, r.referrer_id, 1, ARRAY[b.id, r.id]
        FROM b JOIN buyers r ON r.id = b.referrer_id
       WHERE r.merchant_id = ${merchantId} AND r.erased_at IS NULL AND r.id <> b.id
      UNION ALL
      -- Each step is a lookup by primary key driven by the chain so far (LIMIT keeps the planner
      -- from flattening it into a join that scans every buyer of the merchant, even for a buyer
      -- with no referrer at all).
      SELECT r.id, r.card_type_id, r.can_invite, r.referrer_id, c.level + 1, c.path || r.id
        FROM chain c CROSS JOIN LATERAL (
          SELECT id, card_type_id, can_invite, referrer_id FROM buyers
           WHERE id = c.referrer_id AND merchant_id = ${merchantId} AND erased_at IS NULL LIMIT 1) r
       WHERE c.level < ${MAX_LEVELS} AND NOT r.id = ANY(c.path))
    SELECT json_agg(json_build_object('id', id, 'card_type_id', card_type_id, 'can_invite', can_invite,
                                      'level', level) ORDER BY level)
      FROM chain)`;
}

/** The engine's referrers from the chain rows: those who earn under `mode`, at their levels. */
export function referrersFrom(
  rows: readonly ChainRow[] | null,
  defaultCardTypeId: string,
  mode: ReferralMode,
): BuyerState['referrers'] {
  return (rows ?? [])
    .filter((row) => mayInvite(mode, row.can_invite))
    .map((row) => ({ buyerId: row.id, level: row.level, cardTypeId: row.card_type_id ?? defaultCardTypeId }));
}

/** The referrers of `buyer` who earn rewards under `mode`, level 1 first. */
export async function referrerChain(
  executor: Executor,
  merchantId: string,
  buyer: { readonly id: string; readonly referrer_id: string | null },
  defaultCardTypeId: string,
  mode: ReferralMode,
): Promise<BuyerState['referrers']> {
  if (buyer.referrer_id === null) return [];
  const result = await sql<{ chain: ChainRow[] | null }>`
    WITH b AS (SELECT ${buyer.id}::uuid AS id, ${buyer.referrer_id}::uuid AS referrer_id)
    SELECT ${referrerChainJson(merchantId)} AS chain`.execute(executor);
  return referrersFrom(result.rows[0]?.chain ?? null, defaultCardTypeId, mode);
}
