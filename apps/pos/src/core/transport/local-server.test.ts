import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MILK_ID, readyTerminal, type TestTerminal } from '#test/terminal-fixture.ts';
import { loadOrCreateLocalToken } from './local-token.ts';
import { startLocalServer, type LocalServer } from './local-server.ts';

let terminal: TestTerminal | undefined;
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  await terminal?.cleanup();
  server = terminal = undefined;
});

async function start(): Promise<{ server: LocalServer; token: string }> {
  terminal = await readyTerminal();
  const token = loadOrCreateLocalToken(terminal.dir);
  server = await startLocalServer({ core: terminal, token, port: 0 });
  return { server, token };
}

const rpc = (s: LocalServer, name: string, args: unknown, token?: string) =>
  fetch(`${s.url}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(args),
  });

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('local server (browser mode, A12)', () => {
  it('keeps the token between starts, in a file only the owner reads', async () => {
    const { token } = await start();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(loadOrCreateLocalToken(terminal!.dir)).toBe(token);
  });

  it('serves the handler map over HTTP with the token, and refuses without it', async () => {
    const { server: s, token } = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const refused = await rpc(s, 'terminal.status', {});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('terminal_unauthorized');
    expect((await rpc(s, 'terminal.status', {}, 'wrong-token')).status).toBe(401);

    const status = await rpc(s, 'terminal.status', {}, token);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      ok: true,
      value: { pairing: 'paired', cache: { products: 2 } },
    });
    const sale = await rpc(s, 'sale.commit', { lines: [{ productId: MILK_ID, quantity: 1000 }] }, token);
    expect(await sale.json()).toMatchObject({ ok: true, value: { number: '1', totals: { amount: 89_90 } } });
    const invalid = await rpc(s, 'sale.calculate', { lines: [] }, token);
    expect(invalid.status).toBe(200);
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await rpc(s, 'nothing.here', {}, token);
    expect(unknown.status).toBe(404);
    const notJson = await fetch(`${s.url}/rpc/terminal.status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('serves calls and status events over the WebSocket with ?token=, and refuses without it', async () => {
    const { server: s, token } = await start();
    const wsUrl = `${s.url.replace('http', 'ws')}/ws`;
    await expect(openSocket(wsUrl)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`${wsUrl}?token=nope`)).rejects.toThrow('HTTP 401');
    const ws = await openSocket(`${wsUrl}?token=${token}`);
    const messages: Array<Record<string, unknown>> = [];
    const waitFor = (predicate: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const found = messages.find(predicate);
        if (found) return resolve(found);
        const listener = (data: Buffer) => {
          const message = JSON.parse(String(data)) as Record<string, unknown>;
          if (predicate(message)) {
            ws.off('message', listener);
            resolve(message);
          }
        };
        ws.on('message', listener);
      });
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ id: 7, name: 'cashier.logout', args: {} }));
    expect(await waitFor((m) => m.id === 7)).toEqual({
      id: 7,
      result: { ok: true, value: { loggedOut: true } },
    });
    expect(await waitFor((m) => m.event === 'cashier')).toEqual({ event: 'cashier', data: null });
    ws.send(
      JSON.stringify({
        id: 'a',
        name: 'sale.calculate',
        args: { lines: [{ productId: MILK_ID, quantity: 1000 }] },
      }),
    );
    expect(await waitFor((m) => m.id === 'a')).toMatchObject({ result: { ok: true } });
    ws.send('not json');
    expect(await waitFor((m) => m.id === null)).toMatchObject({
      result: { ok: false, error: { code: 'invalid_input' } },
    });
    ws.close();
  });
});
