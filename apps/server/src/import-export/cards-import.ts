// Cards from a file (B5, C9): who holds which card and in what state, for cards already issued
// in a series. Numbers come from series ranges, so a number outside every range is refused:
// print runs are issued in the settings first. Each row is what the card routes would do:
// attach to a buyer, activate an anonymous card, block with a reason.
import { cardBlockSchema, cardReplaceSchema } from '@loyalty/protocol/api/cards.schema';
import { Permission } from '#auth/permissions.ts';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import { activateCard, attachCard, blockCard } from '#cards/cards.repository.ts';
import { conflict } from '#http/api-error.ts';
import { buyerIdsByPhone, cardsByNumber } from './import-batches.repository.ts';
import { headerKey } from './import-columns.ts';
import {
  flagRepeats,
  reportIssues,
  rowCells,
  type Importer,
  type RowCells,
  type RowError,
} from './importer.ts';

type Target = 'issued' | 'active' | 'blocked';

const statusWords: Record<string, Target> = {
  активна: 'active',
  активная: 'active',
  active: 'active',
  выдана: 'active',
  невыдана: 'issued',
  выпущена: 'issued',
  issued: 'issued',
  заблокирована: 'blocked',
  блокирована: 'blocked',
  blocked: 'blocked',
};

/** The same number rule as the card routes. */
const cardNumberSchema = cardReplaceSchema.shape.newNumber;
const blockReasonSchema = cardBlockSchema.shape.reason;

type CardLine = {
  cells: RowCells;
  number: string | null;
  phone: string | null;
  status: Target;
  reason: string | null;
};

function readLine(cells: RowCells): CardLine {
  const raw = cells.value('number');
  const number = cardNumberSchema.safeParse(raw);
  if (!number.success) reportIssues(cells, number.error.issues, () => 'number');

  let phone: string | null = null;
  if (cells.value('buyerPhone') !== '') {
    const normal = normalizePhone(cells.value('buyerPhone'));
    if (normal.ok) phone = normal.value;
    else cells.fail('buyerPhone', normal.error.code, normal.error.message);
  }

  // Without a status, a reason means "blocked" and anything else "in use".
  let status: Target = cells.value('blockReason') === '' ? 'active' : 'blocked';
  if (cells.value('status') !== '') {
    const found = statusWords[headerKey(cells.value('status'))];
    if (found) status = found;
    else cells.fail('status', 'invalid_status', 'Статус: «активна», «не выдана» или «заблокирована»');
  }

  let reason: string | null = null;
  const rawReason = cells.value('blockReason');
  if (status === 'blocked') {
    const parsed = blockReasonSchema.safeParse(rawReason);
    if (parsed.success) reason = parsed.data;
    else reportIssues(cells, parsed.error.issues, () => 'blockReason');
  } else if (rawReason !== '')
    cells.fail(
      'blockReason',
      'unexpected_block_reason',
      'Причина блокировки указана, а статус карты не «заблокирована»',
    );

  return { cells, number: number.success ? number.data : null, phone, status, reason };
}

/** Cards: POST /imports/cards. */
export const cardsImporter: Importer = {
  permissions: [Permission.buyersWrite],
  lockScopes: ['import:cards'],
  columnRules: () => Promise.resolve({ extra: [], required: [] }),

  async check(trx, actor, rows, columns) {
    const merchantId = actor.merchantId;
    const errors: RowError[] = [];
    const lines = rows.map((row) => readLine(rowCells(row, columns, errors)));
    flagRepeats(
      lines.map((l) => ({ cells: l.cells, key: l.number })),
      'number',
      'Эта карта',
    );
    const cards = await cardsByNumber(
      trx,
      merchantId,
      lines.flatMap((l) => (l.number ? [l.number] : [])),
    );
    const buyers = await buyerIdsByPhone(
      trx,
      merchantId,
      lines.flatMap((l) => (l.phone ? [l.phone] : [])),
    );

    const changes: Array<{ cardId: string; buyerId: string | null; status: Target; reason: string | null }> =
      [];
    for (const line of lines) {
      const { cells } = line;
      const buyerId = line.phone ? buyers.get(line.phone) : undefined;
      if (line.phone && !buyerId)
        cells.fail('buyerPhone', 'buyer_not_found', 'Покупатель с таким телефоном не найден');
      const card = line.number === null ? undefined : cards.get(line.number);
      if (line.number !== null && !card)
        cells.fail(
          'number',
          'card_not_in_series',
          'Номер не входит ни в одну выпущенную серию карт: сначала выпустите серию с этим диапазоном',
        );
      if (!card) continue;
      if (card.status === 'blocked' || card.status === 'replaced')
        cells.fail('number', 'card_taken', 'Карта уже заблокирована или заменена');
      else if (line.phone && card.buyer_id !== null)
        cells.fail('number', 'card_taken', 'Карта уже выдана покупателю');
      else if (line.status === 'issued' && (line.phone || card.status !== 'issued'))
        cells.fail(
          'status',
          'status_conflict',
          'Статус «не выдана» — только у свободной карты без покупателя',
        );
      else if (line.status === 'active' && !line.phone) {
        if (card.status !== 'issued') cells.fail('number', 'card_taken', 'Карта уже активна');
        else if (card.series_kind !== 'anonymous')
          cells.fail(
            'buyerPhone',
            'personal_card_needs_buyer',
            'Именную карту активирует выдача покупателю: укажите телефон',
          );
      }
      changes.push({ cardId: card.id, buyerId: buyerId ?? null, status: line.status, reason: line.reason });
    }

    return {
      errors,
      write: async (db) => {
        // The checks ran under the import lock; a false here is a till acting on the card meanwhile.
        const changed = () => conflict('Карту из файла только что изменили: загрузите файл снова');
        for (const change of changes) {
          if (change.buyerId && !(await attachCard(db, merchantId, change.cardId, change.buyerId)))
            throw changed();
          if (
            change.status === 'active' &&
            !change.buyerId &&
            !(await activateCard(db, merchantId, change.cardId))
          )
            throw changed();
          if (
            change.status === 'blocked' &&
            !(await blockCard(db, merchantId, change.cardId, change.reason ?? ''))
          )
            throw changed();
        }
        return lines.length;
      },
    };
  },
};
