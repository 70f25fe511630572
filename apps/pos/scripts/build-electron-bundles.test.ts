// The bundles the installers ship (issue 5, A11): esbuild output into a temporary folder, then
// the core's utility-process bundle booted in a Node child as Electron would start it (a
// parentPort over real IPC): it opens real SQLite, answers handler calls through the channel,
// serves the local integration endpoint and stops on request. The preload must need only electron.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleShell, posDir } from './build-electron-bundles.ts';

let outDir: string;
let dataDir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  // Inside the workspace (dist/ is git-ignored), so the bundles resolve the native modules from
  // node_modules as the app folder's own node_modules does in an installer.
  mkdirSync(join(posDir, 'dist'), { recursive: true });
  outDir = mkdtempSync(join(posDir, 'dist', 'bundle-test-'));
  dataDir = mkdtempSync(join(tmpdir(), 'pos-bundle-data-'));
  await bundleShell(outDir);
}, 120_000);
afterAll(() => {
  // A failed assertion must not leave the core running.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('shell bundles', () => {
  it('leaves only electron to the sandboxed preload and the natives outside main and the core', () => {
    const preload = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    const core = readFileSync(join(outDir, 'core-process.mjs'), 'utf8');
    expect(core).toMatch(/from "better-sqlite3"|require\("better-sqlite3"\)/);
    expect(core).not.toContain('from "electron"');
  });

  it('boots the core bundle as a utility process and answers over the channel', async () => {
    const core = fork(
      join(posDir, 'scripts', 'build-electron-bundles.child.ts'),
      [join(outDir, 'core-process.mjs')],
      {
        execArgv: ['--import', 'tsx'],
        serialization: 'advanced',
        env: { ...process.env, POS_DATA_DIR: dataDir, POS_PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      },
    );
    child = core;
    let output = '';
    core.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => core.once('exit', resolve));
    const answers = new Map<number, unknown>();
    core.on('message', (message: { type?: string; id?: number; result?: unknown }) => {
      if (message.type === 'answer' && typeof message.id === 'number')
        answers.set(message.id, message.result);
    });
    core.send({ type: 'request', id: 1, name: 'terminal.status', args: {} });
    core.send({ type: 'request', id: 2, name: 'settings.set', args: { local: { windowMode: 'kiosk' } } });
    await expect.poll(() => answers.size, { timeout: 20_000 }).toBe(2);
    expect(answers.get(1)).toMatchObject({ ok: true, value: { pairing: 'unpaired' } });
    expect(answers.get(2)).toMatchObject({ ok: true, value: { local: { windowMode: 'kiosk' } } });

    // The local integration endpoint (A12) runs beside the channel, with the token it wrote.
    await expect
      .poll(() => /endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], { timeout: 10_000 })
      .toBeTruthy();
    const url = /endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    const token = readFileSync(join(dataDir, 'local-token'), 'utf8').trim();
    const response = await fetch(`${url}/rpc/settings.get`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, connection: 'close' },
    });
    expect(await response.json()).toMatchObject({ ok: true, value: { local: { windowMode: 'kiosk' } } });

    core.send({ type: 'stop' });
    expect(await exited).toBe(0);
  });
});
