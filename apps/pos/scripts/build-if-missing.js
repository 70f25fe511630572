// `npm start` on a fresh clone: build the cashier renderer once (a few seconds) so the terminal's
// browser mode can serve it; later starts skip it. `npm run build -w @loyalty/pos` rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/renderer/index.html`)) {
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
