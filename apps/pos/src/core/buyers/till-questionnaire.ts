// The merchant's questionnaire (D2) at the till (A2): the form the registration dialog renders,
// with each field's requirement resolved for the receipt at hand (a field may be required only
// when the receipt holds products of some categories, or of their subcategories), and the check
// `buyer.register` runs before queuing anything. The server does not refuse an offline
// registration for the questionnaire, so this is where it is enforced.
import { DEFAULT_SYNC_QUESTIONNAIRE, type SyncQuestionnaire } from '@loyalty/protocol/sync/pull.schema';
import { getProductsByIdOrSku } from '#core/catalogue/products.repository.ts';
import { getRules, getSettings } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';

const STANDARD = ['firstName', 'lastName', 'middleName', 'gender', 'birthDate', 'email'] as const;
type StandardName = (typeof STANDARD)[number];

/** One field of the form as the dialog shows it. */
export type FormField =
  | { readonly source: 'standard'; readonly key: StandardName; readonly required: boolean }
  | {
      readonly source: 'own';
      readonly key: string;
      readonly label: string;
      readonly kind: 'list' | 'text' | 'number' | 'date';
      readonly options: readonly string[] | null;
      readonly required: boolean;
      /** Required because of these categories in the receipt (empty when always or never). */
      readonly requiredBy: readonly string[];
    };

/** One problem with one field, Russian, for the dialog to show next to it. */
export type FormIssue = { readonly field: string; readonly message: string };

/** What a registration carries that the form checks. */
export type FormValues = {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly middleName?: string | null;
  readonly gender: string | null;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly answers: Readonly<Record<string, string | number | null>>;
};

/** The cached questionnaire; the default form for settings cached before it shipped. */
export function cachedQuestionnaire(db: Sqlite): SyncQuestionnaire {
  return getSettings(db)?.questionnaire ?? DEFAULT_SYNC_QUESTIONNAIRE;
}

/** The categories of the receipt's products and all their ancestors, by the synced category tree. */
export function receiptCategories(db: Sqlite, productIds: readonly string[]): Set<string> {
  const products = getProductsByIdOrSku(db, productIds);
  const snapshot = getRules(db)?.snapshot as
    { categories?: Array<{ id: string; parentId?: string | null }> } | undefined;
  const parentOf = new Map((snapshot?.categories ?? []).map((c) => [c.id, c.parentId ?? null]));
  const found = new Set<string>();
  for (const product of products.values()) {
    // A cycle in a broken tree must not hang the till: each category is visited once.
    let id = product.categoryId;
    while (id && !found.has(id)) {
      found.add(id);
      id = parentOf.get(id) ?? null;
    }
  }
  return found;
}

/** The form for a receipt holding these products. */
export function formFor(questionnaire: SyncQuestionnaire, categories: ReadonlySet<string>): FormField[] {
  const standard: FormField[] = STANDARD.filter((key) => questionnaire.standardFields[key].enabled).map(
    (key) => ({ source: 'standard', key, required: questionnaire.standardFields[key].required }),
  );
  const own: FormField[] = questionnaire.fields.map((field) => {
    const requiredBy = field.requiredForCategoryIds.filter((id) => categories.has(id));
    return {
      source: 'own',
      key: field.key,
      label: field.label,
      kind: field.kind,
      options: field.options,
      required: field.required || requiredBy.length > 0,
      requiredBy: field.required ? [] : requiredBy,
    };
  });
  return [...standard, ...own];
}

const blank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const isCalendarDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1900-01-01') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

/** Problems with the values against the form; empty when the registration may go on. */
export function checkForm(
  form: readonly FormField[],
  questionnaire: SyncQuestionnaire,
  values: FormValues,
  today: string,
): FormIssue[] {
  const issues: FormIssue[] = [];
  for (const key of STANDARD) {
    const value = values[key];
    const field = form.find((f) => f.source === 'standard' && f.key === key);
    if (!field && !blank(value))
      issues.push({ field: key, message: 'Это поле выключено в анкете магазина: оставьте его пустым.' });
    else if (field?.required && blank(value))
      issues.push({ field: key, message: 'Обязательное поле анкеты: заполните его.' });
  }
  if (values.birthDate && values.birthDate > today)
    issues.push({ field: 'birthDate', message: 'Дата рождения не может быть в будущем.' });
  const known = new Set(questionnaire.fields.map((f) => f.key));
  for (const key of Object.keys(values.answers))
    if (!known.has(key))
      issues.push({ field: key, message: 'Такого поля нет в анкете магазина: обновите данные терминала.' });
  for (const field of form) {
    if (field.source !== 'own') continue;
    const value = values.answers[field.key];
    if (blank(value)) {
      if (field.required)
        issues.push({
          field: field.key,
          message:
            field.requiredBy.length > 0
              ? `Поле «${field.label}» обязательно, когда в чеке есть такие товары: заполните его.`
              : `Поле «${field.label}» обязательно: заполните его.`,
        });
      continue;
    }
    const problem = kindProblem(field, value ?? null);
    if (problem) issues.push({ field: field.key, message: problem });
  }
  return issues;
}

function kindProblem(
  field: Extract<FormField, { source: 'own' }>,
  value: string | number | null,
): string | null {
  switch (field.kind) {
    case 'text':
      return typeof value === 'string' ? null : `«${field.label}»: ожидается текст.`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `«${field.label}»: введите число.`;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? null
        : `«${field.label}»: введите дату в формате ГГГГ-ММ-ДД.`;
    case 'list':
      return typeof value === 'string' && (field.options ?? []).includes(value)
        ? null
        : `«${field.label}»: выберите один из вариантов (${(field.options ?? []).join(', ')}).`;
  }
}
