// The programme (C2-C4) as XLSX: the card types, the rules matrix (categories as rows, for each
// card type a column per kind of value: accrual, what it accrues on, rounding, expiry, activation,
// payment with points, discount, and where the cell's rule comes from) and the happy hours. A cell shows the rule that
// applies: the category's own, else its nearest ancestor's, else the card type's default, as the
// engine resolves it.
import type { z } from 'zod';
import { happyHourSchema, ruleSchema } from '@loyalty/core/rules/snapshot.schema';
import { allCategories } from '#catalogue/categories.repository.ts';
import type { Db } from '#db/database.ts';
import { wallClock } from './merchant-time.ts';
import type { SheetColumn, SheetSource } from './xlsx-writer.ts';

const ruleBody = ruleSchema.omit({ id: true, cardTypeId: true, categoryId: true });
type RuleBody = z.output<typeof ruleBody>;
const happyHourBody = happyHourSchema.omit({ id: true });
type HappyHourBody = z.output<typeof happyHourBody>;

const number = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });
const percent = (basisPoints: number) => `${number.format(basisPoints / 100)} %`;
const roubles = (kopecks: number) => `${number.format(kopecks / 100)} ₽`;
const points = (hundredths: number) => number.format(hundredths / 100);

/** Accrual as a manager reads it ("2 %", "1 балл за каждые 10 ₽", progressive tiers). */
export function accrualText(accrual: RuleBody['accrual']): string {
  switch (accrual.kind) {
    case 'none':
      return 'нет';
    case 'percent':
      return percent(accrual.percent);
    case 'per_amount':
      return `${points(accrual.points)} балл. за каждые ${roubles(accrual.everyKopecks)}`;
    case 'progressive':
      return `прогрессивно: ${accrual.tiers
        .map((tier) => `от ${roubles(tier.fromReceiptAmount)} ${percent(tier.percent)}`)
        .join('; ')}`;
    default: {
      const never: never = accrual;
      return never;
    }
  }
}

const expiryText = (expiry: RuleBody['expiry']): string =>
  expiry.kind === 'never'
    ? 'не сгорают'
    : expiry.kind === 'days'
      ? `через ${expiry.days} дн.`
      : `в даты ${expiry.dates.join(', ')}`;

const activationText = (activation: RuleBody['activation']): string =>
  activation.kind === 'immediate' ? 'сразу' : `через ${activation.days} дн.`;

const paymentText = (payment: RuleBody['payment']): string =>
  payment.kind === 'forbidden'
    ? 'запрещена'
    : `до ${percent(payment.percent)}${payment.minPoints > 0 ? `, от ${points(payment.minPoints)} баллов` : ''}`;

const accrualBaseNames: Record<RuleBody['accrualBase'], string> = {
  paid: 'оплаченное деньгами',
  full: 'сумма после скидок с баллами',
};
const roundingNames: Record<RuleBody['rounding'], string> = {
  down_whole: 'вниз до целого',
  nearest_whole: 'до ближайшего целого',
  hundredth: 'без округления',
};

type CardTypeRow = { id: string; name: string; rank: number; threshold: number | null; issue: string };

function cardTypesOf(db: Db, merchantId: string): Promise<CardTypeRow[]> {
  return db
    .selectFrom('card_types')
    .select(['id', 'name', 'rank', 'threshold', 'issue'])
    .where('merchant_id', '=', merchantId)
    .where('archived_at', 'is', null)
    .orderBy('rank')
    .orderBy('id')
    .execute();
}

const issueNames: Record<string, string> = {
  default: 'при регистрации',
  threshold: 'по сумме покупок',
  manual: 'кассиром',
};

/** The card types in the programme page's order (by rank). */
export async function cardTypesSheet(db: Db, merchantId: string): Promise<SheetSource<CardTypeRow>> {
  const rows = await cardTypesOf(db, merchantId);
  return {
    name: 'Типы карт',
    columns: [
      { header: 'ID', width: 38, value: (c) => c.id },
      { header: 'Название', width: 24, value: (c) => c.name },
      { header: 'Ранг', format: 'integer', value: (c) => c.rank },
      { header: 'Как выдаётся', width: 20, value: (c) => issueNames[c.issue] ?? c.issue },
      {
        header: 'Порог суммы покупок, ₽',
        width: 22,
        format: 'money',
        value: (c) => (c.threshold === null ? null : c.threshold / 100),
      },
    ],
    pages: [rows].values(),
  };
}

type MatrixRow = { categoryId: string | null; path: string; ancestors: Array<string | null> };

/**
 * The rules matrix: "Все категории" (each card type's default) and then every category of the
 * tree in tree order, named by its path.
 */
