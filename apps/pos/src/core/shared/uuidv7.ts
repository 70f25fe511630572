// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness. Receipts and ops get ids
// made on the till, so they sort by creation and never need a server round trip to exist.
import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/**
 * A new UUIDv7. Within one millisecond the 12-bit `rand_a` field counts up from a random start
 * (RFC 9562 method 1), so ids made by this process are strictly increasing even in a burst.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  let ms = Math.max(Math.floor(nowMs), lastMs);
  if (ms === lastMs) {
    counter++;
    // 4096 ids in one millisecond: borrow the next millisecond rather than wrap around.
    if (counter > 0xfff) {
      ms++;
      counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
    }
  } else {
    // Start low in the range so a burst has room to count up.
    counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond timestamp a UUIDv7 was made at. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
