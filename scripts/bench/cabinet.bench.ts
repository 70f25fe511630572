// `npm run bench -- cabinet`: the cabinet's first-load JavaScript, gzipped (goal < 500 KB). A fresh
// production build goes to a temporary folder; "initial" is what index.html loads before any
// route chunk: the entry script and its modulepreload links.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { report } from './stats.ts';

const cabinet = fileURLToPath(new URL('../../apps/cabinet/', import.meta.url));
const gzipKb = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

/** Prints cabinet.initial_js_gzip_kb and cabinet.total_js_gzip_kb. */
export function benchCabinet(): void {
  const outDir = mkdtempSync(join(tmpdir(), 'cabinet-bench-'));
  try {
    const build = spawnSync(
      'npx',
      ['vite', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'],
      {
        cwd: cabinet,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    const all = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    report(
      'cabinet.initial_js_gzip_kb',
      initial.reduce((kb, f) => kb + gzipKb(join(outDir, f)), 0),
      'KB',
    );
    report(
      'cabinet.total_js_gzip_kb',
      all.reduce((kb, f) => kb + gzipKb(join(outDir, 'assets', f)), 0),
      'KB',
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
