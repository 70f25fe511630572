// An uploaded file as a header and data rows, whatever its format. The format is told from the
// bytes, not the name: an .xlsx is a ZIP, an old .xls a compound document, anything else CSV.
import { MAX_IMPORT_ROWS } from '@loyalty/protocol/api/import-export.schema';
import { badRequest } from '#http/api-error.ts';
import { readCsv } from './csv-file.ts';
import { readXlsx, tooManyRows, type SheetRow } from './xlsx-file.ts';

/** A data row: its number as the spreadsheet shows it, and its cells trimmed. */
export type ImportRow = { row: number; cells: string[] };

/** The header row and the non-blank rows under it. */
export type ImportTable = { format: 'csv' | 'xlsx'; headers: string[]; rows: ImportRow[] };

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

const emptyFile = () =>
  badRequest(
    'empty_file',
    'В файле нет данных: первая строка — заголовки колонок, ниже — по строке на запись',
  );

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell === '');

/** Reads the upload; every unreadable, empty or oversized file is a 400 in the API's shape. */
export async function readImportFile(bytes: Buffer, maxRows = MAX_IMPORT_ROWS): Promise<ImportTable> {
  if (bytes.length === 0) throw emptyFile();
  const head = bytes.subarray(0, 4);
  if (head.equals(OLE))
    throw badRequest(
      'unsupported_format',
      'Файлы .xls (Excel 97–2003) не поддерживаются: сохраните таблицу как .xlsx или CSV',
    );
  const format = head.equals(ZIP) ? 'xlsx' : 'csv';
  const sheet: SheetRow[] =
    format === 'xlsx'
      ? await readXlsx(bytes, maxRows)
      : readCsv(bytes).map((cells, i) => ({ number: i + 1, cells }));

  const rows = sheet
    .map((r) => ({ row: r.number, cells: r.cells.map((cell) => cell.trim()) }))
    .filter((r) => !isBlank(r.cells));
  const [header, ...data] = rows;
  if (!header || data.length === 0) throw emptyFile();
  if (data.length > maxRows) throw tooManyRows(maxRows);
  return { format, headers: header.cells, rows: data };
}
