// Who is at the till. Kept in memory only: a restarted core asks for the access code again.
// Repeated wrong codes lock login for a while, since six digits are quick to guess.

/** The logged-in cashier. */
export type CashierOnDuty = {
  readonly cashierId: string;
  readonly name: string;
  readonly role: 'cashier' | 'senior';
  readonly loggedInAt: number;
};

const MAX_FAILURES = 5;
const LOCK_MS = 60_000;

/** The session of this terminal. */
export class CashierSession {
  private onDuty: CashierOnDuty | null = null;
  private failures = 0;
  private lockedUntil = 0;

  current(): CashierOnDuty | null {
    return this.onDuty;
  }
  login(cashier: CashierOnDuty): void {
    this.onDuty = cashier;
    this.failures = 0;
  }
  logout(): void {
    this.onDuty = null;
  }
  /** Milliseconds until login is allowed again (0: allowed). */
  lockedFor(now: number): number {
    return Math.max(0, this.lockedUntil - now);
  }
  recordFailure(now: number): void {
    this.failures++;
    if (this.failures >= MAX_FAILURES) {
      this.failures = 0;
      this.lockedUntil = now + LOCK_MS;
    }
  }
}
