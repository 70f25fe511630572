// Stores, cashiers and terminals (C11, B1) as XLSX: the rows, filters and order of their cabinet
// tables (the list functions the JSON routes use), store names instead of ids, times in the
// merchant's zone. Access codes and pairing codes are never exported: only their state.
import type { z } from 'zod';
import type {
  cashiersExportQuerySchema,
  storesExportQuerySchema,
  terminalsExportQuerySchema,
} from '@loyalty/protocol/api/import-export.schema';
import { cashierView, listCashiers } from '#cashiers/cashiers.repository.ts';
import type { Db } from '#db/database.ts';
import { listStores, storeView } from '#stores/stores.repository.ts';
import { listTerminals, terminalView } from '#terminals/terminals.repository.ts';
import { listedSheet, localTime } from './listed-sheet.ts';
import type { SheetSource } from './xlsx-writer.ts';

type StoreLine = ReturnType<typeof storeView>;
type CashierLine = ReturnType<typeof cashierView>;
type TerminalLine = ReturnType<typeof terminalView>;

const STANDARD_ATTRIBUTES = ['format', 'cluster', 'city'];

/** The merchant's store names by id, archived ones included (a cashier may still name one). */
async function storeNames(db: Db, merchantId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .execute();
  return new Map(rows.map((s) => [s.id, s.name]));
}

/** The stores table. */
export function storesSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof storesExportQuerySchema>,
): SheetSource<StoreLine> {
  return listedSheet<StoreLine>(
    'Магазины',
    [
      { header: 'ID', width: 38, value: (s) => s.id },
      { header: 'Название', width: 30, value: (s) => s.name },
      { header: 'Адрес', width: 40, value: (s) => s.address },
      { header: 'Формат', value: (s) => s.attributes.format ?? null },
      { header: 'Кластер', value: (s) => s.attributes.cluster ?? null },
      { header: 'Город', value: (s) => s.attributes.city ?? null },
      {
        header: 'Другие атрибуты',
        width: 30,
        value: (s) =>
          Object.entries(s.attributes)
            .filter(([key]) => !STANDARD_ATTRIBUTES.includes(key))
            .map(([key, value]) => `${key}: ${value}`)
            .join('; ') || null,
      },
      { header: 'Состояние', value: (s) => (s.archivedAt ? 'в архиве' : 'действует') },
      { header: 'Создан', width: 18, format: 'datetime', value: (s) => localTime(s.createdAt, timeZone) },
    ],
    async (page, pageSize) =>
      (await listStores(db, merchantId, { ...query, page, pageSize })).rows.map(storeView),
  );
}

const cashierRoles = { cashier: 'кассир', senior: 'старший кассир' } as const;

/** The cashiers table (without access codes). */
export async function cashiersSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof cashiersExportQuerySchema>,
): Promise<SheetSource<CashierLine>> {
  const stores = await storeNames(db, merchantId);
  return listedSheet<CashierLine>(
    'Кассиры',
    [
      { header: 'ID', width: 38, value: (c) => c.id },
      { header: 'Имя', width: 30, value: (c) => c.name },
      { header: 'Роль', value: (c) => cashierRoles[c.role] },
      {
        header: 'Магазин',
        width: 30,
        value: (c) => (c.storeId ? (stores.get(c.storeId) ?? c.storeId) : 'все'),
      },
      { header: 'Состояние', value: (c) => (c.archivedAt ? 'в архиве' : 'действует') },
      { header: 'Создан', width: 18, format: 'datetime', value: (c) => localTime(c.createdAt, timeZone) },
    ],
    async (page, pageSize) =>
      (await listCashiers(db, merchantId, { ...query, page, pageSize })).rows.map(cashierView),
  );
}

/** The terminals table with their sync state (without pairing codes). */
export async function terminalsSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof terminalsExportQuerySchema>,
  now: Date,
): Promise<SheetSource<TerminalLine>> {
  const stores = await storeNames(db, merchantId);
  return listedSheet<TerminalLine>(
    'Терминалы',
    [
      { header: 'ID', width: 38, value: (x) => x.id },
      { header: 'Название', width: 26, value: (x) => x.name },
      { header: 'Магазин', width: 30, value: (x) => stores.get(x.storeId) ?? x.storeId },
      {
        header: 'Состояние',
        value: (x) =>
          x.status === 'revoked'
            ? 'отозван'
            : x.pairedAt
              ? 'подключён'
              : x.pairingPending
                ? 'ждёт кода'
                : 'не подключён',
      },
      { header: 'Устройство', width: 22, value: (x) => x.deviceName },
      { header: 'Подключён', width: 18, format: 'datetime', value: (x) => localTime(x.pairedAt, timeZone) },
      {
        header: 'Последняя синхронизация',
        width: 22,
        format: 'datetime',
        value: (x) => localTime(x.lastSyncAt, timeZone),
      },
      { header: 'Последний номер операции', format: 'integer', value: (x) => x.lastSeq },
      { header: 'Операций в очереди', format: 'integer', value: (x) => x.pendingOps },
      { header: 'Ошибочных операций', format: 'integer', value: (x) => x.deadLetters },
      { header: 'Чеков сверх баланса', format: 'integer', value: (x) => x.overdraftReceipts },
    ],
    async (page, pageSize) =>
      (await listTerminals(db, merchantId, { ...query, page, pageSize })).rows.map((row) =>
        terminalView(row, now),
      ),
  );
}
