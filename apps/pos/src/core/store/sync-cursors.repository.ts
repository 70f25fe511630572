// Where each stream's pull stands: the opaque cursor, the appliedSeq of the last page and when
// the stream was last caught up (no more pages), which dates the snapshots it holds.
import type { SyncStream } from '@loyalty/protocol/sync/pull.schema';
import type { Sqlite } from './database.ts';

/** A stream's pull position. */
export type StreamCursor = {
  stream: SyncStream;
  cursor: string | null;
  appliedSeq: number;
  caughtUpAt: number | null;
  updatedAt: number;
};

type CursorRow = {
  stream: SyncStream;
  cursor: string | null;
  applied_seq: number;
  caught_up_at: number | null;
  updated_at: number;
};

const fromRow = (row: CursorRow): StreamCursor => ({
  stream: row.stream,
  cursor: row.cursor,
  appliedSeq: row.applied_seq,
  caughtUpAt: row.caught_up_at,
  updatedAt: row.updated_at,
});

/** The stream's position, or null before its first pull. */
export function getCursor(db: Sqlite, stream: SyncStream): StreamCursor | null {
  const row = db.prepare<[string], CursorRow>('SELECT * FROM sync_cursors WHERE stream = ?').get(stream);
  return row ? fromRow(row) : null;
}

/** Every stream's position. */
export function listCursors(db: Sqlite): StreamCursor[] {
  return db.prepare<[], CursorRow>('SELECT * FROM sync_cursors ORDER BY stream').all().map(fromRow);
}

/**
 * Stores the cursor after a page; `caughtUpAt` (server time) only when it was the last page,
 * so a half-pulled stream does not pass for fresh.
 */
export function saveCursor(
  db: Sqlite,
  stream: SyncStream,
  cursor: string,
  appliedSeq: number,
  caughtUpAt: number | null,
  at: number,
): void {
  db.prepare(
    `INSERT INTO sync_cursors (stream, cursor, applied_seq, caught_up_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, applied_seq = excluded.applied_seq,
       caught_up_at = coalesce(excluded.caught_up_at, sync_cursors.caught_up_at),
       updated_at = excluded.updated_at`,
  ).run(stream, cursor, appliedSeq, caughtUpAt, at);
}
