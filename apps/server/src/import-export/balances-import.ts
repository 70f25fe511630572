// Opening balances from the previous loyalty system (B5, C12). Each row becomes a lot credited
// through the ledger like a manual accrual, with source 'import' and an 'opening_balance'
// entry, so the ledger invariant holds and the points burn on the date the old system said.
// A buyer who already got an opening balance is refused: a file uploaded twice must not double
// everybody's points. Several rows for one buyer are several lots (different expiry dates).
import { randomUUID } from 'node:crypto';
import { cardReplaceSchema } from '@loyalty/protocol/api/cards.schema';
import { manualPointsSchema } from '@loyalty/protocol/api/purchases.schema';
import { Permission } from '#auth/permissions.ts';
import { merchantClock } from '#buyers/buyers.repository.ts';
import { normalizePhone } from '@loyalty/core/phones/phone-number';
import { conflict } from '#http/api-error.ts';
import { creditLots, lockBuyer } from '#ledger/ledger.service.ts';
import { parseDate, parseHundredths } from './cell-values.ts';
import { buyerIdsByPhone, buyersWithOpeningBalance, cardsByNumber } from './import-batches.repository.ts';
import { localMidnight } from './merchant-time.ts';
import { reportIssues, rowCells, type Importer, type RowCells, type RowError } from './importer.ts';

/** The ledger entry kind of an opening balance; the lot's source is 'import'. */
export const OPENING_BALANCE = 'opening_balance';
const REASON = 'Начальный баланс (импорт)';

const cardNumberSchema = cardReplaceSchema.shape.newNumber;
const pointsSchema = manualPointsSchema.shape.points;

type Clock = { today: string; timeZone: string };
type BalanceLine = {
  cells: RowCells;
  phone: string | null;
  cardNumber: string | null;
  points: number;
  expiresAt: Date | null;
  buyerId: string | null;
};

function readLine(cells: RowCells, clock: Clock): BalanceLine {
  let phone: string | null = null;
  if (cells.value('phone') !== '') {
    const normal = normalizePhone(cells.value('phone'));
    if (normal.ok) phone = normal.value;
    else cells.fail('phone', normal.error.code, normal.error.message);
  }
  let cardNumber: string | null = null;
  if (cells.value('cardNumber') !== '') {
    const parsed = cardNumberSchema.safeParse(cells.value('cardNumber'));
    if (parsed.success) cardNumber = parsed.data;
    else reportIssues(cells, parsed.error.issues, () => 'cardNumber');
  }
  if (cells.value('phone') === '' && cells.value('cardNumber') === '')
    cells.fail(null, 'identifier_required', 'Укажите телефон или номер карты покупателя');

  let points = 0;
  if (cells.value('points') === '') cells.fail('points', 'required', 'Укажите количество баллов');
  else {
    const amount = parseHundredths(cells.value('points'));
    const valid = amount.ok ? pointsSchema.safeParse(amount.value) : undefined;
    if (!amount.ok) cells.fail('points', amount.error.code, amount.error.message);
    else if (valid && !valid.success) reportIssues(cells, valid.error.issues, () => 'points');
    else points = amount.value;
  }

  let expiresAt: Date | null = null;
  if (cells.value('expiresOn') !== '') {
    const date = parseDate(cells.value('expiresOn'));
    if (!date.ok) cells.fail('expiresOn', date.error.code, date.error.message);
    else if (date.value < clock.today) cells.fail('expiresOn', 'expiry_in_past', 'Дата сгорания уже прошла');
    // Valid through the whole last day: the lot burns at the next local midnight.
    else expiresAt = localMidnight(date.value, clock.timeZone, 1);
  }
  return { cells, phone, cardNumber, points, expiresAt, buyerId: null };
}

/** Opening balances: POST /imports/balances. */
export const balancesImporter: Importer = {
  permissions: [Permission.buyersWrite, Permission.pointsManual],
  lockScopes: ['import:balances'],
  columnRules: () => Promise.resolve({ extra: [], required: [] }),

  async check(trx, actor, rows, columns, now) {
    const merchantId = actor.merchantId;
    const clock = await merchantClock(trx, merchantId, now);
    const errors: RowError[] = [];
    const lines = rows.map((row) => readLine(rowCells(row, columns, errors), clock));
    const byPhone = await buyerIdsByPhone(
      trx,
      merchantId,
      lines.flatMap((l) => (l.phone ? [l.phone] : [])),
    );
    const cards = await cardsByNumber(
      trx,
      merchantId,
      lines.flatMap((l) => (l.cardNumber ? [l.cardNumber] : [])),
    );

    for (const line of lines) {
      const { cells } = line;
      const phoneBuyer = line.phone ? byPhone.get(line.phone) : undefined;
      if (line.phone && !phoneBuyer)
        cells.fail('phone', 'buyer_not_found', 'Покупатель с таким телефоном не найден');
      let cardBuyer: string | undefined;
      if (line.cardNumber) {
        const card = cards.get(line.cardNumber);
        if (!card) cells.fail('cardNumber', 'card_not_found', 'Карта с таким номером не найдена');
        else if (card.status === 'replaced')
          cells.fail('cardNumber', 'card_replaced', 'Карта заменена: укажите номер новой карты');
        else if (card.buyer_id === null || card.buyer_erased)
          cells.fail('cardNumber', 'card_without_buyer', 'Карта не выдана покупателю');
        else cardBuyer = card.buyer_id;
      }
      if (phoneBuyer && cardBuyer && phoneBuyer !== cardBuyer)
        cells.fail(null, 'buyer_mismatch', 'Телефон и карта принадлежат разным покупателям');
      line.buyerId = phoneBuyer ?? cardBuyer ?? null;
    }
    const credited = await buyersWithOpeningBalance(
      trx,
      merchantId,
      lines.flatMap((l) => (l.buyerId ? [l.buyerId] : [])),
    );
    for (const line of lines)
      if (line.buyerId && credited.has(line.buyerId))
        line.cells.fail(
          null,
          'opening_balance_exists',
          'У покупателя уже есть начальный баланс: этот файл, вероятно, уже загружали',
        );

    return {
      errors,
      write: async (db) => {
        // Buyers are locked in id order, as the purchase flow locks referrers, so no deadlock.
        const ordered = [...lines].sort((a, b) => (a.buyerId ?? '').localeCompare(b.buyerId ?? ''));
        for (const line of ordered) {
          if (!line.buyerId) throw new Error(`row ${line.cells.row} passed the check without a buyer`);
          const buyer = await lockBuyer(db, merchantId, line.buyerId);
          if (!buyer || buyer.erased_at)
            throw conflict('Покупателя из файла только что удалили: загрузите файл снова');
          await creditLots(
            db,
            {
              merchantId,
              buyerId: line.buyerId,
              operationId: randomUUID(),
              now,
              reason: REASON,
              actorType: actor.kind,
              actorId: actor.id,
            },
            OPENING_BALANCE,
            [{ source: 'import', points: line.points, activatesAt: now, expiresAt: line.expiresAt }],
          );
        }
        return lines.length;
      },
    };
  },
};
