// A benchmark's child process driven over IPC, one request and one answer at a time:
// `{ id, ...command }` -> `{ id, ok, value | error }`; the child says `{ id: 0 }` when it is ready.
// The terminal benchmarks run the core in a child of its own: `sync` to read its peak memory
// alone, `pos` so that the core answers the page as a till's own process would, not between the
// benchmark's browser-driving work.
import { fork, type ChildProcess } from 'node:child_process';

/** A running child and its request/answer call. */
export type BenchChild<C> = { child: ChildProcess; call(command: C): Promise<unknown> };

/** Forks `module` (a .ts file, run through tsx) and waits until it is ready. */
export function startChild<C extends object>(module: URL): Promise<BenchChild<C>> {
  const child = fork(module.pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 1;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const error = new Error(`${module.pathname} exited with ${code}`);
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
      reject(error);
    });
    child.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (message.id === 0)
        resolve({
          child,
          call: (command) =>
            new Promise((res, rej) => {
              const id = next++;
              waiting.set(id, { resolve: res, reject: rej });
              child.send({ id, ...command });
            }),
        });
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) pending?.resolve(message.value);
      else pending?.reject(new Error(message.error));
    });
  });
}
