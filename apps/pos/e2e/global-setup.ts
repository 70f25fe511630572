// The cashier screens' end-to-end tests run against a fresh production build of the renderer
// (vite build takes a few seconds), so they never test a stale `dist/renderer` left by an
// earlier start; then the server tests' PostgreSQL, as the terminal's integration tests use.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import setupDatabase from '../../server/test/global-setup.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pos = fileURLToPath(new URL('..', import.meta.url));
  // vitest sets NODE_ENV=test and VITE_* variables, which would make Vite bundle React's and
  // antd's development builds: the tests must see what production serves.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITE')));
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], {
    cwd: pos,
    encoding: 'utf8',
    env: { ...env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  return setupDatabase(project);
}
