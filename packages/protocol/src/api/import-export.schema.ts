// Import from CSV/XLSX and export to XLSX (B5). An import is all or nothing: every row is checked
// with the rules of the single-item API, and one bad row rejects the file with a report per cell.
// The column tables below are the contract for file authors: a header matches a column when it
// equals the title or an alias, ignoring case, spaces and punctuation ("e-mail" = "E-mail" = "email").
import { z } from 'zod';
import { auditListQuerySchema } from '#api/audit.schema.ts';
import { buyerListQuerySchema } from '#api/buyers.schema.ts';
import { cardListQuerySchema } from '#api/cards.schema.ts';
import { cashierListQuerySchema } from '#api/cashiers.schema.ts';
import { productListQuerySchema } from '#api/catalogue.schema.ts';
import { errorSchema, listParam } from '#api/common.schema.ts';
import {
  couponCodeListQuerySchema,
  couponSeriesListQuerySchema,
  promotionListQuerySchema,
} from '#api/programme.schema.ts';
import { storeListQuerySchema } from '#api/stores.schema.ts';
import { terminalListQuerySchema } from '#sync/terminals.schema.ts';

/** What a file can bring in. */
export const importKindSchema = z.enum(['buyers', 'cards', 'products', 'balances']);
export type ImportKind = z.infer<typeof importKindSchema>;

/** The lists that export to XLSX. */
export const exportKindSchema = z.enum(['buyers', 'products', 'cards', 'receipts', 'ledger']);
export type ExportKind = z.infer<typeof exportKindSchema>;

/** The biggest upload an import reads. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** The most data rows (after the header) an import takes in one file. */
export const MAX_IMPORT_ROWS = 100_000;

/** One column an import reads. */
export type ImportColumn = {
  /** The field the column fills. */
  readonly field: string;
  /** The Russian header, used in error reports. */
  readonly title: string;
  /** Other accepted headers, Russian and English. */
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** What the cells hold. */
  readonly note: string;
};

const YES_NO = 'да/нет (также yes/no, 1/0)';
const DATE = 'дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ (или ячейка-дата в XLSX)';

