// Checks a return against its receipt and the returns booked before it, collecting every problem
// at once: the cashier fixes them in one go instead of discovering them one by one.
import type { z } from 'zod';
import { formatMinor } from '#money/money.ts';
import { err, ok } from '#shared/result.ts';
import type { Result } from '#shared/result.ts';
import { formatPath } from '#shared/validation.ts';
import { formatQuantity, invalidReturn, RETURN_ISSUE_CODES } from './return-problems.ts';
import type { InvalidReturnProblem, ReturnIssue } from './return-problems.ts';
import {
  previousReturnsSchema,
  returnBasisSchema,
  returnRequestLineSchema,
  returnRequestSchema,
} from './return.schema.ts';
import type { ReturnBasis, ReturnRequest, ReturnRequestLine } from './return.types.ts';

/** A receipt whose history checks out: how much of each line is already returned, in thousandths. */
export type ValidatedHistory = { readonly basis: ReturnBasis; readonly returnedBefore: readonly number[] };

/** A return that can be booked as asked. */
export type ValidatedReturn = ValidatedHistory & { readonly request: ReturnRequest };

type Source = 'request' | 'basis' | 'previousReturns';

const FIELD_NAMES: Readonly<Record<string, string>> = {
  index: 'номер строки чека',
  quantity: 'количество',
  amount: 'сумма',
  pointsPaid: 'оплата баллами',
  paidMoney: 'оплата деньгами',
  accrual: 'начислено баллов',
  key: 'ключ',
  points: 'баллы',
  lines: 'список строк',
  receiptAccruals: 'начисления на чек',
};

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  number: 'ожидается число',
  array: 'ожидается список',
  object: 'ожидается объект',
  string: 'ожидается строка',
};

/** Names the place of a zod issue in words a cashier reads, e.g. "строка возврата 2, количество". */
function describePlace(source: Source, path: readonly PropertyKey[]): string {
  const lineWord = { request: 'строка возврата', basis: 'строка чека', previousReturns: 'строка' }[source];
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (source === 'previousReturns' && i === 0 && typeof key === 'number') parts.push(`возврат ${key + 1}`);
    else if (key === 'lines' && typeof next === 'number') {
      parts.push(`${lineWord} ${next + 1}`);
      i++;
    } else if (key === 'receiptAccruals' && typeof next === 'number') {
      parts.push(`начисление на чек ${next + 1}`);
      i++;
    } else if (typeof key === 'string') parts.push(FIELD_NAMES[key] ?? key);
  }
  return parts.length > 0 ? parts.join(', ') : 'данные';
}

/** Says what is wrong with the value, in Russian. */
function describeZodProblem(issue: z.core.$ZodIssue): string {
  const field = issue.path.at(-1);
  // Only the kinds our schemas can raise get their own words; the rest share a generic one.
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'int') {
      return field === 'quantity' ? 'не больше трёх знаков после запятой' : 'нужно целое число';
    }
    if (issue.input === undefined) return 'не заполнено';
    return EXPECTED_NAMES[issue.expected] ?? 'неверное значение';
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'string') return 'не может быть пустым';
    return Number(issue.minimum) > 0 ? 'должно быть больше нуля' : 'не может быть отрицательным';
  }
  if (issue.code === 'too_big') {
    return issue.origin === 'array' ? 'слишком много элементов' : `не больше ${String(issue.maximum)}`;
  }
  return 'неверное значение';
}

function issueFromZod(source: Source, issue: z.core.$ZodIssue): ReturnIssue {
  const code =
    issue.code === 'invalid_type' && issue.expected === 'int'
      ? RETURN_ISSUE_CODES.notInteger
      : issue.code === 'too_small' || issue.code === 'too_big'
        ? RETURN_ISSUE_CODES.outOfRange
        : RETURN_ISSUE_CODES.invalidValue;
  const place = describePlace(source, issue.path);
  const problem = describeZodProblem(issue);
  const message =
    source === 'request'
      ? `${place.charAt(0).toUpperCase()}${place.slice(1)}: ${problem}.`
      : source === 'basis'
        ? `Данные чека повреждены (${place}: ${problem}), обратитесь к администратору.`
        : `История возвратов по чеку повреждена (${place}: ${problem}), обратитесь к администратору.`;
  return { path: formatPath([source, ...issue.path]), code, message };
}

/** Parses with `schema`; on failure adds every zod issue, located under `source`. */
function parseInto<S extends z.ZodType>(
  schema: S,
  source: Source,
  input: unknown,
  issues: ReturnIssue[],
): z.output<S> | undefined {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) issues.push(issueFromZod(source, issue));
  return undefined;
}

