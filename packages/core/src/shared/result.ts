/** Expected failures travel as values; bugs are throws. */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E = Problem> = Ok<T> | Err<E>;

/** A failure as plain data, safe to send over IPC and HTTP. */
export type Problem = {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
};

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** Exhaustiveness check for `switch` over codes and kinds. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
