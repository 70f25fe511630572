// The `scanners` setting on a real core (SQLite in a temporary folder) with real pseudo-terminals
// from socat as serial scanners (A10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSocatPtyPair, type SocatPtyPair } from '@loyalty/devices/testing/socat-pty-pair';
import { openTerminal, type TestTerminal } from '#test/terminal-fixture.ts';
import type { TerminalEvent } from '#core/shared/terminal-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'pos-scanners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let terminal: TestTerminal | undefined;
const pairs: SocatPtyPair[] = [];
afterEach(async () => {
  await terminal?.cleanup();
  terminal = undefined;
  await Promise.all(pairs.splice(0).map((p) => p.stop()));
});

function eventsOf(t: TestTerminal, name: string) {
  const seen: unknown[] = [];
  t.ctx.events.subscribe((e: TerminalEvent) => {
    if (e.event === name) seen.push(e.data);
  });
  const until = async (count: number, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    while (seen.length < count) {
      if (Date.now() > end) throw new Error(`only ${seen.length} ${name} events of ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { seen, until };
}

describe('scanners setting (A10)', () => {
  it('refuses a bad setting with Russian messages per field and writes nothing', async () => {
    terminal = openTerminal();
    const answer = await terminal.handlers['settings.set']({
      serverUrl: 'http://127.0.0.1:9999',
      local: {
        scanners: [
          { kind: 'serial', path: '', baudRate: 12345 },
          { kind: 'hid', vendorId: 3118 },
          { kind: 'usb' },
        ],
      },
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('invalid_input');
    const issues = (answer.error.details as { issues: { path: string; message: string }[] }).issues;
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['local.scanners[0].path', 'local.scanners[0].baudRate', 'local.scanners[1]']),
    );
    expect(paths.some((p) => p.startsWith('local.scanners[2]'))).toBe(true);
    expect(issues.find((i) => i.path === 'local.scanners[0].path')?.message).toMatch(/Укажите порт/);
    expect(issues.find((i) => i.path === 'local.scanners[1]')?.message).toMatch(/vendorId и productId/);
    const settings = await terminal.handlers['settings.get']({});
    expect(settings.ok && settings.value.local.scanners).toBeUndefined();
    expect(settings.ok && settings.value.serverUrl).not.toBe('http://127.0.0.1:9999');
  });

  it('refuses the same port twice and a printer with a bad port number', async () => {
    terminal = openTerminal();
    const answer = await terminal.handlers['settings.set']({
      local: {
        scanners: [
          { kind: 'serial', path: '/dev/ttyACM0' },
          { kind: 'serial', path: '/dev/ttyACM0', baudRate: 115200 },
        ],
        printer: { transport: 'tcp', host: '10.0.0.5', port: 70000 },
      },
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    const issues = (answer.error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.find((i) => i.path === 'local.scanners[1]')?.message).toMatch(/дважды/);
    expect(issues.map((i) => i.path)).toContain('local.printer.port');
  });

  it('starts a serial scanner from the setting, sends its codes as scan events and restarts on a change', async () => {
    terminal = openTerminal();
    const first = await startSocatPtyPair(dir, 'first');
    const second = await startSocatPtyPair(dir, 'second');
    pairs.push(first, second);
    const scans = eventsOf(terminal, 'scan');

    const set = await terminal.handlers['settings.set']({
      local: { scanners: [{ kind: 'serial', path: first.devicePath, suffix: 'crlf' }] },
    });
    expect(set.ok).toBe(true);
    // Defaults are filled in and stored.
    expect(set.ok && set.value.local.scanners).toEqual([
      {
        kind: 'serial',
        path: first.devicePath,
        baudRate: 9600,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        suffix: 'crlf',
        interCharTimeoutMs: 50,
        charset: 'utf-8',
      },
    ]);
    const status = await terminal.handlers['devices.status']({});
    expect(status.ok && status.value.scanners).toEqual([
      expect.objectContaining({ key: `serial:${first.devicePath}`, state: 'open', problem: null }),
    ]);

    first.write('4601234567893\r\n');
    await scans.until(1);
    expect(scans.seen[0]).toEqual({
      code: '4601234567893',
      aim: null,
      symbology: null,
      source: `serial:${first.devicePath}`,
    });

    // The setting now names the second port: the first is closed, the second scans.
    await terminal.handlers['settings.set']({
      local: { scanners: [{ kind: 'serial', path: second.devicePath }] },
    });
    first.write('FROM-THE-OLD-PORT\r\n');
    second.write('7000123456\r');
    await scans.until(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(scans.seen.map((s) => (s as { code: string }).code)).toEqual(['4601234567893', '7000123456']);

    // Removing the setting stops every scanner.
    await terminal.handlers['settings.set']({ local: { scanners: null } });
    const none = await terminal.handlers['devices.status']({});
    expect(none.ok && none.value.scanners).toEqual([]);
  });

  it('a configured port that is missing shows in the status and starts working when it appears', async () => {
    terminal = openTerminal();
    const path = join(dir, 'late-device');
    await terminal.handlers['settings.set']({ local: { scanners: [{ kind: 'serial', path }] } });
    const waiting = await terminal.handlers['devices.status']({});
    expect(waiting.ok && waiting.value.scanners[0]).toMatchObject({
      state: 'waiting',
      problem: { code: 'scanner_port_missing' },
    });
    const scans = eventsOf(terminal, 'scan');
    const late = await startSocatPtyPair(dir, 'late');
    pairs.push(late);
    // The pair's device link is `late-device`, the path configured above.
    const end = Date.now() + 5000;
    for (;;) {
      const s = await terminal.handlers['devices.status']({});
      if (s.ok && s.value.scanners[0]?.state === 'open') break;
      if (Date.now() > end) throw new Error('the scanner did not open');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    late.write('2900000000017\r');
    await scans.until(1);
    expect((scans.seen[0] as { code: string }).code).toBe('2900000000017');
  });

  it('a HID POS scanner that is not connected waits, with a message naming it', async () => {
    terminal = openTerminal();
    const set = await terminal.handlers['settings.set']({
      local: { scanners: [{ kind: 'hid', vendorId: 0x0c2e, productId: 0x0b6a }] },
    });
    expect(set.ok && set.value.local.scanners).toEqual([
      { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b6a, charset: 'utf-8' },
    ]);
    const status = await terminal.handlers['devices.status']({});
    const [hid] = status.ok ? status.value.scanners : [];
    expect(hid).toMatchObject({ key: 'hid:0c2e:0b6a', state: 'waiting' });
    expect(hid?.problem?.code).toBe('scanner_device_missing');
    expect(hid?.problem?.message).toContain('0c2e:0b6a');
  });

  it('devices.list answers the serial ports and the HID POS devices of this machine as values', async () => {
    terminal = openTerminal();
    const list = await terminal.handlers['devices.list']({});
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.value.serialProblem).toBeNull();
    expect(list.value.hidProblem).toBeNull();
    expect(Array.isArray(list.value.serialPorts) && Array.isArray(list.value.hidDevices)).toBe(true);
  });
});
