// The core's `invalid_input` answer laid onto a form: each issue's path (`local.slip.footer[0]`)
// names the field under the setting's prefix, so its Russian message shows next to that field.
import type { FormInstance } from 'antd';

type Issue = { readonly path: string; readonly message: string };

/** The issues of an answer's error (empty for other errors). */
export function issuesOf(error: { details?: unknown }): Issue[] {
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues)
    ? issues.filter(
        (i): i is Issue =>
          typeof (i as Issue | null)?.path === 'string' && typeof (i as Issue | null)?.message === 'string',
      )
    : [];
}

/**
 * Sets the messages of the issues under `prefix` on the form's fields (`fields` are the names the
 * form has); answers the messages no field took, for a note above the form.
 */
export function showIssues<T>(
  form: FormInstance<T>,
  error: { message: string; details?: unknown },
  prefix: string,
  fields: readonly string[],
): string[] {
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const issue of issuesOf(error)) {
    const field = issue.path.startsWith(prefix)
      ? issue.path.slice(prefix.length).split(/[.[]/)[0]
      : undefined;
    if (field && fields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), issue.message]);
    else rest.push(issue.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return byField.size > 0 ? rest : [error.message, ...rest];
}

/** The note above the form: the messages no field took, else `fixFields` ("fix the marked fields"). */
export function noteOf(rest: readonly string[], fixFields: string): string {
  return rest.length > 0 ? rest.join(' ') : fixFields;
}
