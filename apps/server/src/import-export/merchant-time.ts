// The merchant's calendar for exports and date filters: spreadsheets have no time zones, so an
// instant is written as the wall clock of the merchant's zone, and a day filter runs from local
// midnight to local midnight.
import { instantOfLocal, zoneOffset } from '@loyalty/core/time/zoned-time';

/** The instant as a zone-less date showing the merchant's wall clock (how Excel holds times). */
export const wallClock = (instant: Date, timeZone: string): Date =>
  new Date(instant.getTime() + zoneOffset(instant.getTime(), timeZone));

/** A calendar date 'YYYY-MM-DD' as a zone-less spreadsheet date. */
export const calendarDate = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** Local midnight starting `date` ('YYYY-MM-DD'), shifted by `days`, in the merchant's zone. */
export function localMidnight(date: string, timeZone: string, days = 0): Date {
  const [y = 0, m = 0, d = 0] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d + days));
  return new Date(instantOfLocal(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()));
}
