// A terminal core in browser mode as its own process (`apps/pos/src/core/main.ts`, the same entry
// `npm start -w @loyalty/pos` runs), paired with a pairing code, and driven only through its local
// HTTP API with its local token, as a third-party till would drive it (A12). The cabinet imports
// nothing of the terminal: the process boundary is the contract.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The local API's answer: a value or an error, never a throw. */
export type RpcResult<T> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** A running browser-mode till. */
export type BrowserTill = {
  url: string;
  /** `POST /rpc/<name>` with the local token. */
  rpc<T>(name: string, args: unknown): Promise<RpcResult<T>>;
  close(): Promise<void>;
};

/** Starts a till paired to `serverUrl` with `pairingCode`; resolves once it printed its token. */
export async function startBrowserTill(serverUrl: string, pairingCode: string): Promise<BrowserTill> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-e2e-till-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/pos/src/core/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      POS_DATA_DIR: dataDir,
      POS_PORT: '0',
      POS_SERVER_URL: serverUrl,
      POS_PAIRING_CODE: pairingCode,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the till did not start within 60 s:\n${output}`)),
      60_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Терминал \(браузерный режим\): (\S+)/.exec(output)?.[1];
      const token = /локальный токен: (\S+)/.exec(output)?.[1];
      const paired = /подключение:\s+(\S+)/.exec(output)?.[1];
      if (url && token && paired) {
        clearTimeout(timer);
        if (paired === 'paired') resolve({ url, token });
        else reject(new Error(`the till did not pair:\n${output}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the till exited with ${code}:\n${output}`));
    });
  });
  return {
    url: started.url,
    rpc: async <T>(name: string, args: unknown) => {
      const response = await fetch(`${started.url}/rpc/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` },
        body: JSON.stringify(args),
      });
      if (response.status !== 200)
        throw new Error(`${name}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as RpcResult<T>;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
