// Builds the Electron shell (issue 5, A11): the renderer (vite), then main, the core's utility
// process and the preload bundled with esbuild into dist/electron-app with a package.json of its
// own that lists only the modules left outside the bundles (native ones and electron-updater).
// `--dist` also installs those modules and runs electron-builder (root electron-builder.yml), which
// rebuilds the native modules for Electron's ABI; that step needs the internet (Electron itself,
// its headers) and is never part of `npm test`. See apps/pos/README.md "Electron shell and installers".
//   npm run build:electron -w @loyalty/pos                 # bundles only (works offline)
//   npm run dist -w @loyalty/pos [-- --linux | -- --win]   # installers into dist/installers
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { z } from 'zod';

const posDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = join(posDir, '..', '..');
const appDir = join(posDir, 'dist', 'electron-app');
const require = createRequire(import.meta.url);

/** electron-builder's version, pinned: it is fetched only on the release machine (see README). */
const ELECTRON_BUILDER = 'electron-builder@26.17.0';

// Left outside the bundles: native modules (rebuilt for Electron's ABI at packaging), Electron
// itself, and electron-updater (it loads its platform updater lazily with require).
const runtimeModules = ['better-sqlite3', '@node-rs/argon2', 'electron-updater', 'serialport', 'node-hid'];
const external = ['electron', ...runtimeModules, '@serialport/*', 'bufferutil', 'utf-8-validate'];

const packageSchema = z.object({ version: z.string(), description: z.string().optional() });
const readPackage = (path: string) => packageSchema.parse(JSON.parse(readFileSync(path, 'utf8')));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Versions of the runtime modules this checkout resolves (a module no workspace uses is left out). */
function runtimeDependencies(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of runtimeModules) {
    try {
      found[name] = readPackage(
        require.resolve(`${name}/package.json`, { paths: [posDir, rootDir] }),
      ).version;
    } catch {
      // serialport and node-hid arrive with packages/devices' drivers; until then there is nothing to ship.
    }
  }
  return found;
}

async function bundle(): Promise<void> {
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  run('npx', ['vite', 'build', '--logLevel', 'warn'], posDir);
  cpSync(join(posDir, 'dist', 'renderer'), join(appDir, 'renderer'), { recursive: true });

  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    external,
    logLevel: 'warning',
    absWorkingDir: posDir,
  };
  // Main and the core process are ES modules; bundled CommonJS dependencies still call require.
  const esm: BuildOptions = {
    ...common,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
  await build({ ...esm, entryPoints: { main: 'src/main/electron-main.ts' }, outdir: appDir });
  await build({ ...esm, entryPoints: { 'core-process': 'src/main/core-process.ts' }, outdir: appDir });
  // A sandboxed preload is a single CommonJS file that may require only 'electron'.
  await build({
    ...common,
    format: 'cjs',
    entryPoints: { preload: 'src/preload/preload.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: appDir,
  });

  const pos = readPackage(join(posDir, 'package.json'));
  writeFileSync(
    join(appDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'loyalty-pos',
        productName: 'Касса лояльности',
        version: pos.version,
        description: 'Рабочее место кассира программы лояльности',
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
  const electronVersion = readPackage(require.resolve('electron/package.json', { paths: [posDir] })).version;
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
