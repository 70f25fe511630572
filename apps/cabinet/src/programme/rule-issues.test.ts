// The cell editor puts the server's issues on its own fields (C3): the body's paths and the engine's
// bracketed ones map to form names, and another rule's issues stay out of the edited cell.
import { describe, expect, it } from 'vitest';
import { ruleIssues } from './rule-issues.ts';

describe('ruleIssues', () => {
  it('maps the edited rule’s paths to its form fields', () => {
    const { fields, others } = ruleIssues(
      {
        issues: [
          { path: 'body.rules.2.rounding', message: 'Неверное значение' },
          { path: 'body.rules.2.accrualBase', message: 'Выберите базу' },
          { path: 'body.rules.2.expiry.dates.0', message: 'Дата ММ-ДД' },
          { path: 'body.rules.2.expiry.dates.1', message: 'Дата ММ-ДД' },
          { path: 'body.rules.2.accrual.everyKopecks', message: 'Не меньше 1' },
          { path: 'body.rules.2.accrual.tiers.1.percent', message: 'Не больше 100 %' },
          { path: 'body.rules.2.payment.minPoints', message: 'Не меньше 0' },
          { path: 'rules[2].activation.days', message: 'Не больше 365' },
        ],
      },
      2,
    );
    expect(fields).toEqual([
      { name: ['rounding'], message: 'Неверное значение' },
      { name: ['accrualBase'], message: 'Выберите базу' },
      { name: ['expiryDates'], message: 'Дата ММ-ДД; Дата ММ-ДД' },
      { name: ['accrual', 'everyRoubles'], message: 'Не меньше 1' },
      { name: ['accrual', 'tiers', 1, 'percent'], message: 'Не больше 100 %' },
      { name: ['minPoints'], message: 'Не меньше 0' },
      { name: ['activationDays'], message: 'Не больше 365' },
    ]);
    expect(others).toEqual([]);
  });

  it('keeps other rules’ and whole-matrix issues apart', () => {
    const { fields, others } = ruleIssues(
      {
        issues: [
          { path: 'body.rules.0.rounding', message: 'Чужое правило' },
          { path: 'rules[3]', message: 'Правило задано дважды' },
          { path: 'body.rules', message: 'Слишком много правил' },
        ],
      },
      3,
    );
    expect(fields).toEqual([]);
    expect(others).toEqual(['Чужое правило', 'Правило задано дважды', 'Слишком много правил']);
    expect(ruleIssues(null, 0)).toEqual({ fields: [], others: [] });
  });
});
