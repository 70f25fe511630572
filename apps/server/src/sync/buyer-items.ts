// Buyers as terminals cache them (B2): profile, cards, statistics, balance, debt and live lots.
// Shared by the `buyers` stream and the on-demand lookup.
import { sql, type Kysely } from 'kysely';
import type { BuyerItem } from '@loyalty/protocol/sync/pull.schema';
import type { Database } from '#db/database-schema.ts';

type Raw = {
  id: string;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  card_numbers: string[];
  card_type_id: string | null;
  registered_at: Date;
  birth_date: string | null;
  gender: 'male' | 'female' | null;
  email: string | null;
  consent_pending: boolean;
  referrer_id: string | null;
  tags: string[];
  favourite_category_ids: string[];
  purchases_count: number;
  purchases_total: number;
  last_purchase_at: Date | null;
  balance: number;
  debt: number;
  lots: Array<{ id: string; remaining: number; activates_at: string; expires_at: string | null }>;
};

/** The items of these buyers (erased ones left out), in the order of `ids`. */
export async function buyerItems(
  db: Kysely<Database>,
  merchantId: string,
  ids: readonly string[],
): Promise<BuyerItem[]> {
  if (ids.length === 0) return [];
  const result = await sql<Raw>`
    SELECT b.id, b.phone, b.first_name, b.last_name, b.card_type_id, b.registered_at,
           to_char(b.birth_date, 'YYYY-MM-DD') AS birth_date, b.gender, b.email, b.consent_pending,
           b.referrer_id, b.tags,
           b.favourite_category_ids, b.purchases_count, b.purchases_total, b.last_purchase_at,
           b.balance, b.debt,
           coalesce((SELECT array_agg(c.number ORDER BY c.number) FROM cards c
                      WHERE c.merchant_id = b.merchant_id AND c.buyer_id = b.id AND c.status = 'active'),
                    '{}') AS card_numbers,
           coalesce((SELECT json_agg(json_build_object('id', l.id, 'remaining', l.remaining,
                                                       'activates_at', l.activates_at, 'expires_at', l.expires_at)
                                     ORDER BY l.expires_at NULLS LAST, l.id)
                       FROM point_lots l WHERE l.buyer_id = b.id AND l.remaining > 0), '[]') AS lots
      FROM buyers b
     WHERE b.merchant_id = ${merchantId} AND b.id = ANY(${[...ids]}::uuid[]) AND b.erased_at IS NULL`.execute(
    db,
  );
  const byId = new Map(result.rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const b = byId.get(id);
    if (!b) return [];
    return [
      {
        id: b.id,
        phone: b.phone,
        firstName: b.first_name,
        lastName: b.last_name,
        cardNumbers: b.card_numbers,
        cardTypeId: b.card_type_id,
        registeredAt: b.registered_at.getTime(),
        birthDate: b.birth_date,
        gender: b.gender,
        email: b.email,
        consentPending: b.consent_pending,
        referrerId: b.referrer_id,
        tags: b.tags,
        favouriteCategoryIds: b.favourite_category_ids,
        purchasesCount: Number(b.purchases_count),
        purchasesTotal: Number(b.purchases_total),
        lastPurchaseAt: b.last_purchase_at?.getTime() ?? null,
        balance: Number(b.balance),
        debt: Number(b.debt),
        lots: b.lots.map((l) => ({
          id: l.id,
          remaining: Number(l.remaining),
          activatesAt: new Date(l.activates_at).getTime(),
          expiresAt: l.expires_at === null ? null : new Date(l.expires_at).getTime(),
        })),
      },
    ];
  });
}
