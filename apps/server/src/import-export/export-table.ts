// The lists that export to XLSX (B5), one row each: the route's list name, the permission and
// filters of the JSON list it mirrors, and the sheet that reads the same rows in the same order.
import {
  auditExportQuerySchema,
  buyerCouponsExportQuerySchema,
  buyersExportQuerySchema,
  cardsExportQuerySchema,
  cashiersExportQuerySchema,
  couponCodesExportQuerySchema,
  couponRedemptionsExportQuerySchema,
  couponSeriesExportQuerySchema,
  ledgerExportQuerySchema,
  lotsExportQuerySchema,
  productsExportQuerySchema,
  promotionsExportQuerySchema,
  receiptsExportQuerySchema,
  storesExportQuerySchema,
  terminalsExportQuerySchema,
  unfilteredExportQuerySchema,
} from '@loyalty/protocol/api/import-export.schema';
import { can } from '#auth/actor.ts';
import { Permission } from '#auth/permissions.ts';
import { seriesView } from '#promotions/coupon-series.repository.ts';
import { buyerCouponsSheet } from './buyer-coupons-export.ts';
import { buyersSheet } from './buyers-export.ts';
import { cardsSheet } from './cards-export.ts';
import { couponCodesSheet } from './coupon-codes-export.ts';
import { couponRedemptionsSheet } from './coupon-redemptions-export.ts';
import { defineExport, type ExportRoute } from './export-route.ts';
import { ledgerSheet } from './ledger-export.ts';
import { lotsSheet } from './lots-export.ts';
import { productsSheet } from './products-export.ts';
import { cardTypesSheet, happyHoursSheet, rulesMatrixSheet } from './programme-export.ts';
import { couponSeriesSheet, promotionsSheet } from './promotions-export.ts';
import { receiptsSheet } from './receipts-export.ts';
import { cashiersSheet, storesSheet, terminalsSheet } from './stores-export.ts';
import { apiKeysSheet, auditSheet, questionnaireFieldsSheet, usersSheet } from './users-export.ts';

/** Every export route. */
export const exportTable: readonly ExportRoute[] = [
  defineExport({
    list: 'buyers',
    summary: 'База покупателей в Excel: те же фильтры и сортировка, что у списка покупателей',
    querystring: buyersExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => buyersSheet(trx, c.query, c),
  }),
  defineExport({
    list: 'products',
    summary: 'Товары в Excel: те же фильтры и сортировка, что у списка товаров',
    querystring: productsExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => productsSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'cards',
    summary: 'Карты в Excel: те же фильтры, что у списка карт',
    querystring: cardsExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => cardsSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'receipts',
    summary: 'Чеки в Excel: по дням (часовой пояс компании), магазину, покупателю, кассирам; с кассиром',
    querystring: receiptsExportQuerySchema,
    permission: Permission.salesRead,
    sheet: (trx, c) => receiptsSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'ledger',
    summary: 'Движение баллов в Excel: по дням (часовой пояс компании), покупателю, виду операции',
    querystring: ledgerExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => ledgerSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'coupon-codes',
    summary: 'Коды серии купонов в Excel: те же отборы, что у списка кодов серии',
    querystring: couponCodesExportQuerySchema,
    permission: Permission.settingsRead,
    check: async (db, c) => (await seriesView(db, c.merchantId, c.query.seriesId)).id.slice(0, 8),
    sheet: (trx, c) => couponCodesSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'coupon-redemptions',
    summary: 'Использования кодов серии купонов в Excel: чек, магазин, покупатель, когда',
    querystring: couponRedemptionsExportQuerySchema,
    permission: Permission.settingsRead,
    check: async (db, c) => (await seriesView(db, c.merchantId, c.query.seriesId)).id.slice(0, 8),
    // The buyer's name and phone only for those who may read buyers, as in the list.
    sheet: (trx, c) =>
      couponRedemptionsSheet(
        trx,
        c.merchantId,
        c.timeZone,
        c.query.seriesId,
        can(c.actor, Permission.buyersRead),
      ),
  }),
  defineExport({
    list: 'promotions',
    summary: 'Акции в Excel: те же отборы (состояние, название) и порядок, что у списка акций',
    querystring: promotionsExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => promotionsSheet(trx, c.merchantId, c.timeZone, c.query, c.now),
  }),
  defineExport({
    list: 'coupon-series',
    summary: 'Серии купонов в Excel: те же отборы и порядок, что у списка серий',
    querystring: couponSeriesExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => couponSeriesSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'stores',
    summary: 'Магазины в Excel: те же отборы (поиск, город, формат, состояние) и сортировка, что у списка',
    querystring: storesExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => storesSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'cashiers',
    summary: 'Кассиры в Excel (без кодов доступа): те же отборы и сортировка, что у списка кассиров',
    querystring: cashiersExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => cashiersSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'terminals',
    summary: 'Терминалы в Excel: синхронизация, очередь, ошибки, чеки сверх баланса; без кодов подключения',
    querystring: terminalsExportQuerySchema,
    permission: Permission.terminalsRead,
    sheet: (trx, c) => terminalsSheet(trx, c.merchantId, c.timeZone, c.query, c.now),
  }),
  defineExport({
    list: 'card-types',
    summary: 'Типы карт в Excel: ранг, как выдаётся, порог суммы покупок',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => cardTypesSheet(trx, c.merchantId),
  }),
  defineExport({
    list: 'rules',
    summary:
      'Матрица правил в Excel: категории строками, по каждому типу карт начисление, сгорание, активация, оплата баллами, скидка и откуда правило',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => rulesMatrixSheet(trx, c.merchantId),
  }),
  defineExport({
    list: 'happy-hours',
    summary: 'Счастливые часы в Excel: дни, часы, период, для кого и что меняют',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.settingsRead,
    sheet: (trx, c) => happyHoursSheet(trx, c.merchantId, c.timeZone),
  }),
  defineExport({
    list: 'users',
    summary: 'Пользователи кабинета в Excel: e-mail, имя, роль, состояние',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.usersManage,
    sheet: (trx, c) => usersSheet(trx, c.merchantId),
  }),
  defineExport({
    list: 'audit-log',
    summary: 'Журнал изменений в Excel: те же отборы, новые первыми; кто, что было и что стало',
    querystring: auditExportQuerySchema,
    permission: Permission.auditRead,
    sheet: (trx, c) => auditSheet(trx, c.merchantId, c.timeZone, c.query),
  }),
  defineExport({
    list: 'questionnaire-fields',
    summary: 'Собственные поля анкеты в Excel: ключ, название, тип, варианты, обязательность',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => questionnaireFieldsSheet(trx, c.merchantId),
  }),
  defineExport({
    list: 'api-keys',
    summary: 'Ключи API в Excel: название, права, когда созданы, использованы, отозваны (без самих ключей)',
    querystring: unfilteredExportQuerySchema,
    permission: Permission.usersManage,
    sheet: (trx, c) => apiKeysSheet(trx, c.merchantId, c.timeZone),
  }),
  defineExport({
    list: 'buyer-coupons',
    summary: 'Персональные коды купонов покупателя в Excel: код, серия, использования, срок',
    querystring: buyerCouponsExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => buyerCouponsSheet(trx, c.merchantId, c.timeZone, c.query.buyerId),
  }),
  defineExport({
    list: 'lots',
    summary: 'Партии баллов покупателя в Excel: источник, начислено, осталось, активация, сгорание',
    querystring: lotsExportQuerySchema,
    permission: Permission.buyersRead,
    sheet: (trx, c) => lotsSheet(trx, c.merchantId, c.timeZone, c.query.buyerId),
  }),
];
