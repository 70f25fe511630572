// TEST-ONLY crash points for the fault-injection tests (apps/pos/integration/fault-*.test.ts):
// with LOYALTY_TEST_CRASH_AT=<point> the terminal process kills itself with SIGKILL at that point
// of a push, so a test can prove that nothing is lost or doubled across the crash. The variable
// is read once at start; unset (always, in production) every call is a no-op comparison.

/** Where the sync client may be told to die. */
export const CrashPoint = {
  /** Ops are committed and read from the outbox, the push request is not sent yet. */
  beforePush: 'before-push',
  /** The server answered the push (and committed), the ops are not marked done yet. */
  afterPushAnswer: 'after-push-answer',
} as const;
export type CrashPoint = (typeof CrashPoint)[keyof typeof CrashPoint];

const armed = process.env.LOYALTY_TEST_CRASH_AT ?? null;

/** Dies by SIGKILL when the test armed this point; does nothing otherwise. */
export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
