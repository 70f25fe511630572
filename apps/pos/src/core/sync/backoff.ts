// Retry delays for the sync client (SYNC.md "Push"): 1 s doubling to 60 s, with jitter so a shop
// full of tills coming back from the same outage does not knock on the server in step.

const BASE_MS = 1_000;
const MAX_MS = 60_000;

/** The delay before retry number `attempt` (0 for the first retry): half fixed, half random. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
