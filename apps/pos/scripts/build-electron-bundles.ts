// The esbuild half of the shell's build (issue 5, A11): main, the core's utility process and the
// preload as the installers ship them. Kept apart from build-electron.ts so a test can bundle into
// a temporary folder and run the core bundle itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { z } from 'zod';

/** The @loyalty/pos folder. */
export const posDir = fileURLToPath(new URL('..', import.meta.url));
/** The repository root. */
export const rootDir = join(posDir, '..', '..');
const require = createRequire(import.meta.url);

// Left outside the bundles: native modules (rebuilt for Electron's ABI at packaging), Electron
// itself, and electron-updater (it loads its platform updater lazily with require).
const runtimeModules = ['better-sqlite3', '@node-rs/argon2', 'electron-updater', 'serialport', 'node-hid'];
const external = ['electron', ...runtimeModules, '@serialport/*', 'bufferutil', 'utf-8-validate'];

const packageSchema = z.object({ version: z.string() });
/** The version in a package.json. */
export const packageVersion = (path: string): string =>
  packageSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).version;

/** Versions of the runtime modules this checkout resolves (a module no workspace uses is left out). */
export function runtimeDependencies(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of runtimeModules) {
    try {
      found[name] = packageVersion(require.resolve(`${name}/package.json`, { paths: [posDir, rootDir] }));
    } catch {
      // serialport and node-hid arrive with packages/devices' drivers; without them there is nothing to ship.
    }
  }
  return found;
}

/** Writes `main.mjs`, `core-process.mjs` and `preload.cjs` (with source maps) into `outDir`. */
export async function bundleShell(outDir: string): Promise<void> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    external,
    logLevel: 'warning',
    absWorkingDir: posDir,
    outdir: outDir,
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
  await build({ ...esm, entryPoints: { main: 'src/main/electron-main.ts' } });
  await build({ ...esm, entryPoints: { 'core-process': 'src/main/core-process.ts' } });
  // A sandboxed preload is a single CommonJS file that may require only 'electron'.
  await build({
    ...common,
    format: 'cjs',
    entryPoints: { preload: 'src/preload/preload.ts' },
    outExtension: { '.js': '.cjs' },
  });
}
