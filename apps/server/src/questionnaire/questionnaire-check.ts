// Checks a buyer profile against the merchant's questionnaire (D2): standard fields switched off,
// required fields left empty, answers of the wrong kind. Problems come back as data, path by path.
import { standardFieldNames } from '@loyalty/protocol/api/questionnaire.schema';
import type { QuestionnaireField, StandardFields } from './questionnaire.repository.ts';

/** One problem with one field, in the shape the error handler uses for schema issues. */
export type ProfileIssue = { path: string; code: string; message: string };

/** The profile fields a create or a change carries; undefined means "not given". */
export type ProfileInput = {
  firstName?: string | null;
  lastName?: string | null;
  middleName?: string | null;
  gender?: string | null;
  birthDate?: string | null;
  email?: string | null;
  answers?: Record<string, string | number | null>;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isBlank = (value: unknown): boolean => value === undefined || value === null || value === '';

/** True for a real calendar date 'YYYY-MM-DD' from 1900 on. */
function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value) || value < '1900-01-01') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function answerProblem(field: QuestionnaireField, value: string | number): ProfileIssue | null {
  const path = `body.answers.${field.key}`;
  switch (field.kind) {
    case 'text':
      return typeof value === 'string' ? null : { path, code: 'invalid_type', message: 'Ожидается текст' };
    case 'number':
      return typeof value === 'number' ? null : { path, code: 'invalid_type', message: 'Ожидается число' };
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? null
        : { path, code: 'invalid_type', message: 'Ожидается дата в формате ГГГГ-ММ-ДД' };
    case 'list':
      return typeof value === 'string' && (field.options ?? []).includes(value)
        ? null
        : {
            path,
            code: 'invalid_option',
            message: `Выберите один из вариантов: ${(field.options ?? []).join(', ')}`,
          };
  }
}

/**
 * Problems with a profile. On create every required field must be filled; on update only the
 * fields given are checked, so a field made required later does not block unrelated changes.
 */
export function checkProfile(
  questionnaire: { standardFields: StandardFields; fields: readonly QuestionnaireField[] },
  input: ProfileInput,
  mode: 'create' | 'update',
  today: string,
): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  for (const name of standardFieldNames) {
    const setting = questionnaire.standardFields[name];
    const value = input[name];
    const path = `body.${name}`;
    if (!setting.enabled && !isBlank(value))
      issues.push({ path, code: 'field_disabled', message: 'Поле выключено в настройках анкеты' });
    else if (
      setting.enabled &&
      setting.required &&
      isBlank(value) &&
      (mode === 'create' || value !== undefined)
    )
      issues.push({ path, code: 'required', message: 'Обязательное поле анкеты' });
  }
  if (input.birthDate && input.birthDate > today)
    issues.push({ path: 'body.birthDate', code: 'invalid_date', message: 'Дата рождения в будущем' });

  const answers = input.answers ?? {};
  const byKey = new Map(questionnaire.fields.map((field) => [field.key, field]));
  for (const [key, value] of Object.entries(answers)) {
    const field = byKey.get(key);
    const path = `body.answers.${key}`;
    if (!field) issues.push({ path, code: 'unknown_field', message: 'Нет такого поля анкеты' });
    else if (!field.enabled && !isBlank(value))
      issues.push({ path, code: 'field_disabled', message: 'Поле выключено в настройках анкеты' });
    else if (isBlank(value)) {
      if (field.enabled && field.required)
        issues.push({ path, code: 'required', message: 'Обязательное поле анкеты' });
    } else if (value !== null) {
      const problem = answerProblem(field, value);
      if (problem) issues.push(problem);
    }
  }
  if (mode === 'create')
    for (const field of questionnaire.fields)
      if (field.enabled && field.required && !(field.key in answers))
        issues.push({
          path: `body.answers.${field.key}`,
          code: 'required',
          message: 'Обязательное поле анкеты',
        });
  return issues;
}
