// Every handler validates its arguments with zod before it runs: they arrive from the renderer,
// from HTTP and from third-party tills, and none of them is trusted.
import type { z } from 'zod';
import { err, type Problem } from '@loyalty/core/shared/result';
import { invalidInput, parseInput } from '@loyalty/core/shared/validation';
import type { HandlerResult } from '#core/shared/terminal-error.ts';

/** A handler: plain JSON arguments in, a result value or an expected failure out. */
export type Handler<A, R> = (args: A) => Promise<HandlerResult<R>>;

/** A handler whose arguments are parsed with `schema` (Russian messages, every issue at once). */
export function defineHandler<S extends z.ZodType, R>(
  what: string,
  schema: S,
  run: (args: z.output<S>) => Promise<HandlerResult<R>> | HandlerResult<R>,
): Handler<z.input<S>, R> {
  return async (args) => {
    const parsed = parseInput(schema, args ?? {});
    if (!parsed.ok) return err<Problem>(invalidInput(what, parsed.issues));
    return run(parsed.value);
  };
}
