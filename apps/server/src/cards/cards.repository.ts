// Cards of a merchant (C9). Status changes are conditional updates, so two tills acting on one
// card at once cannot both succeed.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import type { CardStatus } from '#db/database-schema.ts';
import { pageOffset } from '#db/list-query.ts';

function cardQuery(db: Db, merchantId: string) {
  return db
    .selectFrom('cards')
    .leftJoin('card_series', (join) =>
      join
        .onRef('card_series.id', '=', 'cards.series_id')
        .onRef('card_series.merchant_id', '=', 'cards.merchant_id'),
    )
    .select([
      'cards.id',
      'cards.number',
      'cards.series_id',
      'card_series.kind',
      'cards.buyer_id',
      'cards.status',
      'cards.block_reason',
      'cards.replaced_by_id',
      'cards.created_at',
      'cards.activated_at',
    ])
    .where('cards.merchant_id', '=', merchantId);
}

/** A card with the kind of its series. */
export type CardRow = Awaited<ReturnType<ReturnType<typeof cardQuery>['executeTakeFirstOrThrow']>>;

/** One card of this merchant by id. */
export function findCard(db: Db, merchantId: string, id: string): Promise<CardRow | undefined> {
  return cardQuery(db, merchantId).where('cards.id', '=', id).executeTakeFirst();
}

/** One card of this merchant by the number printed on it. */
export function findCardByNumber(db: Db, merchantId: string, number: string): Promise<CardRow | undefined> {
  return cardQuery(db, merchantId).where('cards.number', '=', number).executeTakeFirst();
}

/** A page of cards, by number, with the total. */
export async function listCards(
  db: Db,
  merchantId: string,
  query: {
    page: number;
    pageSize: number;
    number?: string | undefined;
    seriesId?: string | undefined;
    buyerId?: string | undefined;
    status?: CardStatus | undefined;
  },
): Promise<{ rows: CardRow[]; total: number }> {
  let filtered = cardQuery(db, merchantId);
  if (query.number !== undefined) filtered = filtered.where('cards.number', '=', query.number);
  if (query.seriesId !== undefined) filtered = filtered.where('cards.series_id', '=', query.seriesId);
  if (query.buyerId !== undefined) filtered = filtered.where('cards.buyer_id', '=', query.buyerId);
  if (query.status !== undefined) filtered = filtered.where('cards.status', '=', query.status);
  const [rows, count] = await Promise.all([
    filtered
      .orderBy('cards.number')
      .limit(query.pageSize)
      .offset(pageOffset(query.page, query.pageSize))
      .execute(),
    filtered
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.total };
}

/**
 * Gives a card without a holder to a buyer and puts it in use: an issued card, or an anonymous
 * one already active whose holder now registers. False when the card is not free.
 */
export async function attachCard(
  db: Db,
  merchantId: string,
  cardId: string,
  buyerId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('cards')
    .set((eb) => ({
      buyer_id: buyerId,
      status: 'active',
      activated_at: eb.fn.coalesce('activated_at', eb.val(new Date())),
    }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', cardId)
    .where('status', 'in', ['issued', 'active'])
    .where('buyer_id', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Puts an issued card in use without a buyer; false when it is not issued. */
export async function activateCard(db: Db, merchantId: string, cardId: string): Promise<boolean> {
  const result = await db
    .updateTable('cards')
    .set({ status: 'active', activated_at: new Date() })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', cardId)
    .where('status', '=', 'issued')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Blocks an issued or active card with a reason; false when it is already blocked or replaced. */
export async function blockCard(
  db: Db,
  merchantId: string,
  cardId: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('cards')
    .set({ status: 'blocked', block_reason: reason })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', cardId)
    .where('status', 'in', ['issued', 'active'])
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Lifts a block: a card that was in use (a holder, or activated) is active again, a card blocked
 * before it was ever used is issued again. False when the card is not blocked, or its holder was
 * erased (erasure blocks the cards for good: nobody may collect on an erased account).
 */
export async function unblockCard(db: Db, merchantId: string, cardId: string): Promise<boolean> {
  const result = await db
    .updateTable('cards')
    .set({
      status: sql<CardStatus>`case when buyer_id is not null or activated_at is not null then 'active' else 'issued' end`,
      block_reason: null,
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', cardId)
    .where('status', '=', 'blocked')
    .where((eb) =>
      eb.or([
        eb('buyer_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('buyers')
              .select('buyers.id')
              .whereRef('buyers.id', '=', 'cards.buyer_id')
              .where('buyers.erased_at', 'is not', null),
          ),
        ),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Blocks every card still usable by a buyer; returns their numbers. */
export async function blockBuyerCards(db: Db, merchantId: string, buyerId: string, reason: string) {
  const rows = await db
    .updateTable('cards')
    .set({ status: 'blocked', block_reason: reason })
    .where('merchant_id', '=', merchantId)
    .where('buyer_id', '=', buyerId)
    .where('status', 'in', ['issued', 'active'])
    .returning('number')
    .execute();
  return rows.map((row) => row.number);
}

/**
 * Moves an active or blocked card's holder to a free issued card and marks the old one replaced.
 * The balance lives on the buyer, so it follows. False when either card is not in a state to do so.
 */
export async function replaceCard(
  db: Db,
  merchantId: string,
  old: CardRow,
  replacement: CardRow,
): Promise<boolean> {
  const taken = await db
    .updateTable('cards')
    .set({ buyer_id: old.buyer_id, status: 'active', activated_at: new Date() })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', replacement.id)
    .where('status', '=', 'issued')
    .where('buyer_id', 'is', null)
    .executeTakeFirst();
  if (taken.numUpdatedRows !== 1n) return false;
  const retired = await db
    .updateTable('cards')
    .set({ status: 'replaced', replaced_by_id: replacement.id })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', old.id)
    .where('status', 'in', ['active', 'blocked'])
    .executeTakeFirst();
  return retired.numUpdatedRows === 1n;
}

/** The public view of a card. */
export function cardView(row: CardRow) {
  return {
    id: row.id,
    number: row.number,
    seriesId: row.series_id,
    kind: row.kind,
    buyerId: row.buyer_id,
    status: row.status,
    blockReason: row.block_reason,
    replacedById: row.replaced_by_id,
    createdAt: row.created_at.toISOString(),
    activatedAt: row.activated_at?.toISOString() ?? null,
  };
}
