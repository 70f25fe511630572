// Builds the Electron shell (issue 5, A11): the renderer (vite), then main, the core's utility
// process and the preload bundled with esbuild (build-electron-bundles.ts) into dist/electron-app
// with a package.json of its own that lists only the modules left outside the bundles (native
// ones and electron-updater). `--dist` also installs those modules and runs electron-builder (root
// electron-builder.yml), which rebuilds the native modules for Electron's ABI; that step needs the
// internet (Electron itself, its headers) and is never part of `npm test`. See apps/pos/README.md
// "Electron shell and installers".
//   npm run build:electron -w @loyalty/pos                 # bundles only (works offline)
//   npm run dist -w @loyalty/pos [-- --linux | -- --win]   # installers into dist/installers
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  bundleShell,
  packageVersion,
  posDir,
  rootDir,
  runtimeDependencies,
} from './build-electron-bundles.ts';

const appDir = join(posDir, 'dist', 'electron-app');
const require = createRequire(import.meta.url);

/** electron-builder's version, pinned: it is fetched only on the release machine (see README). */
const ELECTRON_BUILDER = 'electron-builder@26.17.0';

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

async function bundle(): Promise<void> {
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  run('npx', ['vite', 'build', '--logLevel', 'warn'], posDir);
  cpSync(join(posDir, 'dist', 'renderer'), join(appDir, 'renderer'), { recursive: true });
  await bundleShell(appDir);
  writeFileSync(
    join(appDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'loyalty-pos',
        productName: 'Касса лояльности',
        version: packageVersion(join(posDir, 'package.json')),
        description: 'Рабочее место кассира программы лояльности',
        // The deb package's maintainer field; set both for a release of your own.
        author: {
          name: process.env.POS_MAINTAINER_NAME ?? 'Loyalty',
          email: process.env.POS_MAINTAINER_EMAIL ?? 'pos@loyalty.local',
        },
        type: 'module',
        main: 'main.mjs',
        dependencies: runtimeDependencies(),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`bundles in ${appDir}`);
}

function dist(targets: string[]): void {
  const electronVersion = packageVersion(require.resolve('electron/package.json', { paths: [posDir] }));
  // Production modules only, without their install scripts: electron-builder rebuilds the native
  // ones for Electron's ABI next (npmRebuild in electron-builder.yml).
  run(
    'npm',
    ['install', '--omit=dev', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'],
    appDir,
  );
  run(
    'npx',
    [
      '--yes',
      ELECTRON_BUILDER,
      '--config',
      'electron-builder.yml',
      '--publish',
      'never',
      `-c.electronVersion=${electronVersion}`,
      ...targets,
    ],
    rootDir,
    { ...process.env, POS_UPDATE_SERVER: process.env.POS_UPDATE_SERVER ?? 'http://127.0.0.1:8080' },
  );
}

const argv = process.argv.slice(2);
await bundle();
if (argv.includes('--dist')) {
  const targets = argv.filter((arg) => arg === '--linux' || arg === '--win');
  dist(targets.length > 0 ? targets : [process.platform === 'win32' ? '--win' : '--linux']);
}
