import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printToDeviceFile } from './device-file-printer.ts';

const dir = mkdtempSync(join(tmpdir(), 'devices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('device file printer', () => {
  it('writes the bytes to an existing device file', async () => {
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    expect((await printToDeviceFile(path, new Uint8Array([0x1b, 0x40, 0x41]))).ok).toBe(true);
    expect([...readFileSync(path)]).toEqual([0x1b, 0x40, 0x41]);
  });

  it('a missing device is a value with the path in the message', async () => {
    const sent = await printToDeviceFile(join(dir, 'nope'), new Uint8Array([1]));
    expect(!sent.ok && sent.error).toMatchObject({ code: 'printer_unreachable' });
  });
});