/** Every column per kind, in the order a template lists them. */
export const importColumns = {
  buyers: [
    {
      field: 'phone',
      title: 'Телефон',
      aliases: ['Мобильный телефон', 'Номер телефона', 'phone', 'mobile'],
      required: false,
      note: 'мобильный номер в любой записи (+7 912 345-67-89, 89123456789); нужен телефон или номер карты',
    },
    {
      field: 'cardNumber',
      title: 'Номер карты',
      aliases: ['Карта', 'cardNumber', 'card'],
      required: false,
      note: 'выпущенная свободная карта, которая будет выдана покупателю',
    },
    { field: 'lastName', title: 'Фамилия', aliases: ['lastName', 'surname'], required: false, note: 'текст' },
    { field: 'firstName', title: 'Имя', aliases: ['firstName'], required: false, note: 'текст' },
    {
      field: 'middleName',
      title: 'Отчество',
      aliases: ['middleName', 'patronymic'],
      required: false,
      note: 'текст',
    },
    {
      field: 'gender',
      title: 'Пол',
      aliases: ['gender', 'sex'],
      required: false,
      note: 'м/ж (также муж/жен, male/female)',
    },
    {
      field: 'birthDate',
      title: 'Дата рождения',
      aliases: ['birthDate', 'birthday'],
      required: false,
      note: DATE,
    },
    {
      field: 'email',
      title: 'E-mail',
      aliases: ['Эл. почта', 'Электронная почта', 'Почта', 'email'],
      required: false,
      note: 'адрес электронной почты',
    },
    {
      field: 'tags',
      title: 'Теги',
      aliases: ['Метки', 'tags'],
      required: false,
      note: 'через запятую',
    },
    {
      field: 'smsConsent',
      title: 'Согласие на SMS',
      aliases: ['Согласие на СМС', 'smsConsent'],
      required: false,
      note: YES_NO,
    },
    {
      field: 'advertisingConsent',
      title: 'Согласие на рекламу',
      aliases: ['advertisingConsent'],
      required: false,
      note: YES_NO,
    },
    {
      field: 'emailConsent',
      title: 'Согласие на e-mail',
      aliases: ['Согласие на email', 'Согласие на письма', 'emailConsent'],
      required: false,
      note: YES_NO,
    },
    {
      field: 'messengerConsent',
      title: 'Согласие на мессенджеры',
      aliases: ['messengerConsent'],
      required: false,
      note: YES_NO,
    },
    {
      field: 'consentTextVersion',
      title: 'Версия текста согласия',
      aliases: ['Версия согласия', 'consentTextVersion'],
      required: false,
      note: 'обязательна, если хоть одно согласие «да»',
    },
    {
      field: 'consentDate',
      title: 'Дата согласия',
      aliases: ['consentDate'],
      required: false,
      note: `${DATE}; без неё — время импорта`,
    },
  ],
  cards: [
    {
      field: 'number',
      title: 'Номер карты',
      aliases: ['Номер', 'Карта', 'number', 'cardNumber'],
      required: true,
      note: 'номер из выпущенной серии карт',
    },
    {
      field: 'buyerPhone',
      title: 'Телефон покупателя',
      aliases: ['Телефон', 'buyerPhone', 'phone'],
      required: false,
      note: 'покупатель, которому выдать карту',
    },
    {
      field: 'status',
      title: 'Статус',
      aliases: ['status'],
      required: false,
      note: 'активна (по умолчанию), не выдана, заблокирована (также active, issued, blocked)',
    },
    {
      field: 'blockReason',
      title: 'Причина блокировки',
      aliases: ['blockReason'],
      required: false,
      note: 'обязательна для заблокированной карты',
    },
  ],
  products: [
    {
      field: 'sku',
      title: 'Артикул',
      aliases: ['Код', 'sku', 'article'],
      required: true,
      note: 'уникальный',
    },
    {
      field: 'name',
      title: 'Название',
      aliases: ['Наименование', 'Товар', 'name', 'title'],
      required: true,
      note: 'текст',
    },
    {
      field: 'price',
      title: 'Цена',
      aliases: ['Цена, руб.', 'Цена, руб', 'price'],
      required: true,
      note: 'в рублях, до копеек: 199,90',
    },
    {
      field: 'minPrice',
      title: 'Мин. цена',
      aliases: ['Минимальная цена', 'Мин. цена, руб.', 'minPrice'],
      required: false,
      note: 'в рублях, не больше цены; по умолчанию 0',
    },
    {
      field: 'barcodes',
      title: 'Штрихкоды',
      aliases: ['Штрихкод', 'ШК', 'barcodes', 'barcode'],
      required: false,
      note: 'через запятую или пробел',
    },
    {
      field: 'category',
      title: 'Категория',
      aliases: ['Группа', 'category'],
      required: false,
      note: 'название существующей категории (или её id)',
    },
    {
      field: 'unit',
      title: 'Ед. изм.',
      aliases: ['Единица измерения', 'Единица', 'unit'],
      required: false,
      note: 'шт (по умолчанию) или кг',
    },
    { field: 'noDiscount', title: 'Без скидки', aliases: ['noDiscount'], required: false, note: YES_NO },
    {
      field: 'noAccrual',
      title: 'Без начисления',
      aliases: ['Без начисления баллов', 'noAccrual'],
      required: false,
      note: YES_NO,
    },
    {
      field: 'noPointsPayment',
      title: 'Без оплаты баллами',
      aliases: ['noPointsPayment'],
      required: false,
      note: YES_NO,
    },
  ],
  balances: [
    {
      field: 'phone',
      title: 'Телефон',
      aliases: ['Телефон покупателя', 'phone'],
      required: false,
      note: 'покупатель по телефону; нужен телефон или номер карты',
    },
    {
      field: 'cardNumber',
      title: 'Номер карты',
      aliases: ['Карта', 'cardNumber', 'card'],
      required: false,
      note: 'покупатель по карте',
    },
    {
      field: 'points',
      title: 'Баллы',
      aliases: ['Баланс', 'Сумма баллов', 'points', 'balance'],
      required: true,
      note: 'больше нуля, до сотых: 150,50',
    },
    {
      field: 'expiresOn',
      title: 'Сгорают',
      aliases: ['Действуют до', 'Дата сгорания', 'expiresOn', 'expiryDate'],
      required: false,
      note: `${DATE}: последний день действия; без неё баллы не сгорают`,
    },
  ],
} as const satisfies Record<ImportKind, readonly ImportColumn[]>;

/** One line per column, for the OpenAPI description and the cabinet's hint. */
export function describeImportColumns(kind: ImportKind): string {
  const lines = importColumns[kind].map(
    (c: ImportColumn) =>
      `- **${c.title}**${c.required ? ' (обязательно)' : ''}: ${c.note}. Также: ${c.aliases.join(', ')}`,
  );
  const extra =
    kind === 'buyers'
      ? ['- Поля анкеты: заголовок — ключ поля или его название; значение по типу поля.']
      : [];
  return [...lines, ...extra].join('\n');
}

/** The columns mapped by hand: the field of each column of the file, in order; null skips it. */
export const importMappingSchema = z.array(z.string().min(1).max(100).nullable()).min(1).max(1000);

/**
 * `?dryRun=true` checks every row and writes nothing. `columns` maps the file's columns by hand
 * (JSON of `importMappingSchema`, e.g. `["phone", null, "lastName"]`) instead of by their headers.
 */
export const importQuerySchema = z.object({
  dryRun: z.enum(['true', 'false']).default('false'),
  columns: z.string().max(20_000).optional(),
});

/** How many data rows the preview shows. */
export const IMPORT_PREVIEW_ROWS = 5;

