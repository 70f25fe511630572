// `npm start` on a fresh clone: build the cabinet once (a few seconds) so the server can serve it;
// later starts skip it. `npm run build -w @loyalty/cabinet` rebuilds after changes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.html`)) {
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // A NODE_ENV left over in the shell would otherwise give React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  process.exit(result.status ?? 1);
}
