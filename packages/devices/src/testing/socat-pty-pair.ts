// Test helper: a real pseudo-terminal pair made by socat (`socat -d -d pty,raw,echo=0
// pty,raw,echo=0`), one end opened by the code under test as a serial port, the other written
// by the test the way a scanner's firmware writes its line. Links keep the paths stable across
// a kill and a restart, so "the port vanished and came back" is the same path, as with udev.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A running pair: `devicePath` is the port the till opens, the test writes to the other end. */
export type SocatPtyPair = {
  readonly devicePath: string;
  readonly hostPath: string;
  /** Writes bytes as the scanner would (a string is sent as UTF-8). */
  write(data: Uint8Array | string): void;
  /** Kills socat: the port disappears (its link is removed). */
  stop(): Promise<void>;
  /** Starts socat again on the same paths. */
  restart(): Promise<void>;
};

async function startSocat(devicePath: string, hostPath: string): Promise<ChildProcess> {
  rmSync(devicePath, { force: true });
  rmSync(hostPath, { force: true });
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${log}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`socat could not run (apt-get install socat): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${log}`));
    });
  });
  return child;
}

/** Starts socat with the two links in `dir` (named `name-device` and `name-host`). */
export async function startSocatPtyPair(dir: string, name = 'scanner'): Promise<SocatPtyPair> {
  const devicePath = join(dir, `${name}-device`);
  const hostPath = join(dir, `${name}-host`);
  let child: ChildProcess | null = await startSocat(devicePath, hostPath);
  // The host end stays open while socat lives: closing a pty's last descriptor hangs it up.
  let fd: number | null = openSync(hostPath, 'r+');
  const stop = async () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  return {
    devicePath,
    hostPath,
    write(data) {
      if (fd === null) throw new Error('socat pair is stopped');
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    },
    stop,
    async restart() {
      await stop();
      child = await startSocat(devicePath, hostPath);
      fd = openSync(hostPath, 'r+');
    },
  };
}
