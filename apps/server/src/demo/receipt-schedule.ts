// When, where and by whom each demo receipt is made: a year of shopping with weekly and daily
// rhythms, buyers drawn by how often they shop and how long they have been members, most of them
// at their home store, and a buyer who registered at a till buying right then.
import type { DemoBuyer } from './demo-buyers.ts';
import { localDayStart, localWeekday } from './local-day.ts';
import { WeightedPicker, type SeededRandom } from './seeded-random.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Share of receipts where the buyer did not identify themselves. */
const ANONYMOUS_SHARE = 0.12;
/** Share of an identified buyer's receipts made at their home store. */
const HOME_STORE_SHARE = 0.85;
/** Traffic by ISO weekday (index 1 = Monday): Friday and the weekend are busier. */
const WEEKDAY_TRAFFIC = [0, 0.9, 0.9, 0.95, 1, 1.15, 1.3, 1.1];
/** Traffic by local hour from 08:00 to 22:00: a lunch bump and the evening peak. */
const HOURLY_TRAFFIC = [1, 2, 3, 4, 5, 5, 4, 4, 5, 7, 9, 9, 7, 4, 1];
const FIRST_HOUR = 8;

/** Receipt i happens at times[i], by buyers[who[i]] (-1: anonymous), in stores[where[i]]. */
export type ReceiptSchedule = {
  times: Float64Array;
  who: Int32Array;
  where: Uint8Array;
  /** Receipt indices in time order. */
  order: number[];
};

/** Schedules `count` receipts over the year before `now`. */
export function scheduleReceipts(
  random: SeededRandom,
  options: { count: number; now: number; buyers: readonly DemoBuyer[]; storeTraffic: readonly number[] },
): ReceiptSchedule {
  const { count, now, buyers } = options;
  const from = now - 365 * DAY;
  const hourPicker = new WeightedPicker(HOURLY_TRAFFIC);
  const storePicker = new WeightedPicker(options.storeTraffic);

  /** A shopping moment in [start, end): a weighted weekday and hour, uniform within the hour. */
  const shoppingTime = (start: number, end: number): number => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const day = localDayStart(start + random.next() * (end - start));
      if (!random.chance((WEEKDAY_TRAFFIC[localWeekday(day)] ?? 1) / 1.3)) continue;
      const at = day + (FIRST_HOUR + hourPicker.pick(random)) * HOUR + random.int(0, HOUR - 1);
      if (at >= start && at < end) return at;
    }
    // A window of a few minutes (a buyer registered just now) rarely fits the weighting.
    return Math.floor(start + random.next() * (end - start));
  };

  const times = new Float64Array(count);
  const who = new Int32Array(count).fill(-1);
  const where = new Uint8Array(count);
  // A buyer's share of receipts: how often they shop times how long of the year they were members.
  const weights = buyers.map(
    (b) => (b.activity * Math.max(0, now - Math.max(b.registeredAt, from))) / (365 * DAY),
  );
  const buyerPicker = weights.some((w) => w > 0) ? new WeightedPicker(weights) : null;
  const firstReceipt = new Int32Array(buyers.length).fill(-1);
  for (let i = 0; i < count; i++) {
    const b = buyerPicker && !random.chance(ANONYMOUS_SHARE) ? buyerPicker.pick(random) : -1;
    const buyer = buyers[b];
    if (buyer) {
      times[i] = shoppingTime(Math.max(buyer.registeredAt, from), now);
      who[i] = b;
      where[i] = random.chance(HOME_STORE_SHARE) ? buyer.homeStore : storePicker.pick(random);
      const first = firstReceipt[b] ?? -1;
      if (first < 0 || (times[i] ?? 0) < (times[first] ?? 0)) firstReceipt[b] = i;
    } else {
      times[i] = shoppingTime(from, now);
      where[i] = storePicker.pick(random);
    }
  }
  // Most buyers who registered at a till this year bought there and then.
  firstReceipt.forEach((i, b) => {
    const buyer = buyers[b];
    if (i < 0 || !buyer || buyer.registeredAt < from || buyer.channel !== 'till') return;
    const at = buyer.registeredAt + random.int(1, 15) * 60_000;
    if (at < now && random.chance(0.8)) {
      times[i] = at;
      where[i] = buyer.homeStore;
    }
  });
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => (times[a] ?? 0) - (times[b] ?? 0) || a - b,
  );
  return { times, who, where, order };
}
