// The programme most cabinet e2e files start from: the first card type sets the programme up, and
// the files need the same standard one, so it is made here rather than copied into each setup.
import type { ApiSession } from './api-session.ts';

/** The standard card type's rule: 2 % accrual, points kept a year, active at once, pay up to 100 %. */
export const standardRule = {
  accrual: { kind: 'percent', percent: 200 },
  expiry: { kind: 'days', days: 365 },
  activation: { kind: 'immediate' },
  payment: { kind: 'up_to', percent: 10_000, minPoints: 0 },
};

/** Creates the default card type "Стандартная" (rank 0); `accrualPercent` in basis points. */
export async function standardCardType(
  api: ApiSession,
  { accrualPercent = 200 }: { accrualPercent?: number } = {},
): Promise<{ id: string }> {
  return api<{ id: string }>('POST', '/api/v1/card-types', {
    name: 'Стандартная',
    rank: 0,
    threshold: null,
    issue: 'default',
    defaultRule: { ...standardRule, accrual: { kind: 'percent', percent: accrualPercent } },
  });
}
