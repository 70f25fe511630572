// Turns zod failures into the `{ code, message, details }` shape every boundary answers with.
import { z } from 'zod';
import type { Problem } from './result.ts';
import { countErrors } from './russian-plural.ts';

/** One problem with an input, located by its path. */
export type InputIssue = { readonly path: string; readonly code: string; readonly message: string };

/** Formats a path like lines[3].price. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Every issue zod found, with its path and code. */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): InputIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    code: issue.code,
    message: issue.message,
  }));
}

/** The problem answered for invalid input: all issues at once, never just the first. */
export function invalidInput(what: string, issues: readonly InputIssue[]): Problem {
  return {
    code: 'invalid_input',
    message: `Неверные данные (${what}): ${countErrors(issues.length)}. Исправьте поля, указанные в деталях.`,
    details: { issues },
  };
}

const russian = z.locales.ru().localeError;

/** Parses with Russian messages (cashiers and managers read them); never throws. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { ok: true; value: z.output<S> } | { ok: false; issues: InputIssue[] } {
  const parsed = schema.safeParse(data, { error: russian });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: issuesFromZod(parsed.error) };
}
