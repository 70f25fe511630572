// Real pseudo-terminals from socat: the scanner opens one end with serialport, the test writes
// the other end as a scanner's firmware would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSocatPtyPair } from '#testing/socat-pty-pair.ts';
import type { ScannedCode, ScannerStatus } from './scanner-problem.ts';
import {
  defaultSerialScannerSettings,
  startSerialScanner,
  type SerialScannerSettings,
} from './serial-scanner.ts';

const dir = mkdtempSync(join(tmpdir(), 'serial-scanner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorder() {
  const codes: string[] = [];
  const states: ScannerStatus[] = [];
  const waiters: Array<() => void> = [];
  const events = {
    onScan: (scan: ScannedCode) => {
      codes.push(scan.code);
      waiters.splice(0).forEach((w) => w());
    },
    onStatus: (status: ScannerStatus) => {
      states.push(status);
      waiters.splice(0).forEach((w) => w());
    },
  };
  const until = (check: () => boolean, what: string, timeoutMs = 8000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(test);
      };
      test();
    });
  return { codes, states, events, until };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('serial scanner over a socat pty pair (A10)', { timeout: 20_000 }, () => {
  it('frames codes ended by CR, also when a write splits a code', async () => {
    const pair = await startSocatPtyPair(dir, 'cr');
    const r = recorder();
    const scanner = startSerialScanner({ ...defaultSerialScannerSettings, path: pair.devicePath }, r.events);
    try {
      expect(await scanner.started).toEqual({ ok: true, value: undefined });
      pair.write('4601234567893\r');
      pair.write('ABC-');
      await sleep(60);
      pair.write('12\r2900000000017\r');
      await r.until(() => r.codes.length === 3, 'three codes');
      expect(r.codes).toEqual(['4601234567893', 'ABC-12', '2900000000017']);
      expect(scanner.status()).toMatchObject({ state: 'open', problem: null, scans: 3 });
    } finally {
      await scanner.close();
      await pair.stop();
    }
  });

  it('frames CR LF and decodes Cyrillic UTF-8 split in the middle of a character', async () => {
    const pair = await startSocatPtyPair(dir, 'crlf');
    const r = recorder();
    const settings: SerialScannerSettings = {
      ...defaultSerialScannerSettings,
      path: pair.devicePath,
      baudRate: 115200,
      suffix: 'crlf',
    };
    const scanner = startSerialScanner(settings, r.events);
    try {
      expect((await scanner.started).ok).toBe(true);
      const payload = Buffer.from('Молоко 3,2%\r\n12345\r\n', 'utf8');
      pair.write(payload.subarray(0, 3));
      await sleep(30);
      pair.write(payload.subarray(3));
      await r.until(() => r.codes.length === 2, 'two codes');
      expect(r.codes).toEqual(['Молоко 3,2%', '12345']);
    } finally {
      await scanner.close();
      await pair.stop();
    }
  });

  it('with no suffix, silence longer than the inter-character timeout ends a code', async () => {
    const pair = await startSocatPtyPair(dir, 'none');
    const r = recorder();
    const scanner = startSerialScanner(
      // A generous pause: socat relays the bytes, and a loaded machine may hold it up for a while.
      { ...defaultSerialScannerSettings, path: pair.devicePath, suffix: 'none', interCharTimeoutMs: 300 },
      r.events,
    );
    try {
      expect((await scanner.started).ok).toBe(true);
      pair.write('46012');
      await sleep(20);
      pair.write('34567893');
      await sleep(900);
      pair.write('0012345');
      await r.until(() => r.codes.length === 2, 'two codes');
      expect(r.codes).toEqual(['4601234567893', '0012345']);
    } finally {
      await scanner.close();
      await pair.stop();
    }
  });

  it('reconnects when the port vanishes (socat killed) and comes back', async () => {
    const pair = await startSocatPtyPair(dir, 'gone');
    const r = recorder();
    const scanner = startSerialScanner(
      { ...defaultSerialScannerSettings, path: pair.devicePath, reconnectMs: 100 },
      r.events,
    );
    try {
      expect((await scanner.started).ok).toBe(true);
      pair.write('before\r');
      await r.until(() => r.codes.length === 1, 'the first code');
      // Right after a read: the moment when serialport's own poller can miss the hang-up.
      await pair.stop();
      await r.until(() => scanner.status().state === 'waiting', 'the disconnect');
      expect(scanner.status().problem?.code).toBe('scanner_disconnected');
      await sleep(350);
      // While the port is gone, retries answer "port missing" and the scanner keeps waiting.
      expect(scanner.status()).toMatchObject({ state: 'waiting' });
      expect(r.states.some((s) => s.problem?.code === 'scanner_port_missing')).toBe(true);
      await pair.restart();
      await r.until(() => scanner.status().state === 'open', 'the reconnect');
      pair.write('after\r');
      await r.until(() => r.codes.length === 2, 'the code after the reconnect');
      expect(r.codes).toEqual(['before', 'after']);
    } finally {
      await scanner.close();
      await pair.stop();
    }
  });

  it('a bad path answers a clear error value and keeps trying until closed', async () => {
    const r = recorder();
    const path = join(dir, 'no-such-port');
    const scanner = startSerialScanner({ ...defaultSerialScannerSettings, path, reconnectMs: 50 }, r.events);
    const started = await scanner.started;
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.error.code).toBe('scanner_port_missing');
      expect(started.error.message).toContain(path);
      expect(started.error.message).toMatch(/не найден/);
    }
    expect(scanner.status().state).toBe('waiting');
    await scanner.close();
    expect(scanner.status()).toMatchObject({ state: 'closed' });
  });
});
