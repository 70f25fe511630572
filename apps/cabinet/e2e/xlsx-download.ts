// Reading a table's export the way a user gets it: click the button, take the download, parse it
// back with exceljs.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';

/** Clicks the export button `testId` and answers the first sheet's rows (the header first). */
export async function downloadedRows(page: Page, testId: string): Promise<unknown[][]> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await file.path());
  const rows: unknown[][] = [];
  book.worksheets[0]?.eachRow((row) => {
    rows.push(Array.isArray(row.values) ? row.values.slice(1) : []);
  });
  return rows;
}

/** The same rows as records keyed by the header. */
export async function downloadedRecords(page: Page, testId: string): Promise<Array<Record<string, unknown>>> {
  const [header = [], ...rows] = await downloadedRows(page, testId);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i] ?? null])));
}
