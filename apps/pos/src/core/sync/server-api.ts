// HTTP calls to the server's sync endpoints: JSON in and out, a time limit on every call, the
// answer checked with the protocol's zod schema, and failures turned into values the sync client
// can act on (network down, token refused, server error).
import type { z } from 'zod';
import type { Problem } from '@loyalty/core/shared/result';
import { TerminalError } from '#core/shared/terminal-error.ts';

/** What a call came to; `status` is null when no HTTP answer arrived at all. */
export type ApiOutcome<T> =
  | { ok: true; value: T; sentAt: number; receivedAt: number }
  | { ok: false; error: Problem; status: number | null };

/** The request options of one call. */
export type ApiRequest<S extends z.ZodType> = {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: S;
  token?: string | null;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 15_000;

const unreachable = (serverUrl: string, reason: string): Problem => ({
  code: TerminalError.serverUnreachable,
  message: `Сервер ${serverUrl} недоступен (${reason}). Продажи продолжаются офлайн; данные отправятся при появлении связи.`,
});

/** Joins the server URL and an API path, keeping any path prefix the URL has. */
export function apiUrl(serverUrl: string, path: string, query?: ApiRequest<z.ZodType>['query']): URL {
  const url = new URL(path.replace(/^\//, ''), serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/** Calls the server; never throws for network or protocol failures. */
export async function callServer<S extends z.ZodType>(
  serverUrl: string,
  request: ApiRequest<S>,
  deviceNow: () => number = Date.now,
): Promise<ApiOutcome<z.output<S>>> {
  const url = apiUrl(serverUrl, request.path, request.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const sentAt = deviceNow();
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'нет ответа' : describeNetworkError(error);
    return { ok: false, error: unreachable(serverUrl, reason), status: null };
  }
  let body: unknown;
  try {
    const text = await response.text();
    body = text === '' ? null : JSON.parse(text);
  } catch (error) {
    if (!response.ok || !(error instanceof SyntaxError))
      return { ok: false, error: unreachable(serverUrl, describeNetworkError(error)), status: null };
    body = null;
  }
  const receivedAt = deviceNow();
  if (!response.ok) return { ok: false, error: problemOf(response.status, body), status: response.status };
  const parsed = request.schema.safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        code: TerminalError.serverError,
        message: 'Сервер ответил в неожиданном формате: обновите программу терминала.',
        details: { path: request.path, issues: parsed.error.issues.slice(0, 10) },
      },
      status: response.status,
    };
  return { ok: true, value: parsed.data, sentAt, receivedAt };
}

function problemOf(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'code' in body && 'message' in body) {
    const { code, message, details } = body as { code: unknown; message: unknown; details?: unknown };
    if (typeof code === 'string' && typeof message === 'string')
      return details === undefined || details === null ? { code, message } : { code, message, details };
  }
  return {
    code: TerminalError.serverError,
    message: `Сервер ответил ошибкой ${status}. Повторите позже или обратитесь к администратору.`,
  };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'ошибка сети';
  const cause = (error as Error & { cause?: { code?: string } }).cause;
  return cause?.code ?? error.message;
}
