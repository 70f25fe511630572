// Maps the header row of a file to the fields of an import kind. Headers are compared by letters
// and digits only, case- and ё-insensitively, so "E-mail", "email" and "Эл. почта" all work.
// An unknown or repeated header refuses the whole file: a column silently dropped would import
// a base without the data the manager thinks is in it. A caller may instead map the columns by
// hand (one field or nothing per column, `explicitMapping`): then only what it names is read, and
// a field named twice, an unknown field or a missing required one still refuses the file.
import {
  importColumns,
  type ImportColumn,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { badRequest } from '#http/api-error.ts';

/** A column outside the fixed list (a questionnaire field of the buyers import). */
export type ExtraColumn = { field: string; title: string; names: readonly string[] };

/** What the merchant's settings add to a kind's columns: more columns, more required ones. */
export type ColumnRules = { extra: readonly ExtraColumn[]; required: readonly string[] };

/** Where each field is in the file, and how the file names it. */
export type ColumnMap = {
  /** Cell index by field. */
  readonly index: ReadonlyMap<string, number>;
  /** The header as written in the file, for error reports. */
  readonly header: ReadonlyMap<string, string>;
};

/** The comparison key of a header. */
export const headerKey = (text: string): string =>
  text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}]/gu, '');

function lookup(kind: ImportKind, extra: readonly ExtraColumn[]) {
  const byKey = new Map<string, string>();
  const columns: readonly ImportColumn[] = importColumns[kind];
  for (const column of columns)
    for (const name of [column.title, column.field, ...column.aliases])
      byKey.set(headerKey(name), column.field);
  // Fixed columns win over questionnaire fields that happen to share a name.
  for (const column of extra)
    for (const name of column.names)
      if (!byKey.has(headerKey(name))) byKey.set(headerKey(name), column.field);
  return byKey;
}

const quoted = (names: readonly string[]) => names.map((name) => `«${name}»`).join(', ');

/** The field each header names on its own (null: unknown, blank, or a repeat of an earlier one). */
export function autoMapping(
  kind: ImportKind,
  headers: readonly string[],
  rules: ColumnRules = { extra: [], required: [] },
): Array<string | null> {
  const byKey = lookup(kind, rules.extra);
  const taken = new Set<string>();
  return headers.map((text) => {
    const field = text === '' ? undefined : byKey.get(headerKey(text));
    if (field === undefined || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/**
 * The columns mapped by hand: `mapping[i]` is the field of the file's column i, null to skip it.
 * Refuses the file with what is wrong, as `mapColumns` does for headers.
 */
export function explicitMapping(
  kind: ImportKind,
  headers: readonly string[],
  mapping: ReadonlyArray<string | null>,
  rules: ColumnRules = { extra: [], required: [] },
) {
  const columns: readonly ImportColumn[] = importColumns[kind];
  const titles = new Map([...columns, ...rules.extra].map((c) => [c.field, c.title]));
  const index = new Map<string, number>();
  const header = new Map<string, string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const outside: number[] = [];
  mapping.forEach((field, i) => {
    if (field === null) return;
    if (i >= headers.length) outside.push(i + 1);
    else if (!titles.has(field)) unknown.push(field);
    else if (index.has(field)) repeated.push(titles.get(field) ?? field);
    else {
      index.set(field, i);
      // Error reports quote the file's own header, or the field's title under a blank one.
      header.set(field, headers[i] || (titles.get(field) ?? field));
    }
  });
  const required = [...columns.filter((c) => c.required).map((c) => c.field), ...rules.required];
  const missing = [...new Set(required)].filter((f) => !index.has(f)).map((f) => titles.get(f) ?? f);
  const problems = [
    unknown.length > 0 ? `неизвестные поля ${quoted(unknown)}` : '',
    repeated.length > 0 ? `поле назначено нескольким колонкам: ${quoted(repeated)}` : '',
    outside.length > 0 ? `в файле нет колонок с номерами ${outside.join(', ')}` : '',
    missing.length > 0 ? `не назначены обязательные поля ${quoted(missing)}` : '',
  ].filter((text) => text !== '');
  if (problems.length > 0)
    throw badRequest(
      'import_mapping',
      `Сопоставление колонок не подходит: ${problems.join('; ')}. Назначьте каждому полю не больше одной колонки.`,
      { unknown, repeated, outside, missing, accepted: [...titles.keys()] },
    );
  return { index, header } satisfies ColumnMap;
}

/**
 * Maps the headers or refuses the file with what is unknown, repeated or missing. A column the
 * settings make required is missing from the whole file, so it is refused here, not row by row.
 */
export function mapColumns(
  kind: ImportKind,
  headers: readonly string[],
  rules: ColumnRules = { extra: [], required: [] },
) {
  const { extra } = rules;
  const byKey = lookup(kind, extra);
  const index = new Map<string, number>();
  const header = new Map<string, string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  headers.forEach((text, i) => {
    // Excel leaves formatted but empty columns at the right; they carry nothing.
    if (text === '') return;
    const field = byKey.get(headerKey(text));
    if (field === undefined) unknown.push(text);
    else if (index.has(field)) repeated.push(text);
    else {
      index.set(field, i);
      header.set(field, text);
    }
  });
  const columns: readonly ImportColumn[] = importColumns[kind];
  const titles = new Map([...columns, ...extra].map((c) => [c.field, c.title]));
  const required = [...columns.filter((c) => c.required).map((c) => c.field), ...rules.required];
  const missing = [...new Set(required)].filter((f) => !index.has(f)).map((f) => titles.get(f) ?? f);
  const accepted = [...columns.map((c) => c.title), ...extra.map((c) => c.title)];
  const problems = [
    unknown.length > 0 ? `неизвестные колонки ${quoted(unknown)}` : '',
    repeated.length > 0 ? `повторяются колонки ${quoted(repeated)}` : '',
    missing.length > 0 ? `нет обязательных колонок ${quoted(missing)}` : '',
  ].filter((text) => text !== '');
  if (problems.length > 0)
    throw badRequest(
      'import_columns',
      `Заголовки файла не подходят: ${problems.join('; ')}. Допустимые колонки: ${accepted.join(', ')}`,
      { unknown, repeated, missing, accepted },
    );
  return { index, header } satisfies ColumnMap;
}
