// A sheet made from a JSON list's own page function: the same filters, sort and view as the table
// the cabinet shows, read page after page. Offset pages are stable because every export reads one
// snapshot (export-route.ts), and each list orders by a unique id last.
import { wallClock } from './merchant-time.ts';
import type { SheetColumn, SheetSource } from './xlsx-writer.ts';

const PAGE_SIZE = 500;

/** Reads `page(n, size)` until a short page; the list's page size limit is 500. */
export function listedSheet<T>(
  name: string,
  columns: ReadonlyArray<SheetColumn<T>>,
  page: (page: number, pageSize: number) => Promise<readonly T[]>,
  pageSize = PAGE_SIZE,
): SheetSource<T> {
  async function* pages() {
    for (let n = 1; ; n++) {
      const rows = await page(n, pageSize);
      yield rows;
      if (rows.length < pageSize) return;
    }
  }
  return { name, columns, pages: pages() };
}

/** An ISO instant of a view as the merchant's wall clock, for a datetime cell. */
export const localTime = (iso: string | null, timeZone: string): Date | null =>
  iso === null ? null : wallClock(new Date(iso), timeZone);
