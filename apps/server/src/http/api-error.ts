// Errors that leave the server as `{ code, message, details? }`. A 4xx carries a message the
// caller can act on (Russian for people); a 5xx is logged with the request id, never explained.

/** Stable error codes of the REST API. */
export const ErrorCode = {
  invalidRequest: 'invalid_request',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  csrfFailed: 'csrf_failed',
  notFound: 'not_found',
  conflict: 'conflict',
  tooManyRequests: 'too_many_requests',
  internal: 'internal_error',
} as const;

/** An expected failure with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, ErrorCode.notFound, `${what} не найден(а)`);
export const forbidden = () =>
  new ApiError(
    403,
    ErrorCode.forbidden,
    'Недостаточно прав для этого действия. Обратитесь к администратору.',
  );
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, ErrorCode.conflict, message, details);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new ApiError(400, code, message, details);
