// Calls a handler by name for a transport. Unknown names and thrown bugs become plain-data
// problems too, so an HTTP or WebSocket client always gets `{ ok, value | error }`.
import type { Problem, Result } from '@loyalty/core/shared/result';
import type { TerminalHandlers } from '#core/handlers/terminal-handlers.ts';
import { TerminalError } from '#core/shared/terminal-error.ts';

/** The answer of a dispatched call, and whether it was a bug (logged, HTTP 500). */
export type Dispatched = { result: Result<unknown, Problem>; kind: 'ok' | 'unknown' | 'bug' };

/** True when `name` is a handler of the map (own property, not something from the prototype). */
export const isHandlerName = (handlers: TerminalHandlers, name: string): name is keyof TerminalHandlers =>
  Object.hasOwn(handlers, name);

/** Runs one call. */
export async function dispatch(
  handlers: TerminalHandlers,
  name: string,
  args: unknown,
  log: (message: string) => void,
): Promise<Dispatched> {
  if (!isHandlerName(handlers, name))
    return {
      kind: 'unknown',
      result: {
        ok: false,
        error: {
          code: TerminalError.unknownHandler,
          message: `Неизвестная команда терминала: ${name}`,
          details: { handlers: Object.keys(handlers) },
        },
      },
    };
  try {
    // Each handler validates its own arguments; the map is called through a common signature.
    const handler = handlers[name] as (args: unknown) => Promise<Result<unknown, Problem>>;
    return { kind: 'ok', result: await handler(args) };
  } catch (error) {
    log(`handler ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return {
      kind: 'bug',
      result: {
        ok: false,
        error: {
          code: 'internal_error',
          message:
            'Внутренняя ошибка терминала. Повторите действие; если не поможет — перезапустите программу кассы.',
        },
      },
    };
  }
}
