// The pull cursor: `(sync_xid, id)` of the last row handed out, opaque to the terminal. Single-
// item streams (settings, rules) keep only the transaction id their item includes.
import { badRequest } from '#http/api-error.ts';

/** A position in a stream: transaction id (xid8 as decimal text) and row id. */
export type Cursor = { xid: bigint; id: string };

export const ZERO_ID = '00000000-0000-0000-0000-000000000000';
export const START: Cursor = { xid: 0n, id: ZERO_ID };

const PATTERN = /^v1\.(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The text the terminal stores. */
export const encodeCursor = (cursor: Cursor): string => `v1.${cursor.xid}.${cursor.id}`;

/** Parses a cursor the server handed out; anything else is a 400 (the terminal pulls from scratch). */
export function decodeCursor(text: string | undefined): Cursor {
  if (text === undefined) return START;
  const match = PATTERN.exec(text);
  if (!match?.[1] || !match[2])
    throw badRequest('invalid_cursor', 'Неверная позиция синхронизации: начните поток заново без cursor');
  const xid = BigInt(match[1]);
  if (xid > 0xffff_ffff_ffff_ffffn)
    throw badRequest('invalid_cursor', 'Неверная позиция синхронизации: начните поток заново без cursor');
  return { xid, id: match[2] };
}

/** Orders two positions as the streams do: by transaction id, then by row id. */
export function compareCursor(a: Cursor, b: Cursor): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