export async function rulesMatrixSheet(db: Db, merchantId: string): Promise<SheetSource<MatrixRow>> {
  const [cardTypes, categories, stored] = await Promise.all([
    cardTypesOf(db, merchantId),
    allCategories(db, merchantId),
    db
      .selectFrom('programme_rules')
      .select(['card_type_id', 'category_id', 'body'])
      .where('merchant_id', '=', merchantId)
      .execute(),
  ]);
  const rules = new Map(
    stored.map((r) => [`${r.card_type_id}:${r.category_id ?? ''}`, ruleBody.parse(r.body)]),
  );
  const names = new Map(categories.map((c) => [c.id, c.name]));
  const children = new Map<string | null, typeof categories>();
  for (const c of categories) children.set(c.parent_id, [...(children.get(c.parent_id) ?? []), c]);
  const rows: MatrixRow[] = [{ categoryId: null, path: 'Все категории', ancestors: [null] }];
  const walk = (parent: string | null, prefix: string, chain: string[]) => {
    for (const c of children.get(parent) ?? []) {
      const path = prefix ? `${prefix} / ${c.name}` : c.name;
      // Nearest first: the category, its ancestors, then the default.
      const own = [c.id, ...chain];
      rows.push({ categoryId: c.id, path, ancestors: [...own, null] });
      walk(c.id, path, own);
    }
  };
  walk(null, '', []);
  /** The rule in force for the card type in the row, and the category it comes from. */
  const resolve = (cardTypeId: string, row: MatrixRow) => {
    for (const categoryId of row.ancestors) {
      const rule = rules.get(`${cardTypeId}:${categoryId ?? ''}`);
      if (rule) return { rule, from: categoryId };
    }
    return null;
  };
  const columns: Array<SheetColumn<MatrixRow>> = [{ header: 'Категория', width: 40, value: (r) => r.path }];
  for (const type of cardTypes) {
    const value = (pick: (rule: RuleBody) => string | number) => (row: MatrixRow) => {
      const found = resolve(type.id, row);
      return found ? pick(found.rule) : null;
    };
    columns.push(
      { header: `${type.name}: начисление`, width: 26, value: value((r) => accrualText(r.accrual)) },
      {
        header: `${type.name}: начисляется на`,
        width: 24,
        value: value((r) => accrualBaseNames[r.accrualBase]),
      },
      { header: `${type.name}: округление`, width: 20, value: value((r) => roundingNames[r.rounding]) },
      { header: `${type.name}: сгорание`, width: 18, value: value((r) => expiryText(r.expiry)) },
      { header: `${type.name}: активация`, width: 14, value: value((r) => activationText(r.activation)) },
      { header: `${type.name}: оплата баллами`, width: 22, value: value((r) => paymentText(r.payment)) },
      { header: `${type.name}: скидка, %`, width: 14, value: value((r) => r.discountPercent / 100) },
      {
        header: `${type.name}: правило`,
        width: 24,
        value: (row) => {
          const found = resolve(type.id, row);
          if (!found) return null;
          if (found.from === row.categoryId) return 'своё';
          return found.from === null ? 'по умолчанию' : `как у «${names.get(found.from) ?? found.from}»`;
        },
      },
    );
  }
  return { name: 'Правила', columns, pages: [rows].values() };
}

const weekdays = ['', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'];

/** The happy hours in the programme page's order, names instead of ids. */
export async function happyHoursSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
): Promise<SheetSource<HappyHourBody>> {
  const [stored, cardTypes, categories, stores] = await Promise.all([
    db
      .selectFrom('happy_hours')
      .select('body')
      .where('merchant_id', '=', merchantId)
      .orderBy('position')
      .execute(),
    cardTypesOf(db, merchantId),
    allCategories(db, merchantId),
    db.selectFrom('stores').select(['id', 'name']).where('merchant_id', '=', merchantId).execute(),
  ]);
  const named = (list: ReadonlyArray<{ id: string; name: string }>) => {
    const byId = new Map(list.map((x) => [x.id, x.name]));
    return (ids: readonly string[]) =>
      ids.length === 0 ? 'все' : ids.map((id) => byId.get(id) ?? id).join(', ');
  };
  const [cardTypeNames, categoryNames, storeNames] = [named(cardTypes), named(categories), named(stores)];
  const at = (instant: number | null) => (instant === null ? null : wallClock(new Date(instant), timeZone));
  return {
    name: 'Счастливые часы',
    columns: [
      { header: 'Название', width: 24, value: (h) => h.name },
      { header: 'Дни', width: 20, value: (h) => h.days.map((d) => weekdays[d]).join(', ') },
      { header: 'Часы', width: 20, value: (h) => h.windows.map((w) => `${w.from}–${w.to}`).join(', ') },
      { header: 'С', width: 18, format: 'datetime', value: (h) => at(h.from) },
      { header: 'По', width: 18, format: 'datetime', value: (h) => at(h.to) },
      { header: 'Типы карт', width: 24, value: (h) => cardTypeNames(h.cardTypeIds) },
      { header: 'Категории', width: 30, value: (h) => categoryNames(h.categoryIds) },
      { header: 'Магазины', width: 30, value: (h) => storeNames(h.storeIds) },
      {
        header: 'Начисление',
        width: 24,
        value: (h) => (h.accrual ? accrualText(h.accrual) : 'как в правиле'),
      },
      {
        header: 'Скидка, %',
        value: (h) => (h.discountPercent === null ? null : h.discountPercent / 100),
      },
    ],
    pages: [stored.map((h) => happyHourBody.parse(h.body))].values(),
  };
}
