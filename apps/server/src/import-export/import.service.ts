// Runs an import (B5): read the file, map its headers, check every row inside one transaction
// under the kind's locks, and either write all rows and one audit entry, or write nothing and
// keep the problems as a downloadable report (422 import_rejected).
import {
  IMPORT_PREVIEW_ROWS,
  importColumns,
  type ImportColumn,
  type ImportKind,
} from '@loyalty/protocol/api/import-export.schema';
import { countErrors, pluralRu } from '@loyalty/core/shared/russian-plural';
import { writeAudit } from '#audit/audit.repository.ts';
import type { Actor } from '#auth/actor.ts';
import type { Db } from '#db/database.ts';
import { lockMerchantScope } from '#db/merchant-lock.ts';
import { ApiError } from '#http/api-error.ts';
import { balancesImporter } from './balances-import.ts';
import { buyersImporter } from './buyers-import.ts';
import { cardsImporter } from './cards-import.ts';
import { autoMapping, explicitMapping, mapColumns, type ColumnMap } from './import-columns.ts';
import { readImportFile, type ImportTable } from './import-file.ts';
import { saveReport } from './import-reports.repository.ts';
import type { Importer, RowError } from './importer.ts';
import { productsImporter } from './products-import.ts';

/** Every import kind. */
export const importers: Record<ImportKind, Importer> = {
  buyers: buyersImporter,
  cards: cardsImporter,
  products: productsImporter,
  balances: balancesImporter,
};

/** The 422 body lists the first problems; the report has them all (up to its own cap). */
const ERRORS_IN_ANSWER = 100;
const ERRORS_IN_REPORT = 50_000;

/** Nothing written and why, or how many rows were written. */
type Outcome = { ok: false; errors: RowError[] } | { ok: true; imported: number };

/** An uploaded file. */
export type Upload = { bytes: Buffer; fileName: string };

/** Cells under no header: usually a separator inside unquoted text that shifted the row. */
function strayCells(table: ImportTable, columns: ColumnMap): RowError[] {
  const mapped = new Set(columns.index.values());
  const errors: RowError[] = [];
  for (const { row, cells } of table.rows)
    cells.forEach((cell, i) => {
      if (cell === '' || mapped.has(i) || (table.headers[i] ?? '') !== '') return;
      errors.push({
        row,
        column: null,
        value: cell,
        code: 'value_outside_columns',
        message: `Значение в столбце ${i + 1} без заголовка: проверьте разделители и кавычки`,
      });
    });
  return errors;
}

/** The name as PostgreSQL can store it: no control characters (NUL above all), bounded. */
const storableName = (name: string) =>
  [...name]
    .filter((char) => char >= ' ' && char !== '\u007f')
    .join('')
    .slice(0, 255) || 'файл';

function rejection(errors: RowError[], reportId: string): ApiError {
  const rows = new Set(errors.map((e) => e.row)).size;
  return new ApiError(
    422,
    'import_rejected',
    `Файл не загружен: ${countErrors(errors.length)} в ${rows} ${pluralRu(rows, ['строке', 'строках', 'строках'])}. ` +
      'Ничего не записано: исправьте файл по отчёту и загрузите его снова.',
    {
      errors: errors.slice(0, ERRORS_IN_ANSWER).map((e) => ({
        row: e.row,
        column: e.column,
        code: e.code,
        message: e.message,
      })),
      errorCount: errors.length,
      reportId,
    },
  );
}

/** Imports the file whole or not at all; a dry run checks everything and writes nothing. */
export async function runImport(
  db: Db,
  actor: Actor,
  kind: ImportKind,
  upload: Upload,
  options: { dryRun: boolean; now: Date; mapping?: ReadonlyArray<string | null> },
): Promise<{ imported: number; rows: number; dryRun: boolean }> {
  const importer = importers[kind];
  const table = await readImportFile(upload.bytes);
  const rules = await importer.columnRules(db, actor.merchantId);
  const columns = options.mapping
    ? explicitMapping(kind, table.headers, options.mapping, rules)
    : mapColumns(kind, table.headers, rules);
  const rows = table.rows.length;

  const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
    for (const scope of importer.lockScopes) await lockMerchantScope(trx, scope, actor.merchantId);
    const plan = await importer.check(trx, actor, table.rows, columns, options.now);
    const place = (e: RowError) => (e.column === null ? -1 : table.headers.indexOf(e.column));
    const errors = [...strayCells(table, columns), ...plan.errors].sort(
      (a, b) => a.row - b.row || place(a) - place(b),
    );
    if (errors.length > 0) return { ok: false, errors };
    if (options.dryRun) return { ok: true, imported: 0 };
    const imported = await plan.write(trx);
    // Counts only: the rows themselves are personal data and stay out of the audit trail.
    await writeAudit(trx, actor, {
      action: `import.${kind}`,
      entity: 'import',
      entityId: null,
      after: { kind, format: table.format, rows, imported },
    });
    return { ok: true, imported };
  });

  if (!outcome.ok) {
    const reportId = await saveReport(
      db,
      actor,
      {
        kind,
        fileName: storableName(upload.fileName),
        rows,
        errorCount: outcome.errors.length,
        errors: outcome.errors.slice(0, ERRORS_IN_REPORT),
      },
      options.now,
    );
    throw rejection(outcome.errors, reportId);
  }
  return { imported: outcome.imported, rows, dryRun: options.dryRun };
}

/** Reads the file and answers what the wizard's "map columns" step shows; nothing is written. */
export async function previewImport(db: Db, actor: Actor, kind: ImportKind, upload: Upload) {
  const table = await readImportFile(upload.bytes);
  const rules = await importers[kind].columnRules(db, actor.merchantId);
  const required = new Set(rules.required);
  const fixed: readonly ImportColumn[] = importColumns[kind];
  return {
    format: table.format,
    headers: table.headers,
    sample: table.rows
      .slice(0, IMPORT_PREVIEW_ROWS)
      .map((r) => table.headers.map((_, i) => r.cells[i] ?? '')),
    rows: table.rows.length,
    fields: [
      ...fixed.map((c) => ({
        field: c.field,
        title: c.title,
        required: c.required || required.has(c.field),
        aliases: [...c.aliases],
      })),
      ...rules.extra.map((c) => ({
        field: c.field,
        title: c.title,
        required: required.has(c.field),
        aliases: [...c.names],
      })),
    ],
    mapping: autoMapping(kind, table.headers, rules),
  };
}