/** A file read but not imported: its headers, first rows, the kind's fields and the automatic mapping. */
export const importPreviewSchema = z
  .object({
    format: z.enum(['csv', 'xlsx']),
    headers: z.array(z.string()),
    /** The first data rows, cells in the headers' order. */
    sample: z.array(z.array(z.string())),
    rows: z.number().int(),
    /** Every field the kind reads (questionnaire fields of the buyers import included). */
    fields: z.array(
      z.object({ field: z.string(), title: z.string(), required: z.boolean(), aliases: z.array(z.string()) }),
    ),
    /** The field each column maps to by its header, null when none. */
    mapping: z.array(z.string().nullable()),
  })
  .meta({ id: 'ImportPreview' });

/** A file imported (or, in a dry run, found importable) in full. */
export const importResultSchema = z
  .object({
    /** Rows written; 0 in a dry run. */
    imported: z.number().int(),
    /** Data rows in the file (blank rows not counted). */
    rows: z.number().int(),
    dryRun: z.boolean(),
  })
  .meta({ id: 'ImportResult' });

/** One problem with one row; `column` is the header as written in the file, null for the whole row. */
export const importErrorSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

/** `details` of the 422 `import_rejected` answer: nothing was written. */
export const importRejectedDetailsSchema = z.object({
  /** The first problems (all of them are in the report). */
  errors: z.array(importErrorSchema),
  errorCount: z.number().int(),
  /** GET /api/v1/imports/reports/{reportId} downloads every problem as XLSX. */
  reportId: z.uuid(),
});

/** The 422 body. */
export const importRejectedSchema = errorSchema
  .extend({ code: z.literal('import_rejected'), details: importRejectedDetailsSchema })
  .meta({ id: 'ImportRejected' });

const noPaging = { page: true, pageSize: true } as const;

/** The buyer list filters and sort (GET /buyers) without paging. */
export const buyersExportQuerySchema = buyerListQuerySchema.omit(noPaging);
/** The product list filters and sort (GET /products) without paging. */
export const productsExportQuerySchema = productListQuerySchema.omit(noPaging);
/** The card list filters (GET /cards) without paging. */
export const cardsExportQuerySchema = cardListQuerySchema.omit(noPaging);

const dateParam = z.iso.date('Дата в формате ГГГГ-ММ-ДД').optional();

/** Receipts by the merchant's calendar days (both ends included), store, buyer and cashier. */
export const receiptsExportQuerySchema = z.object({
  dateFrom: dateParam,
  dateTo: dateParam,
  storeId: z.uuid().optional(),
  buyerId: z.uuid().optional(),
  /** Receipts of these cashiers, as `GET /receipts` and the sales log take them. */
  cashierId: listParam(z.uuid()),
});

/** Point movements by the merchant's calendar days, buyer and kind of entry. */
export const ledgerExportQuerySchema = z.object({
  dateFrom: dateParam,
  dateTo: dateParam,
  buyerId: z.uuid().optional(),
  kind: z
    .string()
    .regex(/^[a-z_]{1,50}$/)
    .optional(),
});

/** The codes of one coupon series with the codes table's filters (GET /coupon-series/{id}/codes). */
export const couponCodesExportQuerySchema = couponCodeListQuerySchema
  .omit(noPaging)
  .extend({ seriesId: z.uuid() });

/** The promotion list filters (GET /promotions) without paging. */
export const promotionsExportQuerySchema = promotionListQuerySchema.omit(noPaging);
/** The coupon series list filters (GET /coupon-series) without paging. */
export const couponSeriesExportQuerySchema = couponSeriesListQuerySchema.omit(noPaging);

/** The redemptions of one coupon series (GET /coupon-series/{id}/redemptions). */
export const couponRedemptionsExportQuerySchema = z.object({ seriesId: z.uuid() });

/** The store list filters and sort (GET /stores) without paging. */
export const storesExportQuerySchema = storeListQuerySchema.omit(noPaging);
/** The cashier list filters and sort (GET /cashiers) without paging. */
export const cashiersExportQuerySchema = cashierListQuerySchema.omit(noPaging);
/** The terminal list filters and sort (GET /terminals) without paging. */
export const terminalsExportQuerySchema = terminalListQuerySchema.omit(noPaging);

/** Lists without filters (the programme's card types, rules matrix and happy hours). */
export const unfilteredExportQuerySchema = z.object({});

/** The audit log filters (GET /audit-log) without paging. */
export const auditExportQuerySchema = auditListQuerySchema.omit(noPaging);

/** The personal coupon codes of one buyer (GET /buyers/{id}/coupons). */
export const buyerCouponsExportQuerySchema = z.object({ buyerId: z.uuid() });

/** The points lots of one buyer (GET /buyers/{id}/lots). */
export const lotsExportQuerySchema = z.object({ buyerId: z.uuid() });

/** The MIME type of every export and report. */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
