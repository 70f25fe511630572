// Reads the first sheet of an XLSX upload row by row with exceljs's streaming reader, so a large
// file is never held as a workbook of cell objects, and a file past the row limit stops early.
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { badRequest } from '#http/api-error.ts';

/** A sheet row by its spreadsheet number with its cells as text. */
export type SheetRow = { number: number; cells: string[] };

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A cell as text. Dates become 'YYYY-MM-DD' (exceljs reads a date cell as UTC midnight of the
 * day shown), formulas give their result, rich text its plain text.
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoDate(value);
  if (typeof value === 'object') {
    const cell = value as {
      richText?: Array<{ text?: string }>;
      text?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text ?? '').join('');
    if (cell.text !== undefined) return cellText(cell.text);
    if ('result' in cell) return cellText(cell.result);
    if (typeof cell.error === 'string') return cell.error;
  }
  return '';
}

/** The rows of the first worksheet, refusing more than `maxRows` rows after the first. */
export async function readXlsx(bytes: Buffer, maxRows: number): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell a date cell from a number: without them 31.12.2026 reads as 46387.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let overflow = false;
  try {
    sheets: for await (const sheet of reader) {
      for await (const row of sheet) {
        // The header plus the allowed data rows; import-file counts the data rows exactly.
        if (rows.length > maxRows + 1) {
          overflow = true;
          break sheets;
        }
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        rows.push({ number: row.number, cells: Array.from(values, cellText) });
      }
      break;
    }
  } catch {
    throw badRequest('unreadable_file', 'Не удалось прочитать XLSX: файл повреждён или это не таблица Excel');
  }
  if (overflow) throw tooManyRows(maxRows);
  return rows;
}

/** The 400 for a file longer than the import takes. */
export const tooManyRows = (maxRows: number) =>
  badRequest(
    'too_many_rows',
    `В файле больше ${maxRows.toLocaleString('ru-RU')} строк: разделите его на несколько файлов`,
    { maxRows },
  );
