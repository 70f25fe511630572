// The terminal's identity row: pairing, status towards the server, clock offset and the
// counters that make sequence numbers and receipt numbers (never reused).
import { prepared, type Sqlite } from './database.ts';

/** Where the terminal stands with the server. */
export const PairingStatus = {
  unpaired: 'unpaired',
  paired: 'paired',
  revoked: 'revoked',
  unauthorized: 'unauthorized',
} as const;
export type PairingStatus = (typeof PairingStatus)[keyof typeof PairingStatus];

/** The identity row as the core uses it. */
export type TerminalIdentity = {
  terminalId: string | null;
  merchantId: string | null;
  storeId: string | null;
  token: string | null;
  serverUrl: string | null;
  deviceName: string | null;
  pairedAt: number | null;
  status: PairingStatus;
  statusMessage: string | null;
  clockOffsetMs: number;
  clockMeasuredAt: number | null;
  lastSyncAt: number | null;
  lastPushAt: number | null;
  nextSeq: number;
};

type IdentityRow = {
  terminal_id: string | null;
  merchant_id: string | null;
  store_id: string | null;
  token: string | null;
  server_url: string | null;
  device_name: string | null;
  paired_at: number | null;
  status: PairingStatus;
  status_message: string | null;
  clock_offset_ms: number;
  clock_measured_at: number | null;
  last_sync_at: number | null;
  last_push_at: number | null;
  next_seq: number;
};

/** Reads the identity row (there is always exactly one). */
export function getIdentity(db: Sqlite): TerminalIdentity {
  // Read by every calculation (each scan): prepared once per connection.
  const row = prepared<[], IdentityRow>(db, 'SELECT * FROM terminal_identity WHERE id = 1').get();
  if (!row) throw new Error('terminal_identity row is missing: the database was not migrated');
  return {
    terminalId: row.terminal_id,
    merchantId: row.merchant_id,
    storeId: row.store_id,
    token: row.token,
    serverUrl: row.server_url,
    deviceName: row.device_name,
    pairedAt: row.paired_at,
    status: row.status,
    statusMessage: row.status_message,
    clockOffsetMs: row.clock_offset_ms,
    clockMeasuredAt: row.clock_measured_at,
    lastSyncAt: row.last_sync_at,
    lastPushAt: row.last_push_at,
    nextSeq: row.next_seq,
  };
}

/** Stores the credentials a pairing answered with. */
export function savePairing(
  db: Sqlite,
  pairing: {
    terminalId: string;
    merchantId: string;
    storeId: string;
    token: string;
    serverUrl: string;
    deviceName: string;
    pairedAt: number;
  },
): void {
  db.prepare(
    `UPDATE terminal_identity SET terminal_id = ?, merchant_id = ?, store_id = ?, token = ?, server_url = ?,
       device_name = ?, paired_at = ?, status = 'paired', status_message = NULL WHERE id = 1`,
  ).run(
    pairing.terminalId,
    pairing.merchantId,
    pairing.storeId,
    pairing.token,
    pairing.serverUrl,
    pairing.deviceName,
    pairing.pairedAt,
  );
}

/** Records that the server refused the token (revoked or replaced); unsent ops stay. */
export function setPairingStatus(db: Sqlite, status: PairingStatus, message: string | null): void {
  db.prepare('UPDATE terminal_identity SET status = ?, status_message = ? WHERE id = 1').run(status, message);
}

/** The server URL to pair with or sync against. */
export function setServerUrl(db: Sqlite, serverUrl: string): void {
  db.prepare('UPDATE terminal_identity SET server_url = ? WHERE id = 1').run(serverUrl);
}

/** Keeps the clock offset measured at a sync (SYNC.md "Time"). */
export function setClockOffset(db: Sqlite, offsetMs: number, measuredAt: number): void {
  db.prepare('UPDATE terminal_identity SET clock_offset_ms = ?, clock_measured_at = ? WHERE id = 1').run(
    Math.round(offsetMs),
    measuredAt,
  );
}

/** Marks a full sync (push and pull of every stream) done at `at` (device time). */
export function markSynced(db: Sqlite, at: number): void {
  db.prepare('UPDATE terminal_identity SET last_sync_at = ? WHERE id = 1').run(at);
}

/** Marks a push that left the outbox empty. */
export function markPushed(db: Sqlite, at: number): void {
  db.prepare('UPDATE terminal_identity SET last_push_at = ? WHERE id = 1').run(at);
}

/**
 * Takes the next op sequence number. Call inside the transaction that writes the op: the
 * counter and the op commit together, so a number is never handed out twice, and one
 * rolled back was never seen by anyone.
 */
export function takeSeq(db: Sqlite): number {
  const row = db
    .prepare<[], { seq: number }>(
      'UPDATE terminal_identity SET next_seq = next_seq + 1 WHERE id = 1 RETURNING next_seq - 1 AS seq',
    )
    .get();
  if (!row) throw new Error('terminal_identity row is missing');
  return row.seq;
}

/** Takes the next human receipt number, in the transaction of the receipt. */
export function takeReceiptNumber(db: Sqlite): number {
  const row = db
    .prepare<[], { number: number }>(
      `UPDATE terminal_identity SET next_receipt_number = next_receipt_number + 1 WHERE id = 1
       RETURNING next_receipt_number - 1 AS number`,
    )
    .get();
  if (!row) throw new Error('terminal_identity row is missing');
  return row.number;
}

/**
 * Moves the sequence past what the server has already applied from this terminal id. A till
 * reinstalled on an empty database and paired again would otherwise start from 1 and have
 * every op answered as a conflict.
 */
export function raiseSeqFloor(db: Sqlite, appliedSeq: number): void {
  db.prepare('UPDATE terminal_identity SET next_seq = max(next_seq, ?) WHERE id = 1').run(appliedSeq + 1);
}
