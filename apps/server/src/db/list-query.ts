// Pieces every paged list query shares: the offset of a page, a safe substring pattern and the
// archived-state filter.
import { sql } from 'kysely';

/** Rows to skip for a 1-based page. */
export const pageOffset = (page: number, pageSize: number): number => (page - 1) * pageSize;

/** An ILIKE pattern matching `text` anywhere, with the caller's `%`, `_` and `\` taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Restricts a table with `archived_at` to active, archived or all rows. */
export function stateFilter(state: 'active' | 'archived' | 'all') {
  switch (state) {
    case 'active':
      return sql<boolean>`archived_at IS NULL`;
    case 'archived':
      return sql<boolean>`archived_at IS NOT NULL`;
    case 'all':
      return sql<boolean>`TRUE`;
  }
}

/** A page as the API answers it. */
export const pageOf = <T>(items: T[], total: number, query: { page: number; pageSize: number }) => ({
  items,
  total,
  page: query.page,
  pageSize: query.pageSize,
});
