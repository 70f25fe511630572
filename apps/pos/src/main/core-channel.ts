// Message framing between Electron's main process and the terminal core in its utility process
// (issue 5, A11). Plain data only, so the same code runs over Electron's parentPort, a Node
// child_process IPC channel or a MessageChannel; nothing here imports Electron.
import { z } from 'zod';

/** One end of a message channel: send a structured-clonable value, listen for values. */
export type CorePort = {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
};

/** A call of a handler of the map, from the main process to the core. */
export const coreRequestSchema = z.object({
  type: z.literal('request'),
  id: z.int().positive(),
  name: z.string().min(1).max(100),
  args: z.unknown(),
});
/** The core's answer to one request: the handler's `{ ok, value | error }` as it is. */
export const coreAnswerSchema = z.object({
  type: z.literal('answer'),
  id: z.int().positive(),
  result: z.unknown(),
});
/** A status event of the core (sync, poke, cashier, receipt, return), pushed to the window. */
export const coreEventSchema = z.object({
  type: z.literal('event'),
  event: z.string().min(1),
  data: z.unknown(),
});
/** Asks the core to close its store and exit (the application is quitting). */
export const coreStopSchema = z.object({ type: z.literal('stop') });

/** Every envelope that crosses the channel. */
export const coreMessageSchema = z.discriminatedUnion('type', [
  coreRequestSchema,
  coreAnswerSchema,
  coreEventSchema,
  coreStopSchema,
]);
/** An envelope. */
export type CoreMessage = z.output<typeof coreMessageSchema>;
/** An event as the window receives it. */
export type CoreEvent = { readonly event: string; readonly data: unknown };

/** Codes of the failures the channel itself answers with (the handlers have their own). */
export const CoreChannelError = {
  timeout: 'terminal_timeout',
  disconnected: 'terminal_disconnected',
  invalidInput: 'invalid_input',
} as const;

const problem = (code: string, message: string, details?: unknown) => ({
  ok: false as const,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

/** Time limits of calls: most handlers answer in milliseconds; a full sync or pairing may pull for minutes. */
export const defaultTimeouts: {
  readonly defaultMs: number;
  readonly byHandler: Readonly<Record<string, number>>;
} = {
  defaultMs: 30_000,
  byHandler: { 'sync.now': 15 * 60_000, 'pairing.pair': 15 * 60_000 },
};

/** The main process's side: calls with request ids and time limits, and the core's events. */
export type CoreCaller = {
  /** Calls a handler; always resolves with `{ ok, value | error }`, never rejects. */
  call(name: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** Answers every call in flight with `terminal_disconnected`: the core process is gone. */
  disconnect(): void;
  /** Calls waiting for an answer. */
  inFlight(): number;
  /** Asks the core to stop. */
  stop(): void;
};

/** Starts the caller over `port`. */
export function createCoreCaller(
  port: CorePort,
  options: {
    readonly timeouts?: { readonly defaultMs: number; readonly byHandler: Readonly<Record<string, number>> };
    readonly log?: (message: string) => void;
  } = {},
): CoreCaller {
  const timeouts = options.timeouts ?? defaultTimeouts;
  const log = options.log ?? (() => undefined);
  const pending = new Map<
    number,
    { resolve: (result: unknown) => void; timer: NodeJS.Timeout; name: string }
  >();
  const listeners = new Set<(event: CoreEvent) => void>();
  let nextId = 1;
  let disconnected = false;

  const unsubscribe = port.onMessage((raw) => {
    const parsed = coreMessageSchema.safeParse(raw);
    if (!parsed.success) return log(`core channel: an envelope that is not ours was dropped`);
    const message = parsed.data;
    if (message.type === 'answer') {
      const call = pending.get(message.id);
      // An answer after its time limit: the caller has moved on (a commit carries its own
      // idempotency key, so the retry the cashier makes books nothing twice).
      if (!call) return log(`core channel: late answer to request ${message.id} dropped`);
      clearTimeout(call.timer);
      pending.delete(message.id);
      call.resolve(message.result);
    } else if (message.type === 'event') {
      const event = { event: message.event, data: message.data };
      listeners.forEach((listener) => listener(event));
    }
  });

  const answerAll = (result: (name: string) => unknown) => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      pending.delete(id);
      call.resolve(result(call.name));
    }
  };

  return {
    call(name, args) {
      if (disconnected)
        return Promise.resolve(
          problem(
            CoreChannelError.disconnected,
            `Нет связи с терминалом (${name}): процесс терминала остановлен. Перезапустите программу кассы.`,
          ),
        );
      const id = nextId++;
      const limit = timeouts.byHandler[name] ?? timeouts.defaultMs;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(
            problem(
              CoreChannelError.timeout,
              `Терминал не ответил за ${Math.round(limit / 1000)} с (${name}). Повторите действие; если не поможет — перезапустите программу кассы.`,
              { name, timeoutMs: limit },
            ),
          );
        }, limit);
        pending.set(id, { resolve, timer, name });
        port.post({ type: 'request', id, name, args } satisfies CoreMessage);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnect() {
      disconnected = true;
      unsubscribe();
      answerAll((name) =>
        problem(
          CoreChannelError.disconnected,
          `Нет связи с терминалом (${name}): процесс терминала перезапускается. Повторите действие через несколько секунд.`,
        ),
      );
    },
    inFlight: () => pending.size,
    stop() {
      port.post({ type: 'stop' } satisfies CoreMessage);
    },
  };
}

/** What the core's side needs: run a handler by name (bugs already turned into answers) and events. */
export type CoreEndpoint = {
  dispatch(name: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
};

/** The core process's side: answers every request over `port` and forwards every event. */
export function serveCore(
  port: CorePort,
  endpoint: CoreEndpoint,
  options: { readonly onStop?: () => void; readonly log?: (message: string) => void } = {},
): () => void {
  const log = options.log ?? (() => undefined);
  const offEvents = endpoint.subscribe((event) =>
    port.post({ type: 'event', event: event.event, data: event.data } satisfies CoreMessage),
  );
  const offMessages = port.onMessage((raw) => {
    const parsed = coreMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // A request we cannot read still gets an answer when it carries an id, so no call hangs.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isInteger(id) && id > 0)
        port.post({
          type: 'answer',
          id,
          result: problem(
            CoreChannelError.invalidInput,
            'Команда терминала должна быть {type: "request", id, name, args}.',
          ),
        } satisfies CoreMessage);
      else log('core channel: an envelope that is not ours was dropped');
      return;
    }
    const message = parsed.data;
    if (message.type === 'stop') return options.onStop?.();
    if (message.type !== 'request') return;
    void endpoint.dispatch(message.name, message.args).then(
      (result) => port.post({ type: 'answer', id: message.id, result } satisfies CoreMessage),
      (error: unknown) => {
        log(`core channel: ${message.name} failed: ${String(error)}`);
        port.post({
          type: 'answer',
          id: message.id,
          result: problem('internal_error', 'Внутренняя ошибка терминала. Повторите действие.'),
        } satisfies CoreMessage);
      },
    );
  });
  return () => {
    offEvents();
    offMessages();
  };
}
