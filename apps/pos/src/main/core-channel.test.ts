// The framing between Electron's main process and the core's utility process (issue 5, A11),
// over real IPC and no Electron: a forked Node child runs the real core service on real SQLite
// (child_process IPC standing in for parentPort), and a MessageChannel carries the time-limit cases.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCoreCaller, serveCore, type CoreCaller, type CorePort } from './core-channel.ts';

type Answer = { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } };

const childPort = (child: ChildProcess): CorePort => ({
  post: (message) => void child.send(message as object),
  onMessage: (listener) => {
    child.on('message', listener);
    return () => child.off('message', listener);
  },
});

const workerPort = (port: MessagePort): CorePort => ({
  post: (message) => port.postMessage(message),
  onMessage: (listener) => {
    port.on('message', listener);
    return () => port.off('message', listener);
  },
});

const dirs: string[] = [];
const children: ChildProcess[] = [];
function startChild(): { child: ChildProcess; caller: CoreCaller; exited: Promise<number | null> } {
  const dir = mkdtempSync(join(tmpdir(), 'pos-shell-'));
  dirs.push(dir);
  const child = fork(new URL('./core-channel.child.ts', import.meta.url).pathname, [dir], {
    execArgv: ['--import', 'tsx'],
    // Electron's parentPort clones values the structured way; so does this channel.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const caller = createCoreCaller(childPort(child));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      caller.disconnect();
      resolve(code);
    }),
  );
  return { child, caller, exited };
}

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('core channel over a child process (the utility process stand-in)', () => {
  let stalled: Server;
  const stalledSockets = new Set<Socket>();
  beforeAll(async () => {
    // A server that accepts and never answers: a pairing call to it stays in flight.
    stalled = createServer((socket) => stalledSockets.add(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of stalledSockets) socket.destroy();
    await new Promise<void>((resolve) => stalled.close(() => resolve()));
  });

  it('calls real handlers, matches concurrent answers by id, forwards events and stops cleanly', async () => {
    const { caller, exited } = startChild();
    const status = (await caller.call('terminal.status', {})) as Answer;
    expect(status.ok).toBe(true);
    expect(status.value).toMatchObject({ pairing: 'unpaired', cache: { products: 0, buyers: 0 } });

    // Twenty writes at once; every answer must carry the key its own request wrote.
    const answers = (await Promise.all(
      Array.from({ length: 20 }, (_, i) => caller.call('settings.set', { local: { [`probe${i}`]: i } })),
    )) as Answer[];
    answers.forEach((answer, i) => {
      expect(answer.ok).toBe(true);
      expect((answer.value?.local as Record<string, unknown>)[`probe${i}`]).toBe(i);
    });
    const settings = (await caller.call('settings.get', {})) as Answer;
    expect(Object.keys(settings.value?.local as object)).toHaveLength(20);

    const unknown = (await caller.call('sale.steal', {})) as Answer;
    expect(unknown.error?.code).toBe('unknown_handler');
    const invalid = (await caller.call('catalogue.search', { text: '' })) as Answer;
    expect(invalid.error?.code).toBe('invalid_input');
    expect(JSON.stringify(invalid.error)).toContain('Введите название, артикул или штрихкод');

    const events: { event: string; data: unknown }[] = [];
    caller.onEvent((event) => events.push(event));
    await caller.call('cashier.logout', {});
    expect(events).toContainEqual({ event: 'cashier', data: null });

    caller.stop();
    expect(await exited).toBe(0);
    const after = (await caller.call('terminal.status', {})) as Answer;
    expect(after.error?.code).toBe('terminal_disconnected');
  });

  it('answers a malformed envelope that has an id, so nothing hangs', async () => {
    const { child, caller, exited } = startChild();
    expect(((await caller.call('terminal.status', {})) as Answer).ok).toBe(true);
    const answer = new Promise<unknown>((resolve) =>
      child.on('message', (message: { id?: unknown }) => {
        if (message.id === 999_999) resolve(message);
      }),
    );
    child.send({ type: 'request', id: 999_999, name: 42 });
    expect(await answer).toMatchObject({
      type: 'answer',
      id: 999_999,
      result: { ok: false, error: { code: 'invalid_input' } },
    });
    caller.stop();
    expect(await exited).toBe(0);
  });

  it('answers calls in flight with terminal_disconnected when the core process dies', async () => {
    const { child, caller, exited } = startChild();
    const address = stalled.address() as { port: number };
    const pairing = caller.call('pairing.pair', {
      code: 'ACDE-FGHJ',
      serverUrl: `http://127.0.0.1:${address.port}`,
    });
    await expect.poll(() => stalledSockets.size, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(caller.inFlight()).toBe(1);
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    const answer = (await pairing) as Answer;
    expect(answer.error?.code).toBe('terminal_disconnected');
    expect(answer.error?.message).toContain('Повторите действие');
    expect(caller.inFlight()).toBe(0);
  });
});

describe('core channel time limits (MessageChannel)', () => {
  const channels: MessageChannel[] = [];
  afterEach(() => {
    for (const channel of channels.splice(0)) {
      channel.port1.close();
      channel.port2.close();
    }
  });

  it('answers terminal_timeout after the limit, drops the late answer and keeps working', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    const logged: string[] = [];
    serveCore(workerPort(channel.port2), {
      dispatch: async (name, args) => {
        if (name === 'sync.now') await new Promise((resolve) => setTimeout(resolve, 300));
        return { ok: true, value: { name, args } };
      },
      subscribe: () => () => undefined,
    });
    const caller = createCoreCaller(workerPort(channel.port1), {
      timeouts: { defaultMs: 2_000, byHandler: { 'sync.now': 100 } },
      log: (message) => logged.push(message),
    });
    const started = Date.now();
    const slow = (await caller.call('sync.now', {})) as Answer & { error?: { details?: unknown } };
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(slow.error).toMatchObject({
      code: 'terminal_timeout',
      details: { name: 'sync.now', timeoutMs: 100 },
    });
    expect(slow.error?.message).toContain('Терминал не ответил');
    // The fast handler keeps its own, longer limit and answers.
    const fast = (await caller.call('terminal.status', { n: 1 })) as Answer;
    expect(fast).toEqual({ ok: true, value: { name: 'terminal.status', args: { n: 1 } } });
    await expect.poll(() => logged.some((line) => line.includes('late answer'))).toBe(true);
    expect(caller.inFlight()).toBe(0);
  });

  it('pushes events from the core to every listener until it unsubscribes', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    let emit: (event: { event: string; data: unknown }) => void = () => undefined;
    serveCore(workerPort(channel.port2), {
      dispatch: () => Promise.resolve({ ok: true, value: null }),
      subscribe: (listener) => {
        emit = listener;
        return () => undefined;
      },
    });
    const caller = createCoreCaller(workerPort(channel.port1));
    const first: unknown[] = [];
    const second: unknown[] = [];
    const offFirst = caller.onEvent((event) => first.push(event));
    caller.onEvent((event) => second.push(event));
    emit({ event: 'receipt', data: { receiptId: 'r1', number: '7', offline: true } });
    await expect.poll(() => second.length).toBe(1);
    offFirst();
    emit({ event: 'sync', data: { online: false } });
    await expect.poll(() => second.length).toBe(2);
    expect(first).toEqual([{ event: 'receipt', data: { receiptId: 'r1', number: '7', offline: true } }]);
    expect(second[1]).toEqual({ event: 'sync', data: { online: false } });
  });
});
