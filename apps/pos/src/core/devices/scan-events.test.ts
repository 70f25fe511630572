// End to end inside the core process: a socat pty pair configured as a serial scanner, bytes
// written to its other end reach a WebSocket client of the local server as `scan` events (A10,
// A12: the renderer and third-party tills receive scans the same way).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSocatPtyPair } from '@loyalty/devices/testing/socat-pty-pair';
import { readyTerminal } from '#test/terminal-fixture.ts';
import { loadOrCreateLocalToken } from '#core/transport/local-token.ts';
import { startLocalServer } from '#core/transport/local-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'pos-scan-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Message = { event?: string; data?: unknown; id?: number; result?: unknown };

describe('serial scans over the local WebSocket (A10)', () => {
  it('reach a connected client as scan events, in order, one per code', async () => {
    const pair = await startSocatPtyPair(dir, 'ws');
    const terminal = await readyTerminal();
    const token = loadOrCreateLocalToken(terminal.dir);
    const server = await startLocalServer({ core: terminal, token, port: 0 });
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${token}`);
    const messages: Message[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Message));
    const waitFor = async (check: () => boolean, what: string) => {
      const end = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out: ${what}; got ${JSON.stringify(messages)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      // The client configures the scanner through the same socket, as the settings screen does.
      ws.send(
        JSON.stringify({
          id: 1,
          name: 'settings.set',
          args: { local: { scanners: [{ kind: 'serial', path: pair.devicePath, baudRate: 115200 }] } },
        }),
      );
      await waitFor(() => messages.some((m) => m.id === 1), 'the settings answer');
      expect(messages.find((m) => m.id === 1)?.result).toMatchObject({ ok: true });
      await waitFor(
        () =>
          messages.some((m) => m.event === 'devices' && JSON.stringify(m.data).includes('"state":"open"')),
        'the devices event with the open scanner',
      );

      pair.write('4601234567893\r');
      pair.write('Иванова');
      pair.write(' Мария\r');
      await waitFor(() => messages.filter((m) => m.event === 'scan').length === 2, 'two scans');
      expect(messages.filter((m) => m.event === 'scan').map((m) => m.data)).toEqual([
        { code: '4601234567893', aim: null, symbology: null, source: `serial:${pair.devicePath}` },
        { code: 'Иванова Мария', aim: null, symbology: null, source: `serial:${pair.devicePath}` },
      ]);
    } finally {
      ws.close();
      await server.close();
      await terminal.cleanup();
      await pair.stop();
    }
  });
});
