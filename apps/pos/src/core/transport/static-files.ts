// Browser mode serves the renderer build at `/`. The files are public (the token guards only
// /rpc and /ws); paths are resolved inside the build folder and nothing outside it is served.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Answers GET `pathname` from `dir` (index.html for `/` and unknown routes); false if not served. */
export async function serveStatic(dir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  if (relative.split(sep).includes('..')) return false;
  const candidates = relative && extname(relative) ? [relative] : ['index.html'];
  for (const file of candidates) {
    try {
      const body = await readFile(join(dir, file));
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        // Hashed assets never change; index.html must be fresh after an update.
        'cache-control': file === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
      });
      res.end(body);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}