/** The raw `lines` array of a request-shaped value, if it has one. */
function rawLines(input: unknown): readonly unknown[] | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const lines: unknown = (input as { lines?: unknown }).lines;
  return Array.isArray(lines) ? (lines as unknown[]) : undefined;
}

/** The well-formed lines of a request-shaped value, with their positions, even when others are broken. */
function wellFormedLines(input: unknown): Array<{ position: number; line: ReturnRequestLine }> {
  const found: Array<{ position: number; line: ReturnRequestLine }> = [];
  for (const [position, raw] of (rawLines(input) ?? []).entries()) {
    const parsed = returnRequestLineSchema.safeParse(raw);
    if (parsed.success) found.push({ position, line: parsed.data });
  }
  return found;
}

function checkBasis(basis: ReturnBasis, issues: ReturnIssue[]): void {
  let total = 0;
  for (const [i, line] of basis.lines.entries()) {
    total += line.amount;
    // Returns split pointsPaid and paidMoney separately and add them up to get the amount, so the
    // full return only comes back to the line amount if the receipt obeyed this sum.
    if (line.amount !== line.pointsPaid + line.paidMoney) {
      issues.push({
        path: formatPath(['basis', 'lines', i]),
        code: RETURN_ISSUE_CODES.basisInconsistent,
        message:
          `Данные чека повреждены: в строке ${i + 1} сумма ${formatMinor(line.amount)} не равна ` +
          `оплате баллами ${formatMinor(line.pointsPaid)} плюс оплате деньгами ${formatMinor(line.paidMoney)}, ` +
          'обратитесь к администратору.',
        details: { line: i, amount: line.amount, pointsPaid: line.pointsPaid, paidMoney: line.paidMoney },
      });
    }
  }
  if (!Number.isSafeInteger(total)) {
    issues.push({
      path: formatPath(['basis', 'lines']),
      code: RETURN_ISSUE_CODES.basisInconsistent,
      message: 'Данные чека повреждены: сумма чека слишком велика для расчёта, обратитесь к администратору.',
    });
  }
  const firstAt = new Map<string, number>();
  for (const [j, accrual] of basis.receiptAccruals.entries()) {
    const first = firstAt.get(accrual.key);
    if (first === undefined) {
      firstAt.set(accrual.key, j);
      continue;
    }
    // Reversals are booked per key, so two accruals under one key could not be told apart.
    issues.push({
      path: formatPath(['basis', 'receiptAccruals', j, 'key']),
      code: RETURN_ISSUE_CODES.basisInconsistent,
      message: `Данные чека повреждены: начисление «${accrual.key}» указано дважды, обратитесь к администратору.`,
      details: { key: accrual.key, firstAt: first },
    });
  }
}

/** Sums earlier returns per line; undefined when the basis or the history is broken. */
function checkHistory(
  basis: ReturnBasis | undefined,
  previousInput: unknown,
  issues: ReturnIssue[],
): number[] | undefined {
  const before = issues.length;
  const history = parseInto(previousReturnsSchema, 'previousReturns', previousInput, issues);
  if (basis === undefined) return undefined;
  const returned = basis.lines.map(() => 0);
  // Earlier returns were checked when booked, so a line listed twice in one of them is summed,
  // not refused: blocking every later return of the receipt over it would help nobody.
  const earlier = Array.isArray(previousInput) ? (previousInput as unknown[]) : [];
  for (const [r, previous] of earlier.entries()) {
    for (const { position, line } of wellFormedLines(previous)) {
      if (line.index < returned.length) {
        returned[line.index] = (returned[line.index] ?? 0) + line.quantity;
        continue;
      }
      issues.push({
        path: formatPath(['previousReturns', r, 'lines', position, 'index']),
        code: RETURN_ISSUE_CODES.previousReturnsInconsistent,
        message: `История возвратов по чеку повреждена: возврат ${r + 1} указывает строку ${line.index + 1}, которой нет в чеке, обратитесь к администратору.`,
        details: { index: line.index, lineCount: basis.lines.length },
      });
    }
  }
  for (const [i, line] of basis.lines.entries()) {
    const already = returned[i] ?? 0;
    if (already <= line.quantity) continue;
    issues.push({
      path: formatPath(['previousReturns']),
      code: RETURN_ISSUE_CODES.previousReturnsInconsistent,
      message: `История возвратов по чеку повреждена: по строке ${i + 1} возвращено ${formatQuantity(already)} при проданных ${formatQuantity(line.quantity)}, обратитесь к администратору.`,
      details: { index: i, returned: already, sold: line.quantity },
    });
  }
  return history !== undefined && issues.length === before ? returned : undefined;
}

