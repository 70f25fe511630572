// Applies one pulled page and its cursor in one SQLite transaction (SYNC.md "Pull"): after a
// crash the cache and the cursor always agree, so the next pull neither skips nor repeats work.
import type { PullResponse } from '@loyalty/protocol/sync/pull.schema';
import { assertNever } from '@loyalty/core/shared/result';
import { deleteBuyer, putBuyer } from '#core/buyers/buyers.repository.ts';
import { deleteCashier, putCashier } from '#core/cashiers/cashiers.repository.ts';
import { deleteProduct, putProduct } from '#core/catalogue/products.repository.ts';
import { deleteRules, deleteSettings, putRules, putSettings } from '#core/store/cache-settings.repository.ts';
import type { Sqlite } from '#core/store/database.ts';
import { raiseSeqFloor } from '#core/store/identity.repository.ts';
import { saveCursor } from '#core/store/sync-cursors.repository.ts';

/** Writes the page's items and tombstones and moves the stream's cursor, atomically. */
export function applyPage(db: Sqlite, page: PullResponse, at: number): void {
  db.transaction(() => {
    switch (page.stream) {
      case 'settings':
        for (const item of page.items) putSettings(db, item, at);
        for (const id of page.deleted) deleteSettings(db, id);
        break;
      case 'rules':
        for (const item of page.items) putRules(db, item, at);
        for (const id of page.deleted) deleteRules(db, id);
        break;
      case 'cashiers':
        for (const item of page.items) putCashier(db, item);
        for (const id of page.deleted) deleteCashier(db, id);
        break;
      case 'products':
        for (const item of page.items) putProduct(db, item);
        for (const id of page.deleted) deleteProduct(db, id);
        break;
      case 'buyers':
        for (const item of page.items) putBuyer(db, item, page.appliedSeq, page.serverTime, 'pull');
        for (const id of page.deleted) deleteBuyer(db, id);
        break;
      default:
        assertNever(page);
    }
    saveCursor(db, page.stream, page.cursor, page.appliedSeq, page.hasMore ? null : page.serverTime, at);
    raiseSeqFloor(db, page.appliedSeq);
  })();
}
