// What every import kind provides: the permissions it needs, the locks it takes, and a check of
// all rows that either lists the problems or returns the write to run. Checking everything
// before writing anything is what makes an import all or nothing.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '#auth/actor.ts';
import type { Permission } from '#auth/permissions.ts';
import type { Database, ImportReportError } from '#db/database-schema.ts';
import type { Db } from '#db/database.ts';
import type { ColumnMap, ColumnRules } from './import-columns.ts';
import type { ImportRow } from './import-file.ts';

/** One problem of one row, with the cell it quotes. */
export type RowError = ImportReportError;

/** The outcome of checking a file: problems, or nothing wrong and the write to run. */
export type ImportPlan = { errors: RowError[]; write: (trx: Transaction<Database>) => Promise<number> };

/** One import kind. */
export type Importer = {
  /** All of them are required. */
  readonly permissions: readonly Permission[];
  /** Advisory lock scopes, so the checks still hold when the write runs. */
  readonly lockScopes: readonly string[];
  /** Columns beyond the fixed list and columns made required, read from the merchant's settings. */
  columnRules(db: Db, merchantId: string): Promise<ColumnRules>;
  check(
    trx: Transaction<Database>,
    actor: Actor,
    rows: readonly ImportRow[],
    columns: ColumnMap,
    now: Date,
  ): Promise<ImportPlan>;
};

/** Reads one row's cells by field and records its problems. */
export type RowCells = {
  readonly row: number;
  /** The trimmed cell of the field, '' when absent. */
  value(field: string): string;
  /** True when the file has a column for the field. */
  has(field: string): boolean;
  fail(field: string | null, code: string, message: string): void;
  /** True once a problem is recorded for the field (null: the whole row). */
  hasFailed(field: string | null): boolean;
};

/** The cells of `row`, recording problems into `errors`. */
export function rowCells(row: ImportRow, columns: ColumnMap, errors: RowError[]): RowCells {
  const value = (field: string) => {
    const i = columns.index.get(field);
    return i === undefined ? '' : (row.cells[i] ?? '');
  };
  const failedFields = new Set<string | null>();
  // One problem is reported once per cell, however many rules found it.
  const seen = new Set<string>();
  return {
    row: row.row,
    value,
    has: (field) => columns.index.has(field),
    fail(field, code, message) {
      failedFields.add(field);
      const key = `${field ?? ''}|${code}|${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      errors.push({
        row: row.row,
        column: field === null ? null : (columns.header.get(field) ?? null),
        value: field === null ? null : value(field) || null,
        code,
        message,
      });
    },
    hasFailed: (field) => failedFields.has(field),
  };
}

/**
 * Records the issues of a single-item API schema against the row; `fieldOf` names the file
 * field an issue points to (null: the whole row; undefined: not worth reporting). A cell that
 * already failed reading (a date that is no date) is not reported again by the schema.
 */
export function reportIssues(
  cells: RowCells,
  issues: readonly z.core.$ZodIssue[],
  fieldOf: (path: readonly PropertyKey[], issue: z.core.$ZodIssue) => string | null | undefined,
): void {
  for (const issue of issues) {
    const field = fieldOf(issue.path, issue);
    if (field !== undefined && !cells.hasFailed(field)) cells.fail(field, issue.code, issue.message);
  }
}

/** Flags every row that repeats a key of an earlier row, naming that row. */
export function flagRepeats(
  items: ReadonlyArray<{ cells: RowCells; key: string | null }>,
  field: string,
  what: string,
): void {
  const first = new Map<string, number>();
  for (const { cells, key } of items) {
    if (key === null) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, cells.row);
    else cells.fail(field, 'duplicate_in_file', `${what} уже есть в строке ${earlier}`);
  }
}
