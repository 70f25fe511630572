// The one way the cabinet reaches the server: the public REST API v1 with the session cookie,
// plus the session's CSRF token on every write (apps/server/src/auth/auth.plugin.ts).
import type { z } from 'zod';

/** The error body every API route answers with (STYLE rule 8). */
export type ApiErrorBody = { code: string; message: string; details: unknown };

/** A failed call carries the server's `{ code, message, details }` and the HTTP status. */
export type ApiFailure = Error & ApiErrorBody & { status: number };

const API = '/api/v1';
let csrfToken: string | null = null;

/** Remembered from login and from /auth/me; writes send it as X-CSRF-Token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Plain-data check, never `instanceof`: errors are data (STYLE rule 8). */
export function isApiFailure(error: unknown): error is ApiFailure {
  return typeof error === 'object' && error !== null && 'status' in error && 'code' in error;
}

function failure(status: number, body: Partial<ApiErrorBody>): ApiFailure {
  const error = new Error(body.message ?? `HTTP ${status}`) as ApiFailure;
  error.status = status;
  error.code = body.code ?? 'http_error';
  error.details = body.details ?? null;
  return error;
}

type QueryValue = string | number | boolean | readonly string[] | null | undefined;
/** Query parameters; empty values are left out, lists go comma-separated as the schemas accept. */
export type Query = Record<string, QueryValue>;

/** `path?query` with empty values dropped. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const parsed = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
    throw failure(response.status, parsed);
  }
  return response;
}

/** Calls the API and checks the answer against the route's own response schema (packages/protocol). */
export async function api<S extends z.ZodType>(
  schema: S,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<z.output<S>> {
  const response = await send(method, path, body);
  return schema.parse(await response.json());
}

/** A call answered with 204 No Content. */
export async function apiNoContent(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) {
  await send(method, path, body);
}

/** Downloads a file route (exports) through the same session and saves it under its server name. */
export async function download(path: string): Promise<void> {
  const response = await send('GET', path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? 'export.xlsx';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = decodeURIComponent(name);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Uploads one file as multipart/form-data (field `file`) and reports the upload's progress (0..1).
 * XMLHttpRequest, not fetch: only it tells how much of the body has been sent.
 */
export function upload<S extends z.ZodType>(
  schema: S,
  path: string,
  file: Blob & { name?: string },
  onProgress?: (share: number) => void,
): Promise<z.output<S>> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${API}${path}`);
    request.setRequestHeader('accept', 'application/json');
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(failure(0, { code: 'network_error', message: 'Network error' }));
    request.onload = () => {
      let body: unknown = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // An empty or non-JSON body: the status alone says what happened.
      }
      if (request.status < 200 || request.status >= 300) {
        reject(failure(request.status, body as Partial<ApiErrorBody>));
        return;
      }
      const parsed = schema.safeParse(body);
      if (parsed.success) resolve(parsed.data);
      else reject(failure(request.status, { code: 'invalid_response', message: parsed.error.message }));
    };
    const form = new FormData();
    form.append('file', file, file.name ?? 'upload');
    request.send(form);
  });
}
