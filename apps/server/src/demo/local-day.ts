// Local days of the demo shop. Moscow, Kazan and St Petersburg keep UTC+3 all year (no daylight
// saving since 2014), so a fixed offset gives the same days as the merchant's time zone.
const DAY = 86_400_000;

/** The shop's offset from UTC. */
const LOCAL_OFFSET = 3 * 3_600_000;

/** The start of the local day holding `instant`. */
export const localDayStart = (instant: number): number =>
  Math.floor((instant + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;

/** The number of the local day holding `instant` (days since 1970-01-01, local). */
export const localDayNumber = (instant: number): number => Math.floor((instant + LOCAL_OFFSET) / DAY);

/** The local hour (0-23) of `instant`. */
export const localHour = (instant: number): number =>
  Math.floor(((instant + LOCAL_OFFSET) % DAY) / 3_600_000);

/** The ISO weekday (1 = Monday) of the local day holding `instant`; 1970-01-01 was a Thursday. */
export const localWeekday = (instant: number): number =>
  ((Math.floor((instant + LOCAL_OFFSET) / DAY) + 3) % 7) + 1;
