// The server's answer to a refused rules matrix (PUT /programme/rules) put on the cell editor's
// fields: request validation names the body (`body.rules.3.expiry.dates.0`), the engine's check
// names the snapshot (`rules[3].cardTypeId`). Only the edited rule's issues belong to the editor;
// the rest are shown above it as a list.

export type RuleFieldIssue = { name: (string | number)[]; message: string };

/** The form field of a rule path (the part after `rules.N.`); null for what no field shows. */
function fieldOf(parts: string[]): (string | number)[] | null {
  const [head, sub, ...rest] = parts;
  switch (head) {
    case 'accrual':
      if (sub === 'everyKopecks') return ['accrual', 'everyRoubles'];
      if (sub === 'percent' || sub === 'points') return ['accrual', sub];
      if (sub === 'tiers' && rest[0] !== undefined && rest[1] !== undefined)
        return ['accrual', 'tiers', Number(rest[0]), rest[1]];
      return ['accrual', 'kind'];
    case 'payment':
      if (sub === 'percent') return ['paymentPercent'];
      if (sub === 'minPoints') return ['minPoints'];
      return ['paymentKind'];
    case 'expiry':
      if (sub === 'days') return ['expiryDays'];
      if (sub === 'dates') return ['expiryDates'];
      return ['expiryKind'];
    case 'activation':
      return ['activationDays'];
    case 'discountPercent':
    case 'rounding':
    case 'accrualBase':
      return [head];
    case undefined:
    default:
      return null;
  }
}

/**
 * Splits the issues of a refused rules write into those on the fields of the rule at `index` of
 * the body and the messages of the others (another rule, the matrix as a whole).
 */
export function ruleIssues(details: unknown, index: number): { fields: RuleFieldIssue[]; others: string[] } {
  const fields: RuleFieldIssue[] = [];
  const others: string[] = [];
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return { fields, others };
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    const message = typeof issue.message === 'string' ? issue.message : '';
    const path = typeof issue.path === 'string' ? issue.path : '';
    const parts = path
      .replace(/^body\.?/, '')
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter((part) => part.length > 0);
    const name = parts[0] === 'rules' && parts[1] === String(index) ? fieldOf(parts.slice(2)) : null;
    if (name) {
      const same = fields.find((f) => f.name.join('.') === name.join('.'));
      if (same) same.message = `${same.message}; ${message}`;
      else fields.push({ name, message });
    } else if (message) others.push(message);
  }
  return { fields, others };
}
