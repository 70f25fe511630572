// Maps the header row of a file to the fields of an import kind. Headers are compared by letters
// and digits only, case- and ё-insensitively, so "E-mail", "email" and "Эл. почта" all work.
// An unknown or repeated header refuses the whole file: a column silently dropped would import
// a base without the data the manager thinks is in it.
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
