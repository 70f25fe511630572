// Card series (C9): a named number range; issuing one generates every card number in it at once.
import { sql } from 'kysely';
import type { Db } from '#db/database.ts';
import type { CardSeriesKind } from '#db/database-schema.ts';

function seriesQuery(db: Db, merchantId: string) {
  return db
    .selectFrom('card_series')
    .leftJoin('cards', (join) =>
      join
        .onRef('cards.series_id', '=', 'card_series.id')
        .onRef('cards.merchant_id', '=', 'card_series.merchant_id'),
    )
    .select((eb) => [
      'card_series.id',
      'card_series.name',
      'card_series.prefix',
      'card_series.number_from',
      'card_series.number_to',
      'card_series.kind',
      'card_series.created_at',
      eb.fn.count<number>('cards.id').filterWhere('cards.status', '=', 'issued').as('issued'),
      eb.fn.count<number>('cards.id').filterWhere('cards.status', '=', 'active').as('active'),
      eb.fn.count<number>('cards.id').filterWhere('cards.status', '=', 'blocked').as('blocked'),
      eb.fn.count<number>('cards.id').filterWhere('cards.status', '=', 'replaced').as('replaced'),
    ])
    .where('card_series.merchant_id', '=', merchantId)
    .groupBy('card_series.id');
}

type SeriesRow = Awaited<ReturnType<ReturnType<typeof seriesQuery>['executeTakeFirstOrThrow']>>;

/** Every series of the merchant with card counts by status, newest first. */
export function listSeries(db: Db, merchantId: string): Promise<SeriesRow[]> {
  return seriesQuery(db, merchantId).orderBy('card_series.created_at', 'desc').execute();
}

/** One series with its counts. */
export function findSeries(db: Db, merchantId: string, id: string): Promise<SeriesRow | undefined> {
  return seriesQuery(db, merchantId).where('card_series.id', '=', id).executeTakeFirst();
}

/** A series with the same prefix whose range shares a number with [from, to]. */
export function findOverlappingSeries(db: Db, merchantId: string, prefix: string, from: number, to: number) {
  return db
    .selectFrom('card_series')
    .select(['id', 'name', 'number_from', 'number_to'])
    .where('merchant_id', '=', merchantId)
    .where('prefix', '=', prefix)
    .where('number_from', '<=', to)
    .where('number_to', '>=', from)
    .executeTakeFirst();
}

/**
 * Creates the series and its cards, all 'issued'. A number is the prefix and the number padded to
 * the width of `to`, so every card of a series has the same length.
 */
export async function insertSeries(
  db: Db,
  merchantId: string,
  series: { name: string; prefix: string; from: number; to: number; kind: CardSeriesKind },
): Promise<string> {
  const { id } = await db
    .insertInto('card_series')
    .values({
      merchant_id: merchantId,
      name: series.name,
      prefix: series.prefix,
      number_from: series.from,
      number_to: series.to,
      kind: series.kind,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const width = String(series.to).length;
  await sql`
    INSERT INTO cards (merchant_id, series_id, number, status)
    SELECT ${merchantId}::uuid, ${id}::uuid, ${series.prefix} || lpad(n::text, ${width}::int, '0'), 'issued'
    FROM generate_series(${series.from}::bigint, ${series.to}::bigint) AS n
  `.execute(db);
  return id;
}

/** The public view of a series. */
export function seriesView(row: SeriesRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    numberFrom: row.number_from,
    numberTo: row.number_to,
    kind: row.kind,
    cards: { issued: row.issued, active: row.active, blocked: row.blocked, replaced: row.replaced },
    createdAt: row.created_at.toISOString(),
  };
}
