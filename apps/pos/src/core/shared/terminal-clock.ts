// Two clocks: the device's own (for local timers and "how long since") and the device's corrected
// by the offset measured at each sync (for instants sent to the server and priced with).
// Order never depends on either: sequence numbers order ops (ARCHITECTURE "Clocks").

/** The terminal's view of time. */
export type TerminalClock = {
  /** The device clock, epoch ms. */
  readonly deviceNow: () => number;
  /** Server time as best known: device time plus the measured offset. */
  readonly now: () => number;
  readonly offsetMs: () => number;
  readonly setOffset: (offsetMs: number) => void;
};

/** A clock over `deviceNow` (injectable for tests) starting at the stored offset. */
export function createClock(initialOffsetMs: number, deviceNow: () => number = Date.now): TerminalClock {
  let offset = initialOffsetMs;
  return {
    deviceNow,
    now: () => deviceNow() + offset,
    offsetMs: () => offset,
    setOffset: (value) => {
      offset = Math.round(value);
    },
  };
}

/** SYNC.md "Time": offset = serverTime - (sentAt + receivedAt) / 2, all device-clock times but the server's. */
export const measureOffset = (serverTime: number, sentAt: number, receivedAt: number): number =>
  Math.round(serverTime - (sentAt + receivedAt) / 2);
