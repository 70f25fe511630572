// CSV as it reaches us from Russian offices: Excel saves Windows-1251 with ';', Google Sheets and
// 1C save UTF-8 with ','. Neither says which, so both are detected from the bytes.
import { parse } from 'csv-parse/sync';
import { badRequest } from '#http/api-error.ts';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const DELIMITERS = [';', ',', '\t'] as const;

/**
 * The text of the file: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else
 * Windows-1251. Cyrillic in Windows-1251 is almost never valid UTF-8, so the test is reliable.
 */
export function decodeCsv(bytes: Buffer): string {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1251').decode(body);
  }
}

/** The separator used most in the first line outside quotes; ',' when none is used. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [delimiter, count] of counts)
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  return best;
}

/** Control characters other than tab and line breaks: the upload is not text at all. */
function looksBinary(text: string): boolean {
  const end = Math.min(text.length, 65_536);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** Every record of the file as text cells; record i is spreadsheet row i + 1. */
export function readCsv(bytes: Buffer): string[][] {
  const text = decodeCsv(bytes);
  if (looksBinary(text))
    throw badRequest('unreadable_file', 'Файл не похож на CSV или XLSX: сохраните таблицу в одном из них');
  try {
    return parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    const { code, lines } = (error ?? {}) as { code?: unknown; lines?: unknown };
    // csv-parse marks its own failures with CSV_* codes; anything else is a bug.
    if (typeof code === 'string' && code.startsWith('CSV_'))
      throw badRequest('unreadable_file', `Не удалось прочитать CSV: ошибка в строке ${String(lines)}`, {
        line: lines,
        reason: code,
      });
    throw error;
  }
}
