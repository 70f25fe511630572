// One line per rule cell of the matrix: accrual (with its base and rounding when not the default),
// payment with points, expiry, discount. Percents are basis points (10000 = 100 %), amounts
// kopecks, points hundredths (README "Conventions").
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { ruleBodySchema } from '@loyalty/protocol/api/programme.schema';
import type { Formatters } from '#format/formatters.ts';

/** A rule as the programme answers it (without its id). */
export type RuleBody = z.output<typeof ruleBodySchema>;

/** A short description of what a rule cell does. */
export function ruleSummary(rule: RuleBody, t: TFunction, format: Formatters): string {
  const parts: string[] = [];
  switch (rule.accrual.kind) {
    case 'none':
      parts.push(t('programme.cell.noAccrual'));
      break;
    case 'percent':
      parts.push(t('programme.cell.accrual', { value: format.percent(rule.accrual.percent) }));
      break;
    case 'per_amount':
      parts.push(
        t('programme.cell.perAmount', {
          points: format.points(rule.accrual.points),
          money: format.money(rule.accrual.everyKopecks),
        }),
      );
      break;
    case 'progressive':
      parts.push(t('programme.cell.progressive', { count: rule.accrual.tiers.length }));
      break;
  }
  // The defaults (money paid, rounded down) go unsaid; a cell that differs says so.
  if (rule.accrual.kind !== 'none') {
    if (rule.accrualBase !== 'paid') parts.push(t(`programmeEditor.accrualBaseShort.${rule.accrualBase}`));
    if (rule.rounding !== 'down_whole') parts.push(t(`programmeEditor.roundingShort.${rule.rounding}`));
  }
  parts.push(
    rule.payment.kind === 'forbidden'
      ? t('programme.cell.noPayment')
      : t('programme.cell.payment', { value: format.percent(rule.payment.percent) }),
  );
  if (rule.expiry.kind === 'days') parts.push(t('programme.cell.expiryDays', { count: rule.expiry.days }));
  if (rule.expiry.kind === 'fixed_dates')
    parts.push(t('programmeEditor.expiryDatesSummary', { dates: rule.expiry.dates.join(', ') }));
  if (rule.discountPercent > 0)
    parts.push(t('programme.cell.discount', { value: format.percent(rule.discountPercent) }));
  return parts.join(' · ');
}
