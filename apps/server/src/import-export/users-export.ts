// Users, the audit log (C10) and the questionnaire fields (D2) as XLSX: the rows of their cabinet
// tables. Users without passwords or sessions; audit entries newest first with the list's
// filters, who by name, the values before and after as JSON; fields with their categories by path.
import type { z } from 'zod';
import type { auditExportQuerySchema } from '@loyalty/protocol/api/import-export.schema';
import { auditColumns, auditQuery } from '#audit/audit.repository.ts';
import { listUsers, userView } from '#auth/user.repository.ts';
import { allCategories } from '#catalogue/categories.repository.ts';
import type { Db } from '#db/database.ts';
import { listFields, type QuestionnaireField } from '#questionnaire/questionnaire.repository.ts';
import { pageOffset } from '#db/list-query.ts';
import { listedSheet } from './listed-sheet.ts';
import { wallClock } from './merchant-time.ts';
import type { SheetSource } from './xlsx-writer.ts';

type UserLine = ReturnType<typeof userView>;

const roleNames: Record<string, string> = {
  owner: 'владелец',
  admin: 'администратор',
  marketer: 'маркетолог',
  manager: 'менеджер',
  analyst: 'аналитик',
};

/** The users table, by e-mail as the page lists them. */
export async function usersSheet(db: Db, merchantId: string): Promise<SheetSource<UserLine>> {
  const rows = (await listUsers(db, merchantId)).map(userView);
  return {
    name: 'Пользователи',
    columns: [
      { header: 'ID', width: 38, value: (u) => u.id },
      { header: 'E-mail', width: 30, value: (u) => u.email },
      { header: 'Имя', width: 24, value: (u) => u.name },
      { header: 'Роль', width: 16, value: (u) => roleNames[u.role] ?? u.role },
      { header: 'Состояние', value: (u) => (u.disabled ? 'отключён' : 'действует') },
    ],
    pages: [rows].values(),
  };
}

type AuditLine = {
  id: number;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
};

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The audit log with the list's filters, newest first. */
export async function auditSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
  query: z.output<typeof auditExportQuerySchema>,
): Promise<SheetSource<AuditLine>> {
  const [users, keys] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'email']).where('merchant_id', '=', merchantId).execute(),
    db.selectFrom('api_keys').select(['id', 'name']).where('merchant_id', '=', merchantId).execute(),
  ]);
  const userNames = new Map(users.map((u) => [u.id, `${u.name} (${u.email})`]));
  const keyNames = new Map(keys.map((k) => [k.id, `API-ключ «${k.name}»`]));
  const who = (e: AuditLine) =>
    e.actor_type === 'system'
      ? 'система'
      : ((e.actor_type === 'user' ? userNames : keyNames).get(e.actor_id ?? '') ?? e.actor_id);
  return listedSheet<AuditLine>(
    'Журнал изменений',
    [
      { header: 'Когда', width: 18, format: 'datetime', value: (e) => wallClock(e.created_at, timeZone) },
      { header: 'Кто', width: 30, value: who },
      { header: 'Действие', width: 26, value: (e) => e.action },
      { header: 'Объект', width: 16, value: (e) => e.entity },
      { header: 'ID объекта', width: 38, value: (e) => e.entity_id },
      { header: 'Было', width: 50, value: (e) => json(e.before) },
      { header: 'Стало', width: 50, value: (e) => json(e.after) },
    ],
    async (page, pageSize) =>
      (
        await auditQuery(db, merchantId, query)
          .select(auditColumns)
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset(pageOffset(page, pageSize))
          .execute()
      ).map((row) => ({ ...row, id: Number(row.id) })),
  );
}

const kindNames: Record<string, string> = { text: 'текст', number: 'число', date: 'дата', list: 'список' };

/** The merchant's own questionnaire fields in the page's order. */
export async function questionnaireFieldsSheet(
  db: Db,
  merchantId: string,
): Promise<SheetSource<QuestionnaireField>> {
  const [fields, categories] = await Promise.all([listFields(db, merchantId), allCategories(db, merchantId)]);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const path = (id: string): string => {
    const names: string[] = [];
    for (let c = byId.get(id); c && names.length < 50; c = c.parent_id ? byId.get(c.parent_id) : undefined)
      names.unshift(c.name);
    return names.length > 0 ? names.join(' / ') : id;
  };
  return {
    name: 'Поля анкеты',
    columns: [
      { header: 'Ключ', width: 20, value: (f) => f.key },
      { header: 'Название', width: 30, value: (f) => f.label },
      { header: 'Тип', value: (f) => kindNames[f.kind] ?? f.kind },
      { header: 'Варианты', width: 30, value: (f) => (f.options ? f.options.join(', ') : null) },
      { header: 'Обязательное', value: (f) => (f.required ? 'да' : 'нет') },
      {
        header: 'Обязательное при категориях',
        width: 40,
        value: (f) => f.requiredCategoryIds.map(path).join('; ') || null,
      },
    ],
    pages: [fields].values(),
  };
}

type ApiKeyLine = {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

/** The API keys as the users page lists them, newest first; never the secret or its hash. */
export async function apiKeysSheet(
  db: Db,
  merchantId: string,
  timeZone: string,
): Promise<SheetSource<ApiKeyLine>> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  const at = (instant: Date | null) => (instant ? wallClock(instant, timeZone) : null);
  return {
    name: 'Ключи API',
    columns: [
      { header: 'ID', width: 38, value: (k) => k.id },
      { header: 'Название', width: 26, value: (k) => k.name },
      { header: 'Права', width: 50, value: (k) => k.scopes.join(', ') },
      { header: 'Создан', width: 18, format: 'datetime', value: (k) => at(k.created_at) },
      { header: 'Последнее использование', width: 22, format: 'datetime', value: (k) => at(k.last_used_at) },
      { header: 'Отозван', width: 18, format: 'datetime', value: (k) => at(k.revoked_at) },
    ],
    pages: [rows].values(),
  };
}
