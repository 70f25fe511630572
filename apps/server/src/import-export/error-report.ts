// The downloadable report of a rejected import: one line per problem with the row and column as
// the file names them, the cell as it was, and what is wrong, in Russian.
import type { ImportReportError } from '#db/database-schema.ts';
import type { SheetColumn, SheetSource } from './xlsx-writer.ts';

const columns: ReadonlyArray<SheetColumn<ImportReportError>> = [
  { header: 'Строка', width: 8, format: 'integer', value: (e) => e.row },
  { header: 'Колонка', width: 24, value: (e) => e.column ?? 'вся строка' },
  { header: 'Значение', width: 30, value: (e) => e.value },
  { header: 'Ошибка', width: 70, value: (e) => e.message },
];

/** The report's problems as a one-page sheet (the report is already in memory). */
export function errorReportSheet(errors: readonly ImportReportError[]): SheetSource<ImportReportError> {
  return { name: 'Ошибки', columns, pages: [errors].values() };
}