function checkRequest(
  basis: ReturnBasis | undefined,
  returnedBefore: readonly number[] | undefined,
  requestInput: unknown,
  issues: ReturnIssue[],
): void {
  if (rawLines(requestInput)?.length === 0) {
    issues.push({
      path: formatPath(['request', 'lines']),
      code: RETURN_ISSUE_CODES.emptyReturn,
      message: 'Не выбрано ни одной строки для возврата: отметьте возвращаемые товары и укажите количество.',
    });
  }
  const firstPosition = new Map<number, number>();
  for (const { position, line } of wellFormedLines(requestInput)) {
    const first = firstPosition.get(line.index);
    if (first !== undefined) {
      issues.push({
        path: formatPath(['request', 'lines', position, 'index']),
        code: RETURN_ISSUE_CODES.duplicateLine,
        message: `Строка чека ${line.index + 1} указана в возврате дважды (строки возврата ${first + 1} и ${position + 1}): оставьте одну строку с общим количеством.`,
        details: { index: line.index, firstPosition: first },
      });
      continue;
    }
    firstPosition.set(line.index, position);
    if (basis === undefined) continue;
    const sold = basis.lines[line.index]?.quantity;
    if (sold === undefined) {
      issues.push({
        path: formatPath(['request', 'lines', position, 'index']),
        code: RETURN_ISSUE_CODES.unknownLine,
        message: `Строка возврата ${position + 1}: в чеке нет строки ${line.index + 1} (всего строк ${basis.lines.length}), выберите строку из чека.`,
        details: { index: line.index, lineCount: basis.lines.length },
      });
      continue;
    }
    // Without a trustworthy history the remaining quantity is unknown; the history issue says why.
    if (returnedBefore === undefined) continue;
    const remaining = sold - (returnedBefore[line.index] ?? 0);
    if (line.quantity <= remaining) continue;
    issues.push({
      path: formatPath(['request', 'lines', position, 'quantity']),
      code: RETURN_ISSUE_CODES.quantityExceedsRemaining,
      message:
        remaining === 0
          ? `Строка чека ${line.index + 1} уже возвращена полностью: уберите её из возврата.`
          : `Строка чека ${line.index + 1}: можно вернуть не больше ${formatQuantity(remaining)}, указано ${formatQuantity(line.quantity)}; уменьшите количество.`,
      details: { index: line.index, requested: line.quantity, remaining },
    });
  }
}

/** Parses and checks the receipt and its history, adding every problem to `issues`. */
function collectHistory(
  basis: unknown,
  previousReturns: unknown,
  issues: ReturnIssue[],
): { basis: ReturnBasis | undefined; returnedBefore: number[] | undefined } {
  const parsedBasis = parseInto(returnBasisSchema, 'basis', basis, issues);
  if (parsedBasis !== undefined) checkBasis(parsedBasis, issues);
  return { basis: parsedBasis, returnedBefore: checkHistory(parsedBasis, previousReturns, issues) };
}

/** Checks a receipt and its earlier returns; answers how much of each line is already returned. */
export function validateHistory(
  basis: ReturnBasis,
  previousReturns: readonly ReturnRequest[],
): Result<ValidatedHistory, InvalidReturnProblem> {
  const issues: ReturnIssue[] = [];
  const history = collectHistory(basis, previousReturns, issues);
  if (issues.length > 0) return err(invalidReturn(issues));
  if (history.basis === undefined || history.returnedBefore === undefined) {
    throw new Error('validated history is incomplete');
  }
  return ok({ basis: history.basis, returnedBefore: history.returnedBefore });
}

/** Checks a return request against its receipt and earlier returns, listing every problem found. */
export function validateReturn(
  basis: ReturnBasis,
  previousReturns: readonly ReturnRequest[],
  request: ReturnRequest,
): Result<ValidatedReturn, InvalidReturnProblem> {
  const issues: ReturnIssue[] = [];
  const history = collectHistory(basis, previousReturns, issues);
  const parsedRequest = parseInto(returnRequestSchema, 'request', request, issues);
  checkRequest(history.basis, history.returnedBefore, request, issues);
  if (issues.length > 0) return err(invalidReturn(issues));
  if (history.basis === undefined || history.returnedBefore === undefined || parsedRequest === undefined) {
    throw new Error('validated return is incomplete');
  }
  return ok({ basis: history.basis, returnedBefore: history.returnedBefore, request: parsedRequest });
}
